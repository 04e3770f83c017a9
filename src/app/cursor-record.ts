/**
 * @module app/cursor-record
 * What `cursor connect --import` took out of each mcp.json, so `cursor disconnect` can put it back:
 * $XDG_STATE_HOME/mcp-orchestrator/cursor-imports.json, keyed by the mcp.json's absolute path.
 * The entries may hold secrets (env, headers), so the file is 0600 and written atomically.
 */
import { existsSync } from "node:fs"
import { join, resolve } from "node:path"
import { z } from "zod"
import { stateHome } from "../config/index.ts"
import { readPlainText, writeFileAtomic } from "../core/index.ts"

const ImportSchema = z.object({
  /** Key of our entry in that mcp.json. */
  entry: z.string(),
  /** Entries moved out, as they were written there. */
  servers: z.record(z.string(), z.unknown()),
  /** The comments written with those entries (lines of text by name), put back with them. */
  comments: z.record(z.string(), z.array(z.string())).optional(),
  /** The orchestrator config they went into. */
  config: z.string().optional(),
  at: z.string(),
})
export type CursorImport = z.infer<typeof ImportSchema>

const RecordSchema = z.object({ version: z.literal(1), files: z.record(z.string(), ImportSchema) })
type ImportRecord = z.infer<typeof RecordSchema>

export function recordPath(env: Record<string, string | undefined>): string {
  return join(stateHome(env), "cursor-imports.json")
}

function readRecord(env: Record<string, string | undefined>): ImportRecord {
  const path = recordPath(env)
  if (!existsSync(path)) return { version: 1, files: {} }
  // A record we cannot read is no reason to fail a disconnect; the mcp.json backups remain.
  let raw: unknown
  try {
    raw = JSON.parse(readPlainText(path))
  } catch {
    return { version: 1, files: {} }
  }
  const parsed = RecordSchema.safeParse(raw)
  return parsed.success ? parsed.data : { version: 1, files: {} }
}

function writeRecord(env: Record<string, string | undefined>, rec: ImportRecord): void {
  const path = recordPath(env)
  writeFileAtomic(path, JSON.stringify(rec, null, 2) + "\n")
}

/** Adds `servers` to what was moved out of `mcpPath` (earlier imports into the same file are kept). */
export function recordImport(env: Record<string, string | undefined>, mcpPath: string, add: Omit<CursorImport, "at">): void {
  const rec = readRecord(env)
  const key = resolve(mcpPath)
  const prev = rec.files[key]
  const same = prev?.entry === add.entry
  const comments = { ...(same ? prev.comments : {}), ...add.comments }
  rec.files[key] = { ...add, servers: { ...(same ? prev.servers : {}), ...add.servers }, ...(Object.keys(comments).length ? { comments } : {}), at: new Date().toISOString() }
  writeRecord(env, rec)
}

export function importOf(env: Record<string, string | undefined>, mcpPath: string): CursorImport | undefined {
  return readRecord(env).files[resolve(mcpPath)]
}

export function forgetImport(env: Record<string, string | undefined>, mcpPath: string): void {
  const rec = readRecord(env)
  const key = resolve(mcpPath)
  if (!Object.hasOwn(rec.files, key)) return
  delete rec.files[key]
  writeRecord(env, rec)
}
