/**
 * @module cache/file-paths
 * Where cache files live and how a key becomes a file name: hex sha256 of the key, checked to stay
 * inside the cache directory with `path.relative` (never a prefix comparison).
 */
import { cacheHome } from "../config/index.ts"
import { createHash } from "node:crypto"
import { isAbsolute, join, relative, resolve, sep } from "node:path"

export const ENTRY_SUFFIX = ".entry"
export const CORRUPT_SUFFIX = ".corrupt"
export const TMP_SUFFIX = ".tmp"
/** Entries live in this sub-directory of the cache dir, so `clear` never touches anything else. */
export const ENTRIES_DIR = "entries"

const HASH_RE = /^[0-9a-f]{64}$/
const ENTRY_RE = /^[0-9a-f]{64}\.entry$/
const CORRUPT_RE = /^[0-9a-f]{64}\.entry(?:\.\d+)?\.corrupt$/
const TMP_RE = /^[0-9a-f]{64}\.entry\.(\d+)\.[0-9a-f]+\.tmp$/

export function hashKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex")
}

/** True when `p` is `root` itself or strictly below it (so `/c/cache-evil` is not inside `/c/cache`). */
export function isInside(root: string, p: string): boolean {
  const rel = relative(resolve(root), resolve(p))
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel))
}

/** The entry file for a key; throws if the result would leave `root` (it cannot, but we check). */
export function entryPath(root: string, key: string): string {
  const hash = hashKey(key)
  if (!HASH_RE.test(hash)) throw new Error("cache: bad hash")
  const p = join(root, hash + ENTRY_SUFFIX)
  if (!isInside(root, p) || resolve(p) === resolve(root)) throw new Error("cache: entry path escapes the cache directory")
  return p
}

export function isEntryName(name: string): boolean {
  return ENTRY_RE.test(name)
}
export function isCorruptName(name: string): boolean {
  return CORRUPT_RE.test(name)
}
/** The writer pid of a temp file name, or undefined when the name is not one of ours. */
export function tmpPid(name: string): number | undefined {
  const m = TMP_RE.exec(name)
  return m ? Number(m[1]) : undefined
}

/**
 * The cache directory: `cache.dir` from config (`~` expanded), else `$XDG_CACHE_HOME/mcp-orchestrator`
 * (only when absolute, as the XDG spec requires), else `~/.cache/mcp-orchestrator`.
 */
export function resolveCacheDir(dir: string | undefined, env: Record<string, string | undefined> = process.env): string {
  return cacheHome(dir, env)
}
