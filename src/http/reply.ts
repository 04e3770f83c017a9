/**
 * @module http/reply
 * The HTTP answer to one POST that carried requests. It waits: if every answer comes before
 * anything else, the response is plain JSON (cheapest for both sides); as soon as the server has
 * something to say meanwhile (progress, a log line, a request to the client) or the call takes
 * longer than `streamAfterMs`, it becomes an SSE stream that ends with the last answer. A client
 * that goes away (request aborted, stream cancelled) before every answer was written ends the reply
 * with the ids still pending, so their calls can be cancelled. A legacy session's stream is resumable
 * (`resume`, see resume.ts): event ids, a priming event, and a dropped connection is given a grace
 * to come back before the pending ids are given up.
 */
import type { ResumableStream, ResumeStore } from "./resume.ts"
import { SSE_HEADERS, SseStream } from "./sse.ts"
import { HeldBytes, resultBudget } from "../core/index.ts"
import { chunks, unread, UnreadWatch } from "./unread.ts"
import { answerOf, batchOverAnswer, HTTP_CLIENTS, isToolResult, oversize, oversizeAnswer, type ServerOf, type StopError } from "../mcp/index.ts"

export type Id = string | number
/** A JSON-RPC message as it goes on the wire. */
export type RpcMessage = { jsonrpc: "2.0"; id?: Id | null; method?: string; params?: Record<string, unknown>; result?: unknown; error?: { code: number; message: string; data?: unknown } }

export interface ReplyOptions {
  /** Ids of the requests this POST carried, as the transport knows them. */
  ids: readonly Id[]
  /** The body was a batch: a JSON answer is an array. */
  batch: boolean
  /** The client's Accept header lets us answer with a stream / with JSON. */
  acceptsSse: boolean
  acceptsJson: boolean
  keepAliveMs: number
  /** Switch to a stream if no answer came within this time (a long call shows as an open stream). */
  streamAfterMs: number
  /** Response headers of a JSON answer and of a stream (one object per session or endpoint, made once: see `replyHeaders`). */
  headers?: ReplyHeaders
  /** Rewrites each answer before it is written (the modern lane: the client's id, completed results). */
  shape?(answer: RpcMessage): RpcMessage
  /** The status of a JSON answer (the modern era maps some errors to 400/404); default 200. */
  status?(answer: RpcMessage): number
  /** The reply is over: `pending` holds the ids left unanswered when the client went away. */
  onend?(pending: readonly Id[]): void
  /**
   * The client's request signal (aborts when it disconnects while we wait), read only once the reply
   * watches its client: Bun builds a request's signal on first read, which a quick answer never needs.
   */
  signal?: () => AbortSignal
  /** Legacy sessions: a stream of this reply is resumable in this store; `priming` for clients at 2025-11-25+. */
  resume?: { store: ResumeStore; priming: boolean }
  /** The largest answer written (`proxy.maxMessageBytes`); a larger one is replaced by an error naming it (mcp/client-limit). */
  limit?: ClientLimit
  /** The requests this reply answers (for that error: the method, tool, prompt or resource an id asked). */
  requests?: readonly { id?: Id | null; method?: string; params?: unknown }[]
  /** Shapes the error sent instead of an answer over `limit` (default: `shape`). */
  oversized?(answer: RpcMessage): RpcMessage
}

/** `proxy.maxMessageBytes` toward HTTP clients, and the server each request is served by (for the error naming it). */
export interface ClientLimit {
  maxBytes: number
  serverOf?: ServerOf
  /** A notification over the limit was not sent (for a warning). */
  dropped?(method: string, bytes: number): void
}

/** Is `message` (serialised: `json`) a notification over the limit? Then it is not sent: reported to `limit.dropped`. */
export function droppedAsTooLarge(message: RpcMessage, json: string, limit: ClientLimit): boolean {
  if (message.id !== undefined && message.id !== null) return false
  const over = oversize(json, limit.maxBytes)
  if (over === undefined) return false
  limit.dropped?.(String(message.method), over)
  return true
}

/** The response headers of both kinds of answer, with a legacy session's id. */
export interface ReplyHeaders {
  json: Record<string, string>
  sse: Record<string, string>
}

export const JSON_CONTENT = { "content-type": "application/json" } as const
const PLAIN: ReplyHeaders = { json: JSON_CONTENT, sse: SSE_HEADERS }

