/**
 * @module pool/remote-limits
 * `pool.maxFrameBytes` for remote downstreams: the fetch under the SDK's HTTP transports (both eras,
 * Streamable HTTP and legacy HTTP+SSE, the era probe) hands on each response body through a counter,
 * never buffering it. A body that is not an SSE stream (a JSON answer, an error page) may hold at most
 * the limit: one that declares more (Content-Length, without content coding) is not read at all, one
 * that streams more is cut off when it crosses the limit. An SSE stream is bounded per event: the
 * bytes since the last event boundary (a blank line). Bytes are counted as decoded, and the MCP
 * endpoint's answers are decoded here as they are read (gzip, deflate, br, zstd), so a compressed
 * bomb is cut off as its decoded bytes pass the limit, never inflated ahead of the reader. When a body
 * goes over, `over` is told (it fails the request the body carried, with FRAME_TOO_LARGE) and the
 * body errors with the error it returns, while the rest of it is left unread (the connection closed),
 * and what was read of it is reported as garbage to `resultBudget` (whose hint runs a full GC, as for
 * a stdio frame dropped while it is read).
 * Large messages (a body, or an SSE event, of 256 KiB and more) count against
 * `pool.maxResultBytesInFlight` (`resultBudget`, shared with stdio frames) from their first byte read
 * until the transport handed the parsed message on (`hold` decides when that is: see
 * `RequestStreams.hold`; without one, a task after the message went to the transport). One that would
 * take the total over the budget is refused at once, as one over the limit is (`over` is told, with
 * `overBudget`: RESULTS_OVER_BUDGET), unless it is alone in flight. Bytes of a body that errors, is
 * cancelled or refused are given back at once; a body dropped unread gives them back when collected.
 * A request that takes less than the limit (a run_code script's call) has a lower one: per body
 * (`CapOf`), or per event of a stream that carries many requests' answers (`EventCaps`: legacy
 * HTTP+SSE), where an event over its cap is skipped as it comes and the stream goes on.
 */
import { concatBytes, DownstreamError, mib, resultBudget, utf8Text } from "../core/index.ts"
import type { Fetch } from "./remote-errors.ts"
import { SseEventEnds } from "./sse-event-ends.ts"

type Id = string | number

/** The request a response body answers. */
export interface BodyOf {
  url: string
  /** The request's HTTP method, its body (the JSON-RPC message of a POST) and its `Last-Event-ID`. */
  httpMethod: string
  body: unknown
  lastEventId: string | null
  /** An SSE stream (bounded per event); else the whole body. */
  sse: boolean
}

/**
 * A large message of a body went to the transport whole: `bytes` of the result budget are its, until
 * whoever takes them gives them back (`resultBudget.give`) once the transport handed it on. `id`: the
 * JSON-RPC id its first or last bytes show, if any.
 */
export type Hold = (of: BodyOf, bytes: number, id: Id | undefined) => void

/** A response body that went over the limit, or whose message the result budget refused. */
export interface Oversize extends BodyOf {
  /** The declared Content-Length, or the bytes read when the limit was crossed. */
  bytes: number
  declared: boolean
  limit: number
  /** The first bytes of the message that went over (its SSE event, or the body), as text. */
  head: string
  /**
   * Set when the message was refused for `pool.maxResultBytesInFlight`, not for its own size (`bytes`:
   * what was read of it): the large results others held and the budget.
   */
  overBudget?: { inFlight: number; limit: number }
  /** Set when `limit` is the request's own (`CapOf`: a run_code script's call), lower than `pool.maxFrameBytes`. */
  ownLimit?: true
}

/** The most bytes an answer to the request(s) a body carries may have, when lower than the limit (RequestOptions.maxAnswerBytes). */
export type CapOf = (of: BodyOf) => number | undefined

/**
 * Per event of an SSE stream that carries the answers of many requests (legacy HTTP+SSE's GET
 * stream): the cap of the answer an event's first bytes start (`capOf`), and what to do with an event
 * over it (`dropped`): it is dropped as it comes, never held nor parsed, and the stream goes on.
 * Told when the event passes its cap (`ended` false: `id` only when its first bytes show it) and
 * again at its end (`ended`, `bytes` in all, `id` from its first or last bytes).
 */
