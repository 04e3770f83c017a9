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
import { errorMessage, keepAside, readPlainText, writeFileAtomic } from "../core/index.ts"

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

/** The record as read; `damaged` says why the file there could not be read as one (it is then taken as empty). */
interface ReadRecord {
  rec: ImportRecord
  damaged?: string
}

function readRecord(env: Record<string, string | undefined>): ReadRecord {
  const path = recordPath(env)
  const empty = (): ImportRecord => ({ version: 1, files: {} })
  if (!existsSync(path)) return { rec: empty() }
  // A record we cannot read is no reason to fail a disconnect; the mcp.json backups remain. It is
  // said (a note), not passed over in silence: the user learns why nothing is put back.
  let raw: unknown
  try {
    raw = JSON.parse(readPlainText(path))
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    const why = code === "EFBIG" ? "too large" : e instanceof SyntaxError ? "not valid JSON" : errorMessage(e)
    return { rec: empty(), damaged: why }
  }
  const parsed = RecordSchema.safeParse(raw)
  return parsed.success ? { rec: parsed.data } : { rec: empty(), damaged: "not a Cursor import record of this program" }
}

function writeRecord(env: Record<string, string | undefined>, rec: ImportRecord): void {
  const path = recordPath(env)
  writeFileAtomic(path, JSON.stringify(rec, null, 2) + "\n")
}

/** Where a note about the record goes (app/cursor-setup: the report's notes, printed to the user). */
export type RecordNote = (text: string) => void

/**
 * Adds `servers` to what was moved out of `mcpPath` (earlier imports into the same file are kept).
 * A damaged record is kept aside (`*.corrupt`: the entries it held, maybe with secrets, stay for the
 * user) before the new one replaces it, and `note` says so.
 */
export function recordImport(env: Record<string, string | undefined>, mcpPath: string, add: Omit<CursorImport, "at">, note?: RecordNote): void {
  const { rec, damaged } = readRecord(env)
  if (damaged !== undefined) {
    const path = recordPath(env)
    const kept = keepAside(path)
    note?.(`the Cursor import record ${path} was damaged (${damaged}): ${kept ? `kept aside as ${kept}` : "it could not be kept aside"} and a new record is written; the servers moved out by earlier imports are not put back by \`cursor disconnect\` (the mcp.json backups hold them)`)
  }
  const key = resolve(mcpPath)
  const prev = rec.files[key]
  const same = prev?.entry === add.entry
  const comments = { ...(same ? prev.comments : {}), ...add.comments }
  rec.files[key] = { ...add, servers: { ...(same ? prev.servers : {}), ...add.servers }, ...(Object.keys(comments).length ? { comments } : {}), at: new Date().toISOString() }
  writeRecord(env, rec)
}

/** What `connect --import` moved out of `mcpPath`; a damaged record is ignored (no entry), and `note` says so. */
export function importOf(env: Record<string, string | undefined>, mcpPath: string, note?: RecordNote): CursorImport | undefined {
  const { rec, damaged } = readRecord(env)
  if (damaged !== undefined) {
    const path = recordPath(env)
    note?.(`the Cursor import record ${path} is damaged (${damaged}): it is ignored, so no server moved out by \`connect --import\` is put back; the mcp.json backups (mcp.json.bak-*) hold them; remove the record once they are restored`)
  }
  return rec.files[resolve(mcpPath)]
}

/** Drops `mcpPath`'s entry; a damaged record is left as it is (there is nothing in it to drop). */
export function forgetImport(env: Record<string, string | undefined>, mcpPath: string): void {
  const { rec, damaged } = readRecord(env)
  if (damaged !== undefined) return
  const key = resolve(mcpPath)
  if (!Object.hasOwn(rec.files, key)) return
  delete rec.files[key]
  writeRecord(env, rec)
}