/** Headers for replies carrying `extra` (the session id), built once rather than per response. */
export function replyHeaders(extra?: Record<string, string>): ReplyHeaders {
  return extra ? { json: { ...JSON_CONTENT, ...extra }, sse: { ...SSE_HEADERS, ...extra } } : PLAIN
}

/**
 * What an `Accept` header lets us answer with: JSON (`application/json`, `application/*`) and/or an
 * event stream (`text/event-stream`, `text/*`); `*\/*` or no header at all takes both. A range with
 * `q=0` is "not acceptable" (RFC 9110 §12.5.1), and the exact type's weight wins over a wildcard's
 * (`*\/*, application/json;q=0` takes the event stream only).
 */
export function acceptOf(header: string | null): { json: boolean; sse: boolean } {
  // the usual values first: no split per request
  if (header === null || header === "application/json, text/event-stream" || header.trim() === "") return BOTH
  if (header.includes("*/*") && !header.includes("q")) return BOTH
  let json: boolean | undefined
  let sse: boolean | undefined
  let anyJson = false
  let anySse = false
  for (const part of header.split(",")) {
    const [range, ...params] = part.split(";")
    const ok = !params.some((p) => NOT_ACCEPTABLE.test(p))
    const t = range!.trim().toLowerCase()
    if (t === "application/json") json = ok || json === true
    else if (t === "text/event-stream") sse = ok || sse === true
    else if (ok && (t === "application/*" || t === "*/*")) anyJson = true
    if (ok && (t === "text/*" || t === "*/*")) anySse = true
  }
  return { json: json ?? anyJson, sse: sse ?? anySse }
}

/** A media range's weight of zero (`q=0`, `q=0.000`). */
const NOT_ACCEPTABLE = /^\s*q\s*=\s*0(?:\.0{0,3})?\s*$/i

const BOTH = { json: true, sse: true } as const

/** Room kept in a JSON batch answer for each answer still to come (an error replacing one is smaller). */
const BATCH_ERROR_ROOM = 1024

/** How often replies waiting for their first answer are checked (one timer for all of them). */
const TICK_MS = 50
const waiting = new Set<Reply>()
let ticker: ReturnType<typeof setInterval> | undefined

function wait(r: Reply): void {
  waiting.add(r)
  if (ticker) return
  ticker = setInterval(() => {
    const now = performance.now()
    for (const w of waiting) w.tick(now)
    if (waiting.size === 0 && ticker) {
      clearInterval(ticker)
      ticker = undefined
    }
  }, TICK_MS)
  ticker.unref?.()
}

export class Reply {
  readonly response: Promise<Response>
  private resolve!: (r: Response) => void
  /** Ids still waiting for their answer: the one request of a POST without a Set, a batch's in one. */
  private one: Id | undefined
  private many: Set<Id> | undefined
  private left: number
  private answers: (RpcMessage | string)[] = []
  private stream?: SseStream | ResumableStream
  private readonly since = performance.now()
  private done = false

  constructor(private readonly o: ReplyOptions) {
    this.left = o.ids.length
    if (o.ids.length === 1) this.one = o.ids[0]
    else this.many = new Set(o.ids)
    this.response = new Promise<Response>((r) => (this.resolve = r))
    // a quick answer never touches the request's signal nor a timer of its own: both cost per request
    if (!o.acceptsJson) this.open()
    else wait(this)
  }

  /** Called by the shared ticker: a reply still waiting after `streamAfterMs` watches its client and opens its stream. */
  tick(now: number): void {
    if (this.done) return void waiting.delete(this)
    if (now - this.since < this.o.streamAfterMs) return
    waiting.delete(this)
    if (this.watchClient() && this.o.acceptsSse) this.open()
  }

  private watching = false
  /** Abandons the reply when the client disconnects (false: it already has). */
  private watchClient(): boolean {
    if (this.watching) return true
    this.watching = true
    const signal = this.o.signal?.()
    if (signal?.aborted) {
      this.abandon()
      return false
    }
    // a resumable stream watches its own connections (a drop starts its grace, not an abandon)
    signal?.addEventListener("abort", () => this.o.resume && this.stream ? undefined : this.abandon(), { once: true })
    return true
  }