export interface EventCaps {
  capOf(head: string): number | undefined
  dropped(o: Oversize & { id: Id | undefined; ended: boolean }): void
}

const HEAD_BYTES = 512
/** The last bytes of a message kept to read its id from (a compact SDK answer ends with it). */
const TAIL_BYTES = 128

/** Content codings decoded here, as `DecompressionStream` names them (those the runtime's fetch decodes). */
const CODINGS: Record<string, string> = { gzip: "gzip", "x-gzip": "gzip", deflate: "deflate", br: "brotli", zstd: "zstd" }

/**
 * `base`, each response body bounded to `limit` bytes (per event for SSE); `over` gives the error a
 * body that went over ends with. Answers from `endpoint` (the MCP endpoint's label, `endpointLabel`)
 * are decoded here rather than by the runtime: Bun's fetch inflates whatever compressed bytes came
 * in at once, ahead of the reader (a 64 KiB gzip read of a bomb is 64 MiB), a `DecompressionStream`
 * only as its output is read. Other urls (an authorization server's) keep the runtime's decoding,
 * still counted (a token endpoint's answer may be read whole by the OAuth code before it is handed on).
 * Large messages count against the result budget until `hold` gives them back (see the module).
 */
export function limitBodies(base: Fetch, maxFrameBytes: number, over: (o: Oversize) => Error, endpoint?: string, hold: Hold = releaseSoon, capOf?: CapOf, eventCaps?: EventCaps): Fetch {
  if (!Number.isFinite(maxFrameBytes) && capOf === undefined && eventCaps === undefined) return base
  return async (url, init) => {
    const ours = endpoint !== undefined && sameEndpoint(url, endpoint)
    // `decompress` is Bun's (other runtimes ignore it)
    const res = await base(url, ours ? ({ ...init, decompress: false } as RequestInit) : init)
    let body = res.body
    if (body === null || res.status === 204 || res.status === 304) return res
    const sse = (res.headers.get("content-type") ?? "").toLowerCase().includes("text/event-stream")
    const of: BodyOf = {
      url: String(url),
      httpMethod: (init?.method ?? "GET").toUpperCase(),
      body: init?.body,
      lastEventId: init?.headers !== undefined ? new Headers(init.headers).get("last-event-id") : null,
      sse,
    }
    // a request that takes less (a run_code script's call): its answer is refused by that size, unread
    const cap = capOf?.(of)
    const own = cap !== undefined && cap < maxFrameBytes
    const limit = own ? cap : maxFrameBytes
    const seen = (bytes: number, declared: boolean, head: string, overBudget?: Oversize["overBudget"]): Error => over({ ...of, bytes, declared, limit, head, ...(overBudget ? { overBudget } : own ? { ownLimit: true as const } : {}) })
    const codings = (res.headers.get("content-encoding") ?? "")
      .split(",")
      .map((c) => c.trim().toLowerCase())
      .filter((c) => c !== "" && c !== "identity")
    // a declared length counts only without a content coding (gzip: Content-Length is the compressed size)
    const length = Number(res.headers.get("content-length") ?? NaN)
    if (!sse && codings.length === 0 && length > limit) {
      void body.cancel().catch(() => {})
      const error = seen(length, true, "")
      return rewrap(res, new ReadableStream<Uint8Array>({ start: (c) => c.error(error) }), res.headers)
    }
    let headers = res.headers
    // decoded as read (the last coding applied is undone first); a coding we do not know is left as the runtime leaves it
    if (ours && codings.length > 0 && codings.every((c) => Object.hasOwn(CODINGS, c))) {
      for (const c of [...codings].reverse()) body = body.pipeThrough(new DecompressionStream(CODINGS[c] as ConstructorParameters<typeof DecompressionStream>[0]) as unknown as TransformStream<Uint8Array, Uint8Array>)
      headers = new Headers(res.headers)
      headers.delete("content-encoding")
      headers.delete("content-length")
    }
    const perEvent = sse && eventCaps !== undefined ? { capOf: (head: string) => eventCaps.capOf(head), dropped: (d: Dropped) => eventCaps.dropped({ ...of, bytes: d.bytes, declared: false, limit: d.cap, head: d.head, ownLimit: true, id: d.id, ended: d.ended }) } : undefined
    return rewrap(res, counted(body, limit, sse, (bytes, head, overBudget) => seen(bytes, false, head, overBudget), (bytes, id) => hold(of, bytes, id), perEvent), headers)
  }
}

