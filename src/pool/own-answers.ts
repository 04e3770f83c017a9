/**
 * @module pool/own-answers
 * What a request's own response body (the JSON body or SSE stream of its POST, or a resumption of
 * that stream) carried, checked before the SDK hands it on. The SDK delivers whatever JSON-RPC comes,
 * and one that answers no request of ours is dropped by the request layer: a JSON body whose
 * response carries another id ("3" for 3, an id of no request), an empty JSON array, an error with id
 * null, only notifications; an SSE event that is not JSON (the SDK reports it aside and reads on) or
 * not a JSON-RPC message. The request then waited for its whole timeout, or failed as a closed stream.
 * Here such a body names what came, so the request fails at once with BAD_RESPONSE (only that call:
 * the server answered). Large events (`LARGE_EVENT` and more) are checked over their bytes, never
 * parsed here (`checkJsonBytes`). Excerpts are bounded and scrubbed of secrets.
 */
import { checkJsonBytes, concatBytes, cutText, messageProblem, redactString, utf8Text } from "../core/index.ts"
import { SseEventEnds } from "./sse-event-ends.ts"

type Id = string | number

/** Events at least this large are checked over their bytes (not parsed a second time). */
const LARGE_EVENT = 256 * 1024
/** The most of a bad event quoted. */
const EXCERPT_CHARS = 120
/** How much of it is scrubbed of secrets before it is cut (a secret that straddles the cut is still found). */
const SCRUB_CHARS = 2048
const LF = 10
const CR = 13

const EMPTY_BATCH = "an empty JSON array (a batch with no response in it)"

/** `ids` for a message: "3", or "3 or 4". */
function expected(ids: readonly Id[]): string {
  return ids.map((i) => JSON.stringify(i)).join(" or ")
}

/** The id of a response as words: `99`, `"3"`, `null`. */
export function idWords(id: unknown): string {
  const s = JSON.stringify(id)
  return s === undefined ? "missing" : s.length > 60 ? `${s.slice(0, 60)}…` : s
}

/** An error response's code and message, bounded and scrubbed: "-32700 Parse error". */
export function errorWords(e: unknown): string {
  const x = e as { code?: unknown; message?: unknown } | null
  const code = typeof x?.code === "number" ? `${x.code} ` : ""
  const message = typeof x?.message === "string" ? x.message : JSON.stringify(e) ?? String(e)
  return redactString(`${code}${message.length > EXCERPT_CHARS ? `${cutText(message, EXCERPT_CHARS)}…` : message}`)
}

/** Why one response (`r`: a JSON-RPC response, of ids none of `ids`) is not the answer. */
function strayResponse(r: Record<string, unknown>, ids: readonly Id[], what: string): string {
  if (r.id === null && "error" in r) return `${what} is an error for no request (id null): ${errorWords(r.error)}`
  return `${what} came with id ${idWords(r.id)}, not ${expected(ids)} (the id of this request)`
}

export interface BodyVerdict {
  /** Why the body does not answer the request (undefined: it does, or the SDK's own check reports it). */
  problem?: string
  /** What the transport may hand on: the body without the responses to other ids. */
  keep: unknown
}

/**
 * A JSON body answering a POST of the requests `ids`: a problem when it is JSON-RPC but answers none
 * of them. A body that is no JSON-RPC at all is left to the SDK's check (it fails the request).
 */
export function jsonBodyVerdict(data: unknown, ids: readonly Id[]): BodyVerdict {
  if (ids.length === 0) return { keep: data }
  if (Array.isArray(data) && data.length === 0) return { problem: `its HTTP answer is ${EMPTY_BATCH}`, keep: data }
  const list: unknown[] = Array.isArray(data) ? data : [data]
  if (list.some((m) => messageProblem(m) !== undefined)) return { keep: data }
  const messages = list as Record<string, unknown>[]
  const responses = messages.filter((m) => !("method" in m))
  if (responses.some((r) => ids.includes(r.id as Id))) return { keep: data }
  const others = messages.filter((m) => "method" in m)
  if (responses.length === 0) return { problem: `its HTTP answer carries no response, only ${[...new Set(others.map((m) => String(m.method)))].join(", ")}`, keep: data }
  // the responses to other ids are not handed on (they would settle, or be taken for, another request)
  return { problem: strayResponse(responses[0]!, ids, "its HTTP answer"), keep: others }
}