  /** Still waiting for the answer to `id`. */
  has(id: Id): boolean {
    return this.many ? this.many.has(id) : this.left !== 0 && this.one === id
  }

  /** Takes `id` off the pending ones (false: not pending). */
  private settle(id: Id): boolean {
    if (this.many ? !this.many.delete(id) : this.left === 0 || this.one !== id) return false
    this.left--
    return true
  }

  get ended(): boolean {
    return this.done
  }

  /** Ids still waiting for their answer. */
  get pending(): Id[] {
    return this.many ? [...this.many] : this.left !== 0 ? [this.one!] : []
  }

  /**
   * Can a server→client request go on this reply? Not once it ended, nor when its client takes JSON
   * only and no stream is open (a JSON answer carries the answers alone: `push` drops the rest).
   */
  get carriesMessages(): boolean {
    return !this.done && (this.stream !== undefined || this.o.acceptsSse)
  }

  /** A message sent while requests are in progress (notification or server→client request). */
  push(message: RpcMessage | string): void {
    if (this.done) return
    // a client that takes JSON only gets the answers, nothing in between
    if (!this.stream && !this.o.acceptsSse) return
    const json = typeof message === "string" ? message : JSON.stringify(message)
    // a notification over the limit is dropped (a request to the client over it never comes here: transport.ts)
    if (this.o.limit !== undefined && typeof message !== "string" && droppedAsTooLarge(message, json, this.o.limit)) return
    if (!this.stream) this.open()
    // notifications are what a full resume buffer may drop first, and what a client that does not
    // read gets fewer of (core/outbound); requests to the client stay
    this.stream!.send(json, typeof message === "string" ? undefined : message)
  }

  /**
   * The cancellation of a request of ours (elicitation, sampling…) this POST's stream carried, once
   * every request of the POST was cancelled: that stream is left open and its client still reads it
   * (`withdraw`), so it goes there (false: no such stream). Before (qa354), it went to the GET
   * stream, and with none open was dropped: the client's dialog stayed open.
   */
  pushCancel(message: RpcMessage): boolean {
    if (!this.orphaned || this.stream === undefined || (this.stream instanceof SseStream && this.stream.closed)) return false
    this.stream.send(JSON.stringify(message), message)
    return true
  }

  /** The answer to request `id` (a response object or its serialised text). */
  answer(id: Id, message: RpcMessage | string): void {
    if (this.done || !this.settle(id)) return
    if (this.o.shape && typeof message !== "string") message = this.o.shape(message)
    if (this.o.limit !== undefined) message = this.limited(id, message, this.o.limit)
    if (this.stream) {
      this.stream.send(typeof message === "string" ? message : JSON.stringify(message))
      if (this.left === 0) this.finish()
      return
    }
    if (!this.o.batch) {
      // the common case: one request, its answer alone
      this.finish()
      const status = this.o.status && typeof message !== "string" ? this.o.status(message) : 200
      this.resolve(new Response(jsonBody(text(message)), { status, headers: (this.o.headers ?? PLAIN).json }))
      return
    }
    if (this.o.limit !== undefined) {
      message = this.batchLimited(id, message, this.o.limit)
      // the batch's answers went over the limit together: each goes as its own message now
      const stream = this.stream as SseStream | ResumableStream | undefined
      // (opening it found the client gone: the reply was abandoned)
      if (this.done) return
      if (stream) {
        stream.send(text(message))
        if (this.left === 0) this.finish()
        return
      }
    }
    this.answers.push(message)
    if (this.left !== 0) return
    this.finish()
    const body = `[${this.answers.map(text).join(",")}]`
    const first = this.answers[0]!
    const status = this.o.status && typeof first !== "string" ? this.o.status(first) : 200
    this.answers = []
    this.resolve(new Response(jsonBody(body), { status, headers: (this.o.headers ?? PLAIN).json }))
  }

  /** Requests of this POST the client cancelled (no answer is written for them). */
  private withdrawn = 0
  /** Every request was cancelled and the stream left open: gone for good once its reader is (abandon). */
  private orphaned = false