/** The default `Hold`: given back a task later (the transport parses and hands on what it was given within the current one). */
function releaseSoon(_of: BodyOf, bytes: number): void {
  setTimeout(() => resultBudget.give(bytes), 0).unref?.()
}

/** Is `url` the MCP endpoint labelled `endpoint` (scheme, host, port and path; the query may differ)? */
function sameEndpoint(url: string | URL, endpoint: string): boolean {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}${u.pathname}` === endpoint
  } catch {
    return false
  }
}

/** `res` with `body` and `headers` instead of its own (status and url kept). */
function rewrap(res: Response, body: ReadableStream<Uint8Array>, headers: Headers): Response {
  const out = new Response(body, { status: res.status, statusText: res.statusText, headers })
  if (res.url) Object.defineProperty(out, "url", { value: res.url })
  return out
}

/** The bytes of the result budget a body holds for the message being read (given back if it is dropped unread). */
interface Charge {
  bytes: number
}

/** A safety net: a body dropped without being read to its end or cancelled still gives its bytes back. */
const giveOnCollect = new FinalizationRegistry<Charge>((c) => {
  if (c.bytes > 0) resultBudget.give(c.bytes)
  c.bytes = 0
})

/**
 * `body` counted (per event when `sse`): past `limit` it errors with what `over` returns and the
 * rest is not read (the source is cancelled). An SSE stream is handed on in whole events: the bytes
 * of an event not ended yet are held (at most `limit`) until its end comes, so the SDK's event
 * parser, which joins an open line with each new chunk and scans it again, sees a long event once
 * (a 32 MiB line in 1 MiB chunks would otherwise cost it half a GiB of copies).
 * A large message (the body, an event) counts against `resultBudget` from its first bytes; once it
 * went on whole its bytes are `settle`d (the holder gives them back). One the budget refuses ends the
 * body as one over the limit does (`over` with `overBudget`).
 */
function counted(body: ReadableStream<Uint8Array>, limit: number, sse: boolean, over: (bytes: number, head: string, overBudget?: Oversize["overBudget"]) => Error, settle: (bytes: number, id: Id | undefined) => void, perEvent?: { capOf(head: string): number | undefined; dropped(d: Dropped): void }): ReadableStream<Uint8Array> {
  const reader = body.getReader()
  const counter = sse ? new EventCounter(limit, resultBudget.large, perEvent?.capOf) : new BodyCounter(limit, resultBudget.large)
  const charge: Charge = { bytes: 0 }
  const giveBack = (): number => {
    const n = charge.bytes
    charge.bytes = 0
    if (n > 0) resultBudget.give(n)
    return n
  }
  const stream = new ReadableStream<Uint8Array>({
    async pull(c) {
      // a chunk that ends no event gives nothing to hand on yet: read on
      for (;;) {
        let chunk: Uint8Array
        try {
          const { value, done } = await reader.read()
          if (done) {
            const whole = counter.end()
            const rest = counter.rest()
            if (rest !== undefined) c.enqueue(rest)
            // the whole body went on; an SSE event never ended is dropped by the parser: garbage
            if (whole !== undefined && charge.bytes > 0) {
              settle(charge.bytes, whole.id)
              charge.bytes = 0
            } else giveBack()
            return c.close()
          }
          chunk = value
        } catch (e) {
          giveBack()
          return c.error(e)
        }
        const fed = counter.feed(chunk)
        if ("over" in fed) {
          void reader.cancel().catch(() => {})
          c.error(over(fed.over.bytes, fed.over.head))
          // what was read of it is garbage now, in buffers the GC leaves for long (as for a dropped stdio frame)
          return resultBudget.dropped(Math.max(0, fed.over.bytes - giveBack()))
        }
        // events over their own cap: their requests fail, the stream goes on
        if (fed.dropped !== undefined) {
          for (const d of fed.dropped) perEvent?.dropped(d)
          // what was held of them is garbage now: given back (give counts it as garbage)
          const keep = counter.pending >= resultBudget.large ? counter.pending : 0
          if (charge.bytes > keep) {
            resultBudget.give(charge.bytes - keep)
            charge.bytes = keep
          }
        }
        // the large messages ended in this chunk, and the one being read if large, count from here
        let want = counter.pending >= resultBudget.large ? counter.pending : 0
        for (const f of fed.ended) want += f.bytes
        if (want > charge.bytes && !resultBudget.take(want - charge.bytes, charge.bytes)) {
          const inFlight = resultBudget.inFlight - charge.bytes
          void reader.cancel().catch(() => {})
          const refused = fed.ended[0] ?? { bytes: counter.pending, head: counter.pendingHead() }
          c.error(over(refused.bytes, refused.head, { inFlight, limit: resultBudget.limit }))
          return resultBudget.dropped(Math.max(0, refused.bytes - giveBack()))
        }
        charge.bytes = Math.max(charge.bytes, want)
        for (const f of fed.ended) {
          charge.bytes -= f.bytes
          settle(f.bytes, f.id)
        }
        if (fed.out !== undefined) return c.enqueue(fed.out)
      }
    },
    cancel: (reason) => {
      giveBack()
      return reader.cancel(reason)
    },
  })
  giveOnCollect.register(stream, charge)
  return stream
}

interface Overrun {
  bytes: number
  head: string
}

/** A large message that ended (an SSE event, or a whole body): its bytes, first bytes and id. */
interface Ended {
  bytes: number
  head: string
  id: Id | undefined
}

const NONE: readonly Ended[] = []

/**
 * An event dropped unread for its own cap (`EventCaps`): its bytes so far (`ended`: all of it), first
 * bytes, cap, and the id its edges show (its first bytes only, before its end).
 */
interface Dropped {
  bytes: number
  head: string
  cap: number
  id: Id | undefined
  ended: boolean
}

/** What a chunk gave: bytes to hand on (none yet: held), the large events it ended and the events it dropped, or the limit crossed. */
type Fed = { out: Uint8Array | undefined; ended: readonly Ended[]; dropped?: readonly Dropped[] } | { over: Overrun }

function headOf(chunk: Uint8Array, from: number): string {
  return utf8Text(chunk.subarray(from, from + HEAD_BYTES))
}

/**
 * The JSON-RPC id of a message from its first and last bytes: a leading one (`{"jsonrpc":"2.0","id":…`),
 * else the one that ends it (`…,"id":3}`, the TypeScript SDK's layout; one inside a result never ends the message).
 */
function edgeId(head: string, tail: string): Id | undefined {
  const lead = leadingId(head)
  if (lead !== undefined) return lead
  const m = /"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")\s*\}\s*$/.exec(tail)
  if (!m) return undefined
  const v = m[1]!
  if (v.startsWith('"')) return JSON.parse(v) as string
  const n = Number(v)
  return Number.isSafeInteger(n) ? n : undefined
}

/** The last TAIL_BYTES before `end` of what `held` and then `chunk` hold, as text. */
function tailOf(held: readonly Uint8Array[], chunk: Uint8Array, end: number): string {
  if (end >= TAIL_BYTES || held.length === 0) return utf8Text(chunk.subarray(Math.max(0, end - TAIL_BYTES), end))
  const last = held[held.length - 1]!
  return utf8Text(last.subarray(Math.max(0, last.byteLength - (TAIL_BYTES - end)))) + utf8Text(chunk.subarray(0, end))
}

/** A whole body: its bytes so far (handed on as they come). */
class BodyCounter {
  private bytes = 0
  private first: Uint8Array | undefined
  private tail = new Uint8Array(0)

  constructor(
    private readonly limit: number,
    private readonly large: number,
  ) {}

  feed(chunk: Uint8Array): Fed {
    this.first ??= chunk
    this.bytes += chunk.byteLength
    if (this.bytes > this.limit) return { over: { bytes: this.bytes, head: headOf(this.first, 0) } }
    if (this.bytes >= this.large) this.tail = chunk.byteLength >= TAIL_BYTES ? chunk.slice(-TAIL_BYTES) : new Uint8Array([...this.tail, ...chunk].slice(-TAIL_BYTES))
    return { out: chunk, ended: NONE }
  }

  /** The bytes of the body so far (a body is one message, ended only with the body). */
  get pending(): number {
    return this.bytes
  }

  pendingHead(): string {
    return this.first !== undefined ? headOf(this.first, 0) : ""
  }

  /** The body ended: the message it was (when large). */
  end(): Ended | undefined {
    if (this.bytes < this.large) return undefined
    const head = this.pendingHead()
    return { bytes: this.bytes, head, id: edgeId(head, utf8Text(this.tail)) }
  }

  rest(): undefined {
    return undefined
  }
}

/**
 * An SSE stream, fed chunk by chunk: the bytes of each event, handed on up to the last event end
 * (the rest held). An event ends at an empty line: a line terminator (CR, LF or CRLF) right after
 * another one. With `capOf` (a stream that carries the answers of many requests: legacy HTTP+SSE),
 * an event over the cap of the answer it starts is dropped as it comes: its bytes are neither held
 * nor handed on, up to its end, and the stream goes on with the next event.
 */
class EventCounter {
  private readonly ends = new SseEventEnds()
  /** The bytes of the event not ended yet. */
  private held: Uint8Array[] = []
  private heldBytes = 0
  /** The cap of the event being read: null until asked (once it has HEAD_BYTES, or at its end). */
  private cap: number | undefined | null = null
  /** The event being dropped: its bytes so far, first bytes, cap and last bytes. */
  private skip: { bytes: number; head: string; cap: number; tail: Uint8Array } | undefined

  constructor(
    private readonly limit: number,
    private readonly large: number,
    private readonly capOf?: (head: string) => number | undefined,
  ) {}

  /** The bytes of the event not ended yet (none of one being dropped). */
  get pending(): number {
    return this.heldBytes
  }

  pendingHead(): string {
    return this.held.length > 0 ? headOf(this.held[0]!, 0) : ""
  }

  /** Events end only at their blank line: the stream's end ends none. */
  end(): undefined {
    return undefined
  }

  feed(chunk: Uint8Array): Fed {
    const n = chunk.byteLength
    let ended: Ended[] | undefined
    let dropped: Dropped[] | undefined
    const out: Uint8Array[] = []
    /** Where the bytes of the current event start in this chunk. */
    let start = 0
    for (let i = this.ends.next(chunk, 0); i >= 0; i = this.ends.next(chunk, i)) {
      // an event ends just before i
      const skip = this.skip
      if (skip !== undefined) {
        // the end of an event being dropped: its id from its edges, nothing of it handed on
        skip.bytes += i - start
        skip.tail = lastBytes(skip.tail, chunk.subarray(start, i))
        ;(dropped ??= []).push({ bytes: skip.bytes, head: skip.head, cap: skip.cap, id: edgeId(skip.head, utf8Text(skip.tail)), ended: true })
        this.skip = undefined
        this.cap = null
        start = i
        continue
      }
      const bytes = this.heldBytes + (i - start)
      if (bytes > this.limit) return { over: { bytes, head: this.headAt(chunk, start) } }
      const cap = bytes > HEAD_BYTES ? this.capAt(chunk, start) : undefined
      if (cap !== undefined && bytes > cap) {
        // read whole in this chunk, over its cap: dropped all the same (never parsed)
        const head = this.headAt(chunk, start)
        ;(dropped ??= []).push({ bytes, head, cap, id: edgeId(head, tailOf(this.held, chunk, i)), ended: true })
      } else {
        if (bytes >= this.large) {
          const head = this.headAt(chunk, start)
          ;(ended ??= []).push({ bytes, head, id: edgeId(head, tailOf(this.held, chunk, i)) })
        }
        out.push(...this.held, chunk.subarray(start, i))
      }
      this.held = []
      this.heldBytes = 0
      this.cap = null
      start = i
    }
    if (start < n) {
      const rest = chunk.subarray(start)
      const skip = this.skip
      if (skip !== undefined) {
        skip.bytes += rest.byteLength
        skip.tail = lastBytes(skip.tail, rest)
      } else {
        // no end for the event yet: held
        this.held.push(rest)
        this.heldBytes += rest.byteLength
        if (this.heldBytes > this.limit) return { over: { bytes: this.heldBytes, head: this.pendingHead() } }
        const cap = this.heldBytes > HEAD_BYTES ? this.capAt(chunk, -1) : undefined
        if (cap !== undefined && this.heldBytes > cap) {
          // over its cap: dropped from here as it comes (the rest of it is skipped up to its end)
          const head = this.eventHead()
          this.skip = { bytes: this.heldBytes, head, cap, tail: lastBytes(new Uint8Array(0), rest) }
          ;(dropped ??= []).push({ bytes: this.heldBytes, head, cap, id: leadingId(head), ended: false })
          this.held = []
          this.heldBytes = 0
        }
      }
    }
    const joined = out.length === 0 ? undefined : out.length === 1 ? out[0] : concat(out)
    return { out: joined, ended: ended ?? NONE, ...(dropped !== undefined ? { dropped } : {}) }
  }

  /** The cap of the event being read (asked once per event); `start` -1: the event is all held. */
  private capAt(chunk: Uint8Array, start: number): number | undefined {
    if (this.capOf === undefined) return undefined
    if (this.cap === null) this.cap = this.capOf(start < 0 ? this.eventHead() : this.headAt(chunk, start))
    return this.cap
  }

  /**
   * The first bytes of the event that starts at `start` of `chunk` (at 0: with the bytes held before
   * it, across the chunks it came in: a first chunk of a few bytes hid the event's id).
   */
  private headAt(chunk: Uint8Array, start: number): string {
    if (this.held.length === 0) return headOf(chunk, start)
    if (this.held[0]!.byteLength >= HEAD_BYTES) return headOf(this.held[0]!, 0)
    return utf8Text(concat([...this.held, chunk.subarray(start, start + HEAD_BYTES)]).subarray(0, HEAD_BYTES))
  }

  /** The first HEAD_BYTES of the held event, across the chunks it came in. */
  private eventHead(): string {
    const parts: Uint8Array[] = []
    let n = 0
    for (const h of this.held) {
      if (n >= HEAD_BYTES) break
      parts.push(h.subarray(0, HEAD_BYTES - n))
      n += Math.min(h.byteLength, HEAD_BYTES - n)
    }
    return utf8Text(concat(parts))
  }

  /** What is held at the end of the stream (an event never ended: the parser drops it). */
  rest(): Uint8Array | undefined {
    if (this.heldBytes === 0) return undefined
    const out = concat(this.held)
    this.held = []
    this.heldBytes = 0
    return out
  }
}

/** `parts` as one chunk. */
function concat(parts: readonly Uint8Array[]): Uint8Array {
  return parts.length === 1 ? parts[0]! : concatBytes(parts)
}

/** The last TAIL_BYTES of `tail` and then `more`. */
function lastBytes(tail: Uint8Array, more: Uint8Array): Uint8Array {
  if (more.byteLength >= TAIL_BYTES) return more.slice(-TAIL_BYTES)
  return concat([tail, more]).slice(-TAIL_BYTES)
}


/** `bytes` (over `limit`) rounded down, with the decimals that show it over the limit: "8.01 MiB" over "8.0 MiB". */
function atLeast(bytes: number, limit: number): string {
  const shown = Number((limit / 1048576).toFixed(1))
  for (let d = 1; d < 6; d++) {
    const v = Math.floor((bytes / 1048576) * 10 ** d) / 10 ** d
    if (v > shown || d === 5) return `${v.toFixed(d)} MiB`
  }
  return mib(bytes)
}

/**
 * The error a refused body ends with: RESULTS_OVER_BUDGET when the result budget refused its message
 * (`o.overBudget`), else FRAME_TOO_LARGE (see `frameTooLarge`).
 */
export function bodyRefused(server: string, endpoint: string, o: Oversize, method: string | undefined, where = "on its SSE stream", after?: string): DownstreamError {
  return o.overBudget !== undefined ? resultsOverBudget(server, endpoint, o, o.overBudget, method, where, after) : frameTooLarge(server, endpoint, o, method, where, after)
}

/**
 * RESULTS_OVER_BUDGET for a remote message refused by the result budget: "server web sent a result of
 * at least 3.0 MiB in answer to tools/call while 3.0 MiB of large results were in flight
 * (pool.maxResultBytesInFlight 4.0 MiB); it was dropped, the rest not read".
 */
function resultsOverBudget(server: string, endpoint: string, o: Oversize, budget: { inFlight: number; limit: number }, method: string | undefined, where: string, after: string | undefined): DownstreamError {
  const what = method !== undefined ? `in answer to ${method}` : where
  return new DownstreamError("RESULTS_OVER_BUDGET", `server ${server} sent a result of at least ${mib(o.bytes)} ${what} while ${mib(budget.inFlight)} of large results were in flight (pool.maxResultBytesInFlight ${mib(budget.limit)}); it was dropped, ${after ?? "the rest not read"}`, {
    remedy: "Retry once the other large results were delivered, ask the tool for less data, or raise pool.maxResultBytesInFlight.",
    details: { server, ...(method !== undefined ? { method } : {}), bytes: o.bytes, inFlight: budget.inFlight, limit: budget.limit, endpoint },
  })
}

/**
 * FRAME_TOO_LARGE for a remote message over the limit: "server web sent a message of at least
 * 32.1 MiB in answer to tools/call, over the 32.0 MiB limit; the rest was not read". Without a
 * method (a stream that carried no known request), `where` says where it came.
 */
export function frameTooLarge(server: string, endpoint: string, o: Oversize, method: string | undefined, where = "on its SSE stream", after?: string): DownstreamError {
  const size = o.declared ? `a ${mib(o.bytes)} message` : `a message of at least ${atLeast(o.bytes, o.limit)}`
  const what = method !== undefined ? `in answer to ${method}` : where
  const rest = after ?? (o.declared ? "it was not read" : "the rest was not read")
  return new DownstreamError("FRAME_TOO_LARGE", `server ${server} sent ${size} ${what}, over the ${mib(o.limit)} limit; ${rest}`, {
    remedy: "Ask the tool for less data, or raise pool.maxFrameBytes.",
    details: { server, ...(method !== undefined ? { method } : {}), bytes: o.bytes, limit: o.limit, endpoint },
  })
}

/**
 * The id of the JSON-RPC message an event's first bytes start (only when it comes before anything
 * else in the message: an id inside a result is never taken for it).
 */
export function leadingId(head: string): string | number | undefined {
  const data = sseData(head)
  const m = /^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*(-?\d+(?![\d.eE])|"(?:[^"\\]|\\.)*")/.exec(data)
  if (!m) return undefined
  const v = m[1]!
  if (v.startsWith('"')) return JSON.parse(v) as string
  const n = Number(v)
  return Number.isSafeInteger(n) ? n : undefined
}

/** The data an SSE event's first bytes carry (its first `data:` line on), else `head` as it is (a JSON body). */
export function sseData(head: string): string {
  // lines end with LF, CRLF or CR alike (a CR-only stream hid every event's id)
  return /^(?:[^\r\n]*(?:\r\n|\r|\n))*?data: ?([^\r\n]*)/.exec(head)?.[1] ?? head
}

/** The ids of the requests in a POST body (one JSON-RPC message, or a batch). */
export function requestIds(body: unknown): (string | number)[] {
  if (typeof body !== "string") return []
  let sent: unknown
  try {
    sent = JSON.parse(body)
  } catch {
    return []
  }
  const ids: (string | number)[] = []
  for (const m of Array.isArray(sent) ? sent : [sent]) {
    const x = m as { id?: unknown; method?: unknown } | null
    if (typeof x?.method === "string" && (typeof x.id === "string" || typeof x.id === "number")) ids.push(x.id)
  }
  return ids
}