/** One SSE event: its type (`event:`) and its data (the `data:` lines joined by LF), as bytes. */
interface SseEvent {
  type: string | undefined
  data: Uint8Array
  /** The event as it came (for the excerpt). */
  raw: Uint8Array
}

/**
 * Why an SSE event on the response stream of the requests `ids` is not their answer, or undefined
 * (their answer, a notification or request of the server, a comment, an event the SDK ignores).
 */
function eventProblem(e: SseEvent, ids: readonly Id[], answered: Set<Id>, asked?: (id: Id) => void): { problem: string; stray: boolean } | undefined {
  const p = eventText(e, ids, answered, asked)
  return p === undefined ? undefined : { problem: p, stray: p.startsWith(STRAY) }
}

const STRAY = "an answer on its response stream"

/** `answered`: noted, the id an event answers; `asked`: told the id of a request of the server's the event is. */
function eventText(e: SseEvent, ids: readonly Id[], answered: Set<Id>, asked?: (id: Id) => void): string | undefined {
  if ((e.type !== undefined && e.type !== "message") || e.data.byteLength === 0) return undefined
  const where = "an event on its response stream"
  if (e.data.byteLength >= LARGE_EVENT) return largeEventProblem(e, ids, where, answered)
  return parsedProblem(e, ids, where, answered, asked)
}

/** `eventText` of an event parsed whole. */
function parsedProblem(e: SseEvent, ids: readonly Id[], where: string, answered: Set<Id>, asked?: (id: Id) => void): string | undefined {
  let m: unknown
  try {
    m = JSON.parse(new TextDecoder().decode(e.data))
  } catch (x) {
    return `${where} is not JSON (${x instanceof Error ? x.message : String(x)}): ${excerpt(e.raw)}`
  }
  if (Array.isArray(m) && m.length === 0) return `${where} is ${EMPTY_BATCH}`
  const problem = messageProblem(m)
  if (problem !== undefined) return `${where} is not a JSON-RPC message (${problem}): ${excerpt(e.raw)}`
  const r = m as Record<string, unknown>
  if ("method" in r) {
    // a request of the server's on this stream: it was made while serving this POST's request
    // (a ping is answered by the pool itself: nobody would read the relation)
    if (asked !== undefined && r.method !== "ping" && (typeof r.id === "string" || typeof r.id === "number")) asked(r.id)
    return undefined
  }
  if (ids.includes(r.id as Id)) return void answered.add(r.id as Id)
  return strayResponse(r, ids, STRAY)
}

/** `eventProblem` for a large event, over its bytes: its JSON checked, the id of a response read alone. */
function largeEventProblem(e: SseEvent, ids: readonly Id[], where: string, answered: Set<Id>): string | undefined {
  const c = checkJsonBytes([e.data], true)
  // the byte walk gives up (past its depth, an escape in a key…): parsed, as a small event is. Before,
  // such an event was "not JSON": a notification nested 600 levels before its answer failed the call
  if (c === undefined) return parsedProblem(e, ids, where, answered)
  const members = c.members!
  if (members.has("method") || !(members.has("result") || members.has("error"))) return undefined
  const at = members.get("id")
  if (at === undefined) return `${where} is not a JSON-RPC message (a response without an id): ${excerpt(e.raw)}`
  const id = JSON.parse(utf8Text(e.data.subarray(at[0], at[1]))) as unknown
  if (ids.includes(id as Id)) return void answered.add(id as Id)
  return strayResponse({ id, ...(members.has("error") ? { error: undefined } : { result: undefined }) }, ids, STRAY)
}