  /**
   * The client cancelled request `id` (`notifications/cancelled`): no answer is written for it (the
   * spec's "SHOULD NOT respond"), and once no other is pending the reply is over, so the request no
   * longer counts as in flight (its session busy, the shutdown waiting for it and answering an id the
   * client forgot). A stream that carried answers ends; one that carried none stays open until its
   * client closes it or the session ends (an SDK client reads it until then, and one that saw it end
   * without an answer would resume it with `GET` + `Last-Event-ID`, again and again); before any
   * stream, a single request's POST gets 202 and no body, a batch's the answers it has.
   */
  withdraw(id: Id): void {
    if (this.done || !this.settle(id)) return
    this.withdrawn++
    if (this.left !== 0) return
    const answered = this.o.ids.length - this.withdrawn
    if (this.stream) {
      if (answered !== 0) return this.finish()
      this.done = true
      this.orphaned = true
      waiting.delete(this)
      this.o.onend?.([])
      return
    }
    this.finish()
    if (this.answers.length === 0) return this.resolve(new Response(null, { status: 202 }))
    const body = `[${this.answers.map(text).join(",")}]`
    const first = this.answers[0]!
    const status = this.o.status && typeof first !== "string" ? this.o.status(first) : 200
    this.answers = []
    this.resolve(new Response(jsonBody(body), { status, headers: (this.o.headers ?? PLAIN).json }))
  }

  /**
   * `message`, or the error sent instead when it is over the limit: an MCP client over stdio (also
   * one behind a bridge to HTTP, such as mcp-remote) closes its whole connection on a message over
   * 10 MiB. Costs a length comparison for an answer given as text; one given as an object is
   * serialised here (and then written as that text).
   */
  private limited(id: Id, message: RpcMessage | string, limit: ClientLimit): RpcMessage | string {
    const text = typeof message === "string" ? message : JSON.stringify(message)
    const over = oversize(text, limit.maxBytes)
    if (over === undefined) return typeof message === "string" || this.o.status === undefined ? text : message
    const { method, about } = this.asked(id, limit)
    const tool = method === "tools/call" || (method === undefined && isToolResult(resultHead(text)))
    return this.instead(oversizeAnswer(typeof message === "string" ? id : (message.id ?? id), over, limit.maxBytes, tool, about, HTTP_CLIENTS) as RpcMessage)
  }

  /** The method request `id` asked and what the error says it was about (mcp/client-limit `answerOf`). */
  private asked(id: Id, limit: ClientLimit): { method: string | undefined; about: string } {
    const asked = this.o.requests?.find((r) => r.id === id && r.method !== undefined)
    const method = typeof asked?.method === "string" ? asked.method : undefined
    return { method, about: method === undefined ? "" : answerOf({ method, params: asked!.params }, limit.serverOf) }
  }

  /** The error sent instead of an answer over the limit, shaped as the reply's answers are. */
  private instead(answer: RpcMessage): RpcMessage {
    const finish = this.o.oversized ?? this.o.shape
    return finish ? finish(answer) : answer
  }

  /** Bytes of the JSON batch answer so far (answers, commas and brackets). */
  private batchBytes = 1

  /**
   * A batch answered as JSON is one message: an answer that would take it over the limit opens the
   * reply's stream instead (every answer its own message, each within the limit), or, for a client
   * that takes no stream, is replaced by an error. What is held for a JSON batch stays within the
   * limit, however many requests it carried.
   */
  private batchLimited(id: Id, message: RpcMessage | string, limit: ClientLimit): RpcMessage | string {
    const text = typeof message === "string" ? message : JSON.stringify(message)
    const total = this.batchBytes + Buffer.byteLength(text) + 1
    const keep = typeof message === "string" || this.o.status === undefined ? text : message
    // room is kept for the answers still to come, should they have to be errors
    if (total + this.left * BATCH_ERROR_ROOM <= limit.maxBytes) {
      this.batchBytes = total
      return keep
    }
    if (this.o.acceptsSse) {
      this.open()
      if (this.stream) return keep
    }
    const { method, about } = this.asked(id, limit)
    const shaped = this.instead(batchOverAnswer(typeof message === "string" ? id : (message.id ?? id), total, limit.maxBytes, method === "tools/call", about, HTTP_CLIENTS) as RpcMessage)
    this.batchBytes += Buffer.byteLength(JSON.stringify(shaped)) + 1
    return shaped
  }

