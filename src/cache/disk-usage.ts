/**
 * @module cache/disk-usage
 * Read-only scan of a cache directory for `mcp-orchestrator cache stats`, and `clearCacheDir` for
 * `cache clear`. The scan never moves or deletes anything.
 */
import { readdir, rm } from "node:fs/promises"
import { join } from "node:path"
import { decodeEntry } from "./file-format.ts"
import { errCode, nodeFs, readEntryFile } from "./file-io.ts"
import { ENTRIES_DIR, isCorruptName, isEntryName, tmpPid } from "./file-paths.ts"
import { FileDriver } from "./file.ts"

export interface DiskUsage {
  dir: string
  exists: boolean
  entries: number
  bytes: number
  /** Files that fail the header/checksum check (the running cache would quarantine them). */
  invalid: number
  /** Entries written by a newer mcp-orchestrator (a later format; left alone, not invalid). */
  newer: number
  /** Files already quarantined as `*.corrupt`. */
  corrupt: number
  /** Leftover temp files (removed at the next start). */
  temps: number
  byKind: Record<string, { entries: number; bytes: number }>
  oldestStoredAt?: number
  newestStoredAt?: number
}

export async function scanCacheDir(dir: string): Promise<DiskUsage> {
  const out: DiskUsage = { dir, exists: false, entries: 0, bytes: 0, invalid: 0, newer: 0, corrupt: 0, temps: 0, byKind: {} }
  const entriesDir = join(dir, ENTRIES_DIR)
  let names: string[]
  try {
    names = (await nodeFs.readdir(entriesDir)).sort()
  } catch (e) {
    if (errCode(e) === "ENOENT") return out
    throw e
  }
  out.exists = true
  for (const name of names) {
    if (isCorruptName(name)) out.corrupt++
    else if (tmpPid(name) !== undefined) out.temps++
    if (!isEntryName(name)) continue
    const res = await readEntryFile(nodeFs, join(entriesDir, name)).catch(() => undefined)
    if (!res || res.kind === "missing") continue
    const dec = res.kind === "data" ? decodeEntry(res.data) : undefined
    if (dec && !dec.ok && dec.newer) {
      out.newer++
      continue
    }
    if (!dec?.ok) {
      out.invalid++
      continue
    }
    const kind = dec.key.includes(":") ? dec.key.slice(0, dec.key.indexOf(":")) : "(none)"
    const k = (out.byKind[kind] ??= { entries: 0, bytes: 0 })
    k.entries++
    k.bytes += dec.bytes
    out.entries++
    out.bytes += dec.bytes
    out.oldestStoredAt = Math.min(out.oldestStoredAt ?? dec.storedAt, dec.storedAt)
    out.newestStoredAt = Math.max(out.newestStoredAt ?? dec.storedAt, dec.storedAt)
  }
  return out
}

/**
 * The stored first answers beside `entries/` (app/tool-snapshot: `tools-<key>.snapshot.json`, its
 * temp files and `.superseded/` marks) and the early face's indexes (`early-<hash>.json`): what a
 * start answers its first tools/list from, built from the tool lists.
 */
const FIRST_ANSWER = /^(?:tools-[0-9a-f]+\.snapshot\.json(?:\..+)?|early-[0-9a-f]+\.json(?:\..+)?)$/

/**
 * Removes entries (all, or one kind's) and quarantined files; with every kind or `tools`, the stored
 * first answers too (before, `cache clear` left them, and the next start still answered its first
 * tools/list with the tools it was meant to forget). Returns the entry count before, and how many
 * stored first answers were removed.
 */
export async function clearCacheDir(dir: string, kind?: string): Promise<{ entries: number; firstAnswers: number }> {
  const firstAnswers = kind === undefined || kind === "tools" ? await clearFirstAnswers(dir) : 0
  if (!(await scanCacheDir(dir)).exists) return { entries: 0, firstAnswers }
  await using driver = new FileDriver({ dir })
  const before = (await driver.keys(kind ? `${kind}:` : "")).length
  await driver.clear(kind ? `${kind}:` : "")
  return { entries: before, firstAnswers }
}

async function clearFirstAnswers(dir: string): Promise<number> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (e) {
    if (errCode(e) === "ENOENT" || errCode(e) === "ENOTDIR") return 0
    throw e
  }
  let removed = 0
  for (const name of names) {
    if (!FIRST_ANSWER.test(name)) continue
    await rm(join(dir, name), { recursive: true, force: true })
    // one stored answer per file; its temp files, marks and early index are not counted apart
    if (/^tools-[0-9a-f]+\.snapshot\.json$/.test(name)) removed++
  }
  return removed
}

/** For doctor: can this directory hold cache entries? Writes and removes one probe entry. */
export async function probeCacheDir(dir: string): Promise<{ writable: true } | { writable: false; error: string; remedy?: string }> {
  await using driver = new FileDriver({ dir })
  await driver.set("doctor:probe", { value: true, storedAt: Date.now() })
  const ok = !driver.stats().degraded && (await driver.get("doctor:probe"))?.value === true
  // what is wrong with the directory says what to do (its permissions, a read-only disk, a symlink planted)
  const { remedy } = driver.stats()
  await driver.delete("doctor:probe")
  return ok ? { writable: true } : { writable: false, error: driver.lastWriteError ?? "entry could not be read back", ...(remedy !== undefined ? { remedy } : {}) }
}
