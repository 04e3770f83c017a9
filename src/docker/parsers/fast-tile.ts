/**
 * @module docker/parsers/fast-tile
 * Hand-written readers for the catalog's per-entry shapes (`TileIn`, `ToolIn`, `PolicyIn`): a
 * catalog of ~18 000 entries went through zod twice per entry (input and output), ~80 % of the
 * time the main thread was stalled on it. Each reader accepts only an entry whose every known
 * field already has the type the zod shape would keep (the canonical case: what the Toolkit
 * prints), and returns what the zod shape would have returned for it; anything else (a field of a
 * wrong type that zod would `.catch`, a missing tool name…) returns undefined, and the caller
 * parses that entry with the zod shape as before. So the values, and every error message, are
 * the same as with zod alone (test/docker/catalog-fast.test.ts compares them).
 */
import { isRecord } from "../../core/index.ts"
import type { PolicyIn, TileIn, ToolInT } from "./common.ts"
import type { z } from "zod"

type TileInT = z.output<typeof TileIn>
type PolicyT = z.output<typeof PolicyIn>

/** Marks "not canonical: use the zod shape". */
const NO = Symbol("not canonical")
type Read<T> = T | typeof NO

function optString(v: unknown): boolean {
  return v === undefined || typeof v === "string"
}

function optBool(v: unknown): boolean {
  return v === undefined || typeof v === "boolean"
}

/** `z.record(z.string(), z.unknown()).nullish()` */
function nullishRecord(v: unknown): boolean {
  return v === undefined || v === null || isRecord(v)
}

/** PolicyIn (`z.object`: unknown keys dropped): undefined when absent. */
function policy(v: unknown): Read<PolicyT> {
  if (v === undefined) return undefined
  if (!isRecord(v) || typeof v.allowed !== "boolean" || !optString(v.reason) || !optString(v.error)) return NO
  const out: NonNullable<PolicyT> = { allowed: v.allowed }
  if ("reason" in v) out.reason = v.reason as string | undefined
  if ("error" in v) out.error = v.error as string | undefined
  return out
}

function argument(v: unknown): boolean {
  return isRecord(v) && typeof v.name === "string" && optString(v.type) && optString(v.desc) && optBool(v.optional)
}

/** ToolIn for a canonical tool, else undefined (parse it with the zod shape). */
export function fastTool(v: unknown): ToolInT | undefined {
  if (!isRecord(v)) return undefined
  if (typeof v.name !== "string" || v.name.length === 0) return undefined
  if (!optString(v.title) || !(v.description === null || optString(v.description))) return undefined
  if (!nullishRecord(v.inputSchema) || !nullishRecord(v.parameters) || !nullishRecord(v.outputSchema) || !nullishRecord(v.annotations)) return undefined
  if (!optBool(v.enabled)) return undefined
  const args = v.arguments
  if (!(args === undefined || args === null || (Array.isArray(args) && args.every(argument)))) return undefined
  const p = policy(v.policy)
  if (p === NO) return undefined
  return { ...v, policy: p } as ToolInT
}

/** `nullableList(item)`: null → [], an array whose every item reads, else NO. */
function list<T>(v: unknown, item: (x: unknown) => T | undefined): Read<T[] | undefined> {
  if (v === undefined) return undefined
  if (v === null) return []
  if (!Array.isArray(v)) return NO
  const out: T[] = new Array(v.length)
  for (let i = 0; i < v.length; i++) {
    const x = item(v[i])
    if (x === undefined) return NO
    out[i] = x
  }
  return out
}

const secret = (v: unknown): { name: string; env?: string | undefined } | undefined => (isRecord(v) && typeof v.name === "string" && optString(v.env) ? (v as { name: string; env?: string }) : undefined)
const configItem = (v: unknown): Record<string, unknown> | undefined => (isRecord(v) ? v : undefined)

const STRING_FIELDS = ["name", "type", "title", "description", "image", "icon", "readme", "prefix"] as const

/** TileIn for a canonical catalog tile (`null` reads as `{}`), else undefined (parse it with the zod shape). */
export function fastTile(v: unknown): TileInT | undefined {
  if (v === null) return {} as TileInT
  if (!isRecord(v)) return undefined
  for (const k of STRING_FIELDS) if (!optString(v[k])) return undefined
  if (!optBool(v.longLived)) return undefined
  const r = v.remote
  if (!(r === undefined || r === null || (isRecord(r) && optString(r.url) && optString(r.transport_type) && (r.headers === undefined || (isRecord(r.headers) && Object.values(r.headers).every((h) => typeof h === "string"))))))
    return undefined
  const m = v.metadata
  if (!(m === undefined || m === null || (isRecord(m) && (m.category === undefined || m.category === null || typeof m.category === "string") && (m.tags === undefined || m.tags === null || (Array.isArray(m.tags) && m.tags.every((t) => typeof t === "string"))))))
    return undefined
  const secrets = list(v.secrets, secret)
  const config = list(v.config, configItem)
  const tools = list(v.tools, fastTool)
  const p = policy(v.policy)
  if (secrets === NO || config === NO || tools === NO || p === NO) return undefined
  const out: Record<string, unknown> = { ...v, policy: p }
  if (v.secrets !== undefined) out.secrets = secrets
  if (v.config !== undefined) out.config = config
  if (v.tools !== undefined) out.tools = tools
  return out as TileInT
}

/** OciServerIn (a profiles-era catalog entry) when canonical, else undefined (parse it with the zod shape). */
export function fastOciEntry(v: unknown): Record<string, unknown> | undefined {
  if (!isRecord(v)) return undefined
  if (!optString(v.type) || !optString(v.image) || !optString(v.source) || !optString(v.endpoint)) return undefined
  const tools = v.tools
  let outTools: unknown = tools
  if (Array.isArray(tools)) {
    const read = new Array<unknown>(tools.length)
    for (let i = 0; i < tools.length; i++) {
      const t = tools[i]
      read[i] = typeof t === "string" ? t : fastTool(t)
      if (read[i] === undefined) return undefined
    }
    outTools = read
  } else if (!(tools === undefined || tools === null)) return undefined
  const snap = v.snapshot
  let outSnap: unknown = snap
  if (isRecord(snap)) {
    const server = snap.server === undefined || snap.server === null ? snap.server : fastTile(snap.server)
    if (server === undefined && snap.server !== undefined) return undefined
    outSnap = { ...snap, server }
  } else if (!(snap === undefined || snap === null)) return undefined
  const p = policy(v.policy)
  if (p === NO) return undefined
  return { ...v, tools: outTools, snapshot: outSnap, policy: p }
}