  private open(): void {
    if (this.stream || this.done) return
    waiting.delete(this)
    if (!this.watchClient()) return
    if (this.o.resume) {
      this.stream = this.o.resume.store.open(this.o.resume.priming, this.o.signal?.(), () => this.abandon())
    } else {
      this.stream = new SseStream(this.o.keepAliveMs, () => this.abandon())
      this.stream.raw(": stream\n\n") // the headers go out now, the reader sees the stream open
    }
    for (const a of this.answers) this.stream.send(text(a))
    this.answers = []
    this.resolve(new Response(this.stream.body, { status: 200, headers: (this.o.headers ?? PLAIN).sse }))
  }

  private finish(): void {
    this.done = true
    waiting.delete(this)
    this.stream?.end()
    this.o.onend?.([])
  }

  /** The client went away: whatever is still pending is left unanswered. */
  private abandon(): void {
    if (this.done) {
      // a stream left open after its requests were cancelled, whose reader went and did not come back
      if (this.orphaned && this.stream && !(this.stream instanceof SseStream)) this.stream.discard()
      return
    }
    this.done = true
    waiting.delete(this)
    const left = this.many ? [...this.many] : this.left !== 0 ? [this.one!] : []
    this.many?.clear()
    this.left = 0
    if (this.stream instanceof SseStream) this.stream.end()
    else this.stream?.discard() // a resumable stream: nothing left to resume
    // nobody reads it, but the promise must settle
    this.resolve(new Response(null, { status: 499 }))
    this.o.onend?.(left)
  }
}

/** The error a request gets from a stopping process: the stdio face's type (mcp/fast-lane). */
export type { StopError }

/** Ends one request still in flight: cancels it (downstream too) and answers it with the error. */
export type EndInFlight = (stop: StopError) => void

/**
 * The requests a face serves over HTTP right now, each with how it is ended when the shutdown's
 * grace runs out (every one of them gets an answer before the connections are closed).
 */
export class InFlight {
  private readonly ends = new Set<EndInFlight>()

  get size(): number {
    return this.ends.size
  }

  /** Registers a request being served; the function returned forgets it (answered, or its client went away). */
  add(end: EndInFlight): () => void {
    this.ends.add(end)
    return () => void this.ends.delete(end)
  }

  /** Ends every request still registered. */
  endAll(stop: StopError): void {
    const all = [...this.ends]
    this.ends.clear()
    for (const end of all) {
      try {
        end(stop)
      } catch {
        // one request that cannot be ended never keeps the others from their answer
      }
    }
  }
}

const encoder = new TextEncoder()

/**
 * A JSON answer's body. A large one (256 KiB and more) is a stream holding its bytes against
 * `pool.maxResultBytesInFlight` until the client took them (or went away), as an SSE stream does
 * (sse.ts): a client that stops reading holds at most the budget, instead of every large answer it
 * was sent piling up in memory, and for at most `unread.ms` without taking a chunk (unread.ts).
 * Smaller ones are plain text (the common case pays nothing).
 */
function jsonBody(text: string): string | ReadableStream<Uint8Array> {
  if (text.length < resultBudget.large) return text
  const bytes = encoder.encode(text)
  // handed over a chunk at a time: a client that takes none for unread.ms has the answer dropped (unread.ts)
  let parts: Uint8Array[] = chunks(bytes)
  const held = new HeldBytes()
  held.add(bytes.byteLength)
  let controller!: ReadableStreamDefaultController<Uint8Array>
  const watch = new UnreadWatch(() => {
    unread.dropped({ body: "json", bytes: held.bytes, ms: unread.ms })
    parts = []
    held.free()
    controller.error(new Error(`the client took nothing of a large answer for ${unread.ms} ms`))
  })
  watch.arm()
  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c
      },
      pull(c) {
        const next = parts.shift()
        if (next !== undefined) {
          c.enqueue(next)
          watch.restart()
          return
        }
        // asked for more: it has taken everything
        watch.stop()
        held.free()
        c.close()
      },
      cancel() {
        parts = []
        watch.stop()
        held.free()
      },
    },
    { highWaterMark: 0 },
  )
}

/** The start of an answer's result, as `isToolResult` reads it ("" when the answer has none near its start). */
function resultHead(answer: string): string {
  const at = answer.slice(0, 200).indexOf('"result":')
  return at < 0 ? "" : answer.slice(at + 9, at + 9 + 64)
}

function text(m: RpcMessage | string): string {
  return typeof m === "string" ? m : JSON.stringify(m)
}
