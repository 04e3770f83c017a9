/**
 * @module pool/answer-envelope
 * A remote server's response repaired where the SDK's envelope check (`JSONRPCMessageSchema`: a
 * strict `{jsonrpc, id, result}` whose `result._meta` is an object) would refuse it whole while what
 * it carries is fine: a `result._meta` that is no object (`"x"`, `null`, `[]`, a number) is dropped,
 * and a member of the envelope other than `jsonrpc`, `id`, `result`, `error` is left out. Refused,
 * the answer was lost: a list page's valid tools were all gone (every tool of the server) and its
 * listing retried for ever, a call waited for its timeout. A stdio server's answer is read so
 * (pool/rpc reads `result` and ignores the rest): the same answer now reads the same on both. What
 * was repaired is returned in words, for the warning and the server's status.
 */

import { concatBytes, utf8Text } from "../core/index.ts"
import { SseEventEnds } from "./sse-event-ends.ts"

const ENVELOPE = new Set(["jsonrpc", "id", "result", "error"])

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

/** What one value is, in a few words: `a string`, `null`, `an array`. */
function kindOf(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `a ${typeof v}`
}

/** `m` (one message, in place) repaired; what was repaired, in words (none: it was fine, or is no response). */
export function repairResponse(m: unknown): string[] {
  if (!isObject(m) || "method" in m || !("id" in m) || !("result" in m || "error" in m)) return []
  const out: string[] = []
  const extra = Object.keys(m).filter((k) => !ENVELOPE.has(k))
  if (extra.length > 0) {
    for (const k of extra) delete m[k]
    const shown = extra.slice(0, 5).map((k) => JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k))
    out.push(`its response carried ${extra.length === 1 ? "a member" : "members"} JSON-RPC has no place for (${shown.join(", ")}${extra.length > 5 ? `, … ${extra.length} in all` : ""}): left out`)
  }
  const r = m.result
  if (isObject(r) && "_meta" in r && !isObject(r._meta)) {
    out.push(`its result's _meta is ${kindOf(r._meta)}, not an object: left out`)
    delete r._meta
  }
  return out
}

/** Each response of a JSON body (a message or a batch) repaired in place; what was repaired. */
export function repairBody(data: unknown): string[] {
  const out: string[] = []
  for (const m of Array.isArray(data) ? data : [data]) out.push(...repairResponse(m))
  return out
}

/** Events at least this large are handed on as they came (not parsed a second time; a limit). */
const LARGE_EVENT = 256 * 1024
const LF = 10
const CR = 13
const encoder = new TextEncoder()

/**
 * An SSE response stream's events repaired as `repairResponse` does a JSON body, one complete event
 * at a time: `feed` gives back what may be handed on (whole events; a partial one is held until it
 * ends), `end` what is left. An event that needs no repair is handed on byte for byte; a repaired one
 * keeps its other lines (`id:`, `event:`, `retry:`: its resumption) and carries its data on one line.
 */
export class SseRepair {
  private readonly ends = new SseEventEnds()
  private held: Uint8Array[] = []

  constructor(private readonly said: (what: readonly string[]) => void) {}

  feed(chunk: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = []
    let start = 0
    for (let i = this.ends.next(chunk, 0); i >= 0; i = this.ends.next(chunk, i)) {
      const part = chunk.subarray(start, i)
      start = i
      const raw = this.held.length === 0 ? part : concatBytes([...this.held, part])
      this.held = []
      out.push(this.repaired(raw))
    }
    if (start < chunk.byteLength) this.held.push(chunk.slice(start))
    return out
  }

  /** The bytes of an event that never ended (the stream did), as they came. */
  end(): Uint8Array[] {
    const rest = this.held
    this.held = []
    return rest
  }

  private repaired(raw: Uint8Array): Uint8Array {
    if (raw.byteLength >= LARGE_EVENT) return raw
    const lines = utf8Text(raw).split(/\r\n|\r|\n/)
    const data: string[] = []
    const other: string[] = []
    for (const line of lines) {
      if (line === "") continue
      if (line === "data" || line.startsWith("data:")) data.push(line.slice(line.startsWith("data: ") ? 6 : 5))
      else other.push(line)
    }
    if (data.length === 0) return raw
    let m: unknown
    try {
      m = JSON.parse(data.join("\n"))
    } catch {
      return raw
    }
    const what = repairBody(m)
    if (what.length === 0) return raw
    this.said(what)
    return encoder.encode(`${[...other, `data: ${JSON.stringify(m)}`].join("\n")}\n\n`)
  }
}