/** The first bytes of an event, scrubbed of secrets, quoted: `"data: {\"jsonrpc\"…"`. */
function excerpt(raw: Uint8Array): string {
  const text = redactString(cutText(utf8Text(raw.subarray(0, SCRUB_CHARS * 4)), SCRUB_CHARS)).trimEnd()
  return JSON.stringify(text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text)
}

/** An event that is not the answer it should be: why, and its first bytes (to read the id it starts with). */
export interface EventProblem {
  problem: string
  /** A response whose id is none of the expected ones (else: not JSON, or not JSON-RPC). */
  stray: boolean
  head: string
}

/**
 * Splits an SSE byte stream into events (an event ends at an empty line: a line terminator — CR, LF
 * or CRLF — right after another one) and judges each for the requests `ids()` (`eventProblem`) not
 * answered yet on this stream: once an event answers a request, what follows (a second answer, one
 * with another id) no longer fails it. Before, a stray event read in the same chunk as the answer
 * (before the SDK had it) failed a call that had its answer.
 */
export class SseAnswerCheck {
  private readonly ends = new SseEventEnds()
  private held: Uint8Array[] = []
  /** Ids an event of this stream answered (pruned to those still expected). */
  private readonly answered = new Set<Id>()

  /**
   * `asked`: told the id of each request of the server's (elicitation/create, sampling…) on this
   * stream, while the requests `ids()` are not all answered: the server asked it while serving them.
   */
  constructor(
    private readonly ids: () => readonly Id[],
    private readonly asked?: (id: Id) => void,
  ) {}

  /** The problems of the events `chunk` ends (most often none). */
  feed(chunk: Uint8Array): EventProblem[] {
    const out: EventProblem[] = []
    let start = 0
    const n = chunk.byteLength
    for (let i = this.ends.next(chunk, 0); i >= 0; i = this.ends.next(chunk, i)) {
      const raw = this.take(chunk.subarray(start, i))
      start = i
      const all = this.ids()
      const ids = this.answered.size === 0 ? all : all.filter((id) => !this.answered.has(id))
      if (this.answered.size > 64) for (const id of this.answered) if (!all.includes(id)) this.answered.delete(id)
      if (ids.length === 0) continue
      const problem = eventProblem(parseEvent(raw), ids, this.answered, this.asked)
      if (problem !== undefined) out.push({ ...problem, head: utf8Text(raw.subarray(0, 512)) })
    }
    if (start < n) this.held.push(chunk.subarray(start))
    return out
  }

  /** The held bytes and then `tail`, as one array (copied only when bytes were held). */
  private take(tail: Uint8Array): Uint8Array {
    if (this.held.length === 0) return tail
    const parts = [...this.held, tail]
    this.held = []
    return concatBytes(parts)
  }
}

/** The type and data of one event's bytes (its lines, as the SSE spec reads them). */
function parseEvent(raw: Uint8Array): SseEvent {
  let type: string | undefined
  const data: Uint8Array[] = []
  let i = 0
  const n = raw.byteLength
  while (i < n) {
    const lf = raw.indexOf(LF, i)
    const cr = raw.indexOf(CR, i)
    let end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr)
    if (end < 0) end = n
    const line = raw.subarray(i, end)
    i = end + (raw[end] === CR && raw[end + 1] === LF ? 2 : 1)
    if (line.byteLength === 0 || line[0] === 58) continue // empty, or a comment (":")
    const colon = line.indexOf(58)
    const field = utf8Text(colon < 0 ? line : line.subarray(0, colon))
    let value = colon < 0 ? new Uint8Array(0) : line.subarray(colon + 1)
    if (value[0] === 32) value = value.subarray(1)
    if (field === "data") data.push(value)
    else if (field === "event") type = utf8Text(value)
  }
  return { type, data: data.length === 1 ? data[0]! : joinLines(data), raw }
}

function joinLines(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 0) return new Uint8Array(0)
  const all = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0) + parts.length - 1)
  let at = 0
  parts.forEach((p, k) => {
    if (k > 0) all[at++] = LF
    all.set(p, at)
    at += p.byteLength
  })
  return all
}
