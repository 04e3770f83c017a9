/**
 * @module pool/request-streams
 * The response stream of each request sent over Streamable HTTP (the SSE body of its POST). A server
 * that closes it before the answer would leave the request waiting for its whole timeout (the SDK's
 * request layer has no per-request end): here the request fails at once, WRITE_FAILED "server X
 * closed the response stream of tools/call before answering". A stream that gave an event id may be
 * resumed by the SDK (after the server's `retry` interval, GET with `Last-Event-ID`), and that keeps
 * working; a resumption that is refused or fails on the wire ends the request at once (not after the
 * SDK's further attempts; one answered 401, the access token expired while the stream was away, is
 * let through once: the transport refreshes and resumes from the same event again), and so does a resumed stream that ends again without a new event (the SDK
 * would then reconnect without the event id, on a stream that cannot carry the answer, forever). A
 * server that sends events between resumptions (SSE polling) is followed as long as the call's timeout.
 * A response over `pool.maxFrameBytes` (a JSON body, or one event of a stream: `remote-limits.ts`)
 * fails the request it carried with FRAME_TOO_LARGE at once (its stream is not resumed); on a stream
 * that carries no request of ours (the session's GET stream) it is logged. On the legacy HTTP+SSE
 * transport the one GET stream carries every answer (`carriesAnswers`): an event over the limit fails
 * the request it answers (its id read from the event's first bytes), else every request in flight.
 * A large answer counts against `pool.maxResultBytesInFlight` until the transport handed it on
 * (`hold`, `handedOn`): one refused by that budget fails its request the same way, with RESULTS_OVER_BUDGET.
 * A POST's JSON body or SSE stream (or a resumption of it) that carries something that is not its
 * request's answer (another id, an empty batch, an event that is not JSON or not JSON-RPC:
 * `own-answers.ts`) fails that request at once with BAD_RESPONSE; the session stays (as it does for a
 * stream that ended before its answer: `onlyItsStream`). On the legacy
 * stream, an event that is not JSON fails the request whose id it starts with.
 */
import type { JSONRPCMessage, ReconnectionScheduler, TransportSendOptions } from "@modelcontextprotocol/client"
import { DownstreamError, resultBudget, type Logger } from "../core/index.ts"
import { repairBody, SseRepair } from "./answer-envelope.ts"
import { jsonBodyVerdict, SseAnswerCheck } from "./own-answers.ts"
import { AskedDuring } from "./asked-during.ts"
import { STREAM_ONLY } from "./stream-only.ts"
import { wireCause, type Fetch } from "./remote-errors.ts"
import { answerCapOf, overCapError, type Caps } from "./answer-cap.ts"
import { bodyRefused, leadingId, limitBodies, requestIds, sseData, type BodyOf, type EventCaps, type Oversize } from "./remote-limits.ts"

type Id = string | number


/** A request whose stream ended without its answer: `error` is what it fails with. */
export interface StreamEnd {
  id: Id
  method: string
  error: DownstreamError
  /** The caller's tag for the request (see `REQUEST_TAG_HEADER`), when it gave one. */
  tag?: string
}

/**
 * A per-request header a caller that does not see the JSON-RPC ids (the SDK client) sets to tell
 * its requests apart in `onEnded`; taken out before the request is sent.
 */
export const REQUEST_TAG_HEADER = "x-mcpo-request-tag"

/**
 * A per-request header a caller that does not see the JSON-RPC ids (the SDK client of a 2026-07-28
 * session) sets to the most bytes the request's answer may have (RequestOptions.maxAnswerBytes, a
 * run_code script's call); taken out before the request is sent. Callers that see the ids give
 * `RequestStreamsOptions.answerCap` instead.
 */
export const ANSWER_CAP_HEADER = "x-mcpo-answer-cap"

/**
 * The header that carries a request's watch (its key) from `options` to the POST it goes out in
 * (so the POST's answer is checked against it without parsing the body); taken out before sending.
 */
const WATCH_HEADER = "x-mcpo-watch"

const REMEDY = "The server may or may not have run the call; check its log (a crash, or a proxy that cuts long responses). Only this call failed: the connection and the other calls go on (a server that went down fails the next request, and is reconnected with backoff)."
const AGAIN = ", and its resumed stream ended without the answer too"

interface Watch {
  id: Id
  method: string
  /** Its `WATCH_HEADER` value. */
  key: string
  /** The tool a tools/call calls. */
  tool: string | undefined
  tag: string | undefined
  /** The most bytes its answer may have (`ANSWER_CAP_HEADER`), when its caller said so. */
  cap: number | undefined
  /** Aborted when we give the request up: the SDK then stops resuming its stream. */
  ac: AbortController
  /** The last event id of its stream. */
  token: string | undefined
  /** The event id the last resumption started from. */
  resumedFrom: string | undefined
  /** The stream of that resumption was read to its end. */
  resumeEnded: boolean
  /** A resumption was refused 401 (the access token expired or was revoked meanwhile) and let through once for the transport's refresh. */
  authRetried: boolean
}

export interface RequestStreamsOptions {
  /** `pool.maxFrameBytes`: the most a response body (an SSE event) may hold (default: no bound). */
  maxFrameBytes?: number
  /** Where an oversize event on a stream that carried no request of ours is logged. */
  log?: Logger
  /** The legacy HTTP+SSE transport: the GET stream carries the answers of all requests. */
  carriesAnswers?: boolean
  /**
   * The transport's reconnection pacer: a request given up here ends its stream's resumptions, so
   * the floor its quick empty ends built is forgotten (the connection is kept: `onlyItsStream`, and
   * the next request's resumption would wait out the floor of the ones before, past its own timeout).
   */
  pacer?: { forget(): void }
  /** The most bytes the answer to request `id` may have, when its caller takes less than maxFrameBytes (RpcConnection.answerCap). */
  answerCap?: (id: Id) => number | undefined
}

export class RequestStreams {
  /** A request's stream ended without its answer (not called for requests given up by their caller). */
  onEnded: ((end: StreamEnd) => void) | undefined
  private readonly open = new Map<Id, Watch>()
  private readonly byToken = new Map<string, Watch>()
  private readonly byKey = new Map<string, Watch>()
  private keys = 0
  /** Bytes of the result budget held per request: its large answer, read and not yet handed on by the transport. */
  private readonly held = new Map<Id, number>()
  /** The server's requests made on a POST's response stream: which of ours each was made for (`relatedRequest`). */
  private readonly asked = new AskedDuring()
  /** Envelope repairs already warned of (once each per connection). */
  private readonly repairsSaid = new Set<string>()

  constructor(
    readonly server: string,
    private readonly endpoint: string,
    private readonly o: RequestStreamsOptions = {},
  ) {}

  /** Where this transport's warnings go. */
  get log(): Logger | undefined {
    return this.o.log
  }

  /**
   * `base` with each response body bounded to `maxFrameBytes` (per SSE event) and its large messages
   * counted in the result budget (`hold`); a body over either fails its request (`oversize`).
   */
  limit(base: Fetch): Fetch {
    return limitBodies(base, this.o.maxFrameBytes ?? Infinity, (o) => this.oversize(o), this.endpoint, (of, bytes, id) => this.hold(of, bytes, id), (of) => this.capOf(of))
  }

  /**
   * The cap of the answers a body carries (pool/answer-cap): a POST's, the largest of its requests'
   * caps when each has one; a resumption's (GET with Last-Event-ID), its request's.
   */
  private capOf(of: BodyOf): number | undefined {
    if (of.httpMethod !== "POST") {
      const w = of.lastEventId !== null ? this.byToken.get(of.lastEventId) : undefined
      return w === undefined ? undefined : this.capOfWatch(w)
    }
    let largest: number | undefined
    for (const id of requestIds(of.body)) {
      const w = this.open.get(id)
      const cap = w !== undefined ? this.capOfWatch(w) : this.o.answerCap?.(id)
      if (cap === undefined) return undefined
      largest = Math.max(largest ?? 0, cap)
    }
    return largest
  }

  private capOfWatch(w: Watch): number | undefined {
    return w.cap ?? this.o.answerCap?.(w.id)
  }

  /** The requests in flight and their caps, as pool/answer-cap reads them. */
  private readonly caps: Caps = {
    pendingIds: () => [...this.open.keys()],
    answerCap: (id) => {
      const w = this.open.get(id)
      const bytes = w === undefined ? undefined : this.capOfWatch(w)
      return w === undefined || bytes === undefined ? undefined : { bytes, method: w.method, tool: w.tool }
    },
  }

  /** The request the event being dropped failed when it passed its cap (null: none known yet). */
  private dropping: Watch | null | undefined

  /**
   * Legacy HTTP+SSE, whose one stream carries every answer: the cap of the answer an event starts
   * (that of the request it answers, pool/answer-cap), and an event over it fails that request at once
   * (or, when its first bytes do not tell which, at its end: its id is then at its end), while the
   * stream goes on; before, the event was read whole and parsed whatever the request could take.
   */
  readonly eventCaps: EventCaps = {
    capOf: (head) => answerCapOf(this.caps, sseData(head))?.bytes,
    dropped: (o) => {
      if (o.ended && this.dropping !== undefined && this.dropping !== null) return void (this.dropping = undefined)
      const w = o.id !== undefined ? this.open.get(o.id) : this.open.size === 1 ? [...this.open.values()][0] : undefined
      this.dropping = o.ended ? undefined : (w ?? null)
      if (w !== undefined) this.end(w, overCapError(this.server, { bytes: o.limit, method: w.method, tool: w.tool }, o.bytes, o.ended))
      else if (o.ended) this.o.log?.warn("answer dropped unread on the SSE stream: over what its request takes, and no request in flight it answers", { server: this.server, bytes: o.bytes, limit: o.limit })
    },
  }

  /**
   * A large message of a body was read whole (`bytes` of the result budget): they are held until the
   * transport handed on the answer of the request it belongs to (its id as its edges show it, else the
   * request its POST or resumption carried), or that request ends without one. A message that belongs
   * to no request of ours in flight (a notification) gives them back a task later, once the transport
   * has parsed and handed it on.
   */
  hold(of: BodyOf, bytes: number, id: Id | undefined): void {
    let w = id !== undefined ? this.open.get(id) : undefined
    if (w === undefined && of.httpMethod === "POST") w = requestIds(of.body).map((i) => this.open.get(i)).find((x) => x !== undefined)
    if (w === undefined && of.lastEventId !== null) w = this.byToken.get(of.lastEventId)
    if (w === undefined) return void setTimeout(() => resultBudget.give(bytes), 0).unref?.()
    this.held.set(w.id, (this.held.get(w.id) ?? 0) + bytes)
  }

  /** The transport handed `message` on (to the connection reading it): the budget its answer held is given back. */
  handedOn(message: JSONRPCMessage): void {
    const m = message as { id?: unknown; method?: unknown }
    if (m.method === undefined && (typeof m.id === "string" || typeof m.id === "number")) this.release(m.id)
  }

  private release(id: Id): void {
    const n = this.held.get(id)
    if (n === undefined) return
    this.held.delete(id)
    resultBudget.give(n)
  }

  /**
   * A response body went over the limit (or the result budget refused its message): the requests it
   * carried fail with FRAME_TOO_LARGE (RESULTS_OVER_BUDGET) (their watches end, so the SDK neither
   * resumes the stream nor reports it closed); returns the error the body ends with.
   */
  oversize(o: Oversize): DownstreamError {
    let carried: Watch[] = []
    if (o.httpMethod === "POST") {
      for (const id of requestIds(o.body)) {
        const w = this.open.get(id)
        if (w) carried.push(w)
      }
    } else if (o.lastEventId !== null && this.byToken.has(o.lastEventId)) {
      carried = [this.byToken.get(o.lastEventId)!]
    } else if (this.o.carriesAnswers === true && o.sse) {
      const id = leadingId(o.head)
      const w = id !== undefined ? this.open.get(id) : undefined
      carried = w ? [w] : [...this.open.values()]
    }
    const after = this.o.carriesAnswers === true && o.sse ? "the stream was closed (the connection is made again)" : undefined
    if (carried.length === 0) {
      const error = bodyRefused(this.server, this.endpoint, o, undefined, o.sse ? "on its SSE stream" : "in an HTTP answer", after)
      if (o.sse) this.o.log?.warn(o.overBudget ? "large event on a downstream SSE stream over the result budget; the stream was closed" : "oversize event on a downstream SSE stream; the stream was closed", { bytes: o.bytes, limit: o.limit })
      return error
    }
    // one request: the error names its method; several (an unattributed event of the legacy stream): the stream
    const only = carried.length === 1 ? carried[0]!.method : undefined
    if (o.ownLimit === true && carried.length === 1) {
      const w = carried[0]!
      const error = overCapError(this.server, { bytes: o.limit, method: w.method, tool: w.tool }, o.bytes, o.declared)
      this.end(w, error)
      return error
    }
    const error = bodyRefused(this.server, this.endpoint, o, only, "on its SSE stream", after)
    for (const w of carried) this.end(w, error)
    return error
  }

  /** The send options for `message`: the caller's, with ours (stream end, event ids, a signal to stop resuming) for a request. */
  options(message: JSONRPCMessage | JSONRPCMessage[], options: TransportSendOptions | undefined): TransportSendOptions | undefined {
    const m = message as { id?: unknown; method?: unknown; params?: { requestId?: unknown; name?: unknown } }
    // a request given up (timeout, cancel) is answered by nothing more of ours (on the legacy SSE stream no end would drop its watch)
    if (m.method === "notifications/cancelled" && (typeof m.params?.requestId === "string" || typeof m.params?.requestId === "number")) this.forget(m.params.requestId)
    if (typeof m.method !== "string" || (typeof m.id !== "string" && typeof m.id !== "number")) return options
    let headers = options?.headers
    let tag: string | undefined
    let cap: number | undefined
    if (headers !== undefined && (REQUEST_TAG_HEADER in headers || ANSWER_CAP_HEADER in headers)) {
      const { [REQUEST_TAG_HEADER]: t, [ANSWER_CAP_HEADER]: c, ...rest } = headers
      tag = t
      cap = c !== undefined && Number(c) > 0 ? Number(c) : undefined
      headers = rest
    }
    const tool = m.method === "tools/call" && typeof m.params?.name === "string" ? m.params.name : undefined
    const key = String(++this.keys)
    const w: Watch = { id: m.id, method: m.method, key, tool, tag, cap, ac: new AbortController(), token: undefined, resumedFrom: undefined, resumeEnded: false, authRetried: false }
    this.forget(m.id)
    this.open.set(m.id, w)
    this.byKey.set(key, w)
    const theirs = options?.requestSignal
    // the caller gave the request up (a modern request's cancellation or timeout): no end to report
    theirs?.addEventListener(
      "abort",
      () => {
        this.drop(w)
        this.release(w.id)
      },
      { once: true },
    )
    return {
      ...options,
      headers: { ...headers, [WATCH_HEADER]: key },
      requestSignal: theirs ? AbortSignal.any([theirs, w.ac.signal]) : w.ac.signal,
      onresumptiontoken: (token: string) => {
        this.note(w, token)
        options?.onresumptiontoken?.(token)
      },
      onRequestStreamEnd: () => {
        options?.onRequestStreamEnd?.()
        // also called after a stream that carried the answer (received() settled the watch then)
        this.ended(w, "")
      },
    }
  }

  /** A message from the server: the answer of a request settles its watch. */
  received(message: JSONRPCMessage): void {
    const m = message as { id?: unknown; method?: unknown }
    if (m.method !== undefined || (typeof m.id !== "string" && typeof m.id !== "number")) return
    const w = this.open.get(m.id)
    if (w) this.drop(w)
  }

  /**
   * The request could not be sent (its error is the send's), or was given up (cancelled, timed out):
   * nothing to watch, and its response stream is closed (an answer no one waits for is not read on).
   */
  forget(id: Id): void {
    const w = this.open.get(id)
    if (w) {
      this.drop(w)
      w.ac.abort()
    }
    this.release(id)
  }

  /** The transport closed: every watch ends with it. */
  clear(): void {
    for (const w of this.open.values()) w.ac.abort()
    this.open.clear()
    this.byToken.clear()
    this.byKey.clear()
    for (const id of [...this.held.keys()]) this.release(id)
    this.asked.clear()
  }

  /**
   * `base`, watching the SDK's resumptions (GET with `Last-Event-ID` of a request's stream): a
   * refused or failed one, or a second one from the same event id, ends the request; the end of a
   * resumed stream is noted (see `scheduler`).
   */
  fetch(unbounded: Fetch): Fetch {
    const base = this.limit(unbounded)
    return async (url, init) => {
      const last = init?.method === "GET" && init.headers !== undefined ? new Headers(init.headers).get("last-event-id") : null
      const w = last !== null ? this.byToken.get(last) : undefined
      if (init?.method === "POST") {
        const headers = new Headers(init.headers)
        const key = headers.get(WATCH_HEADER)
        if (key === null) return base(url, init)
        headers.delete(WATCH_HEADER)
        const w = this.byKey.get(key)
        return this.posted(await base(url, { ...init, headers }), w !== undefined ? [w] : [])
      }
      if (w === undefined || last === null) return base(url, init)
      if (w.resumedFrom === last) {
        this.ended(w, AGAIN)
        throw new DOMException("the request was given up", "AbortError")
      }
      const before = w.resumedFrom
      w.resumedFrom = last
      w.resumeEnded = false
      let res: Response
      try {
        res = await base(url, init)
      } catch (e) {
        if (!init?.signal?.aborted) this.ended(w, `, and resuming it failed: ${wireCause(e).text}`)
        throw e
      }
      // the access token was refused (it expired or was revoked while the stream was away): the
      // transport refreshes it and resumes from the same event once more; ended here, the call's
      // answer was lost for a token a refresh renews (a second refusal ends it)
      if (res.status === 401 && !w.authRetried) {
        w.authRetried = true
        w.resumedFrom = before
        return res
      }
      if (!res.ok) this.ended(w, `, and refused to resume it (HTTP ${res.status}${res.status === 401 ? ": the access token was refused, also after a refresh" : ""})`)
      if (!res.ok || res.body === null) return res
      const body = onEnd(this.checked(res.body, [w]), () => {
        if (w.resumedFrom === last) w.resumeEnded = true
      })
      return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers })
    }
  }

  /**
   * A POST answered 202 Accepted carries no answer: the protocol allows it only for notifications
   * and responses. A request answered so would wait for its whole timeout (the SDK expects nothing
   * more on that POST); it fails at once instead, saying what the server did. A POST's JSON body or
   * SSE stream that does not answer its request (`pool/own-answers`: another id, an empty batch, an
   * event that is not JSON) fails that request at once with BAD_RESPONSE.
   */
  private posted(res: Response, watches: readonly Watch[]): Response {
    if (res.status === 202) {
      for (const w of watches) this.ended(w, "", `server ${this.server} answered ${w.method} with HTTP 202 Accepted and no answer (202 is for notifications and responses; a request needs a JSON or SSE answer)`, "The server does not follow the Streamable HTTP transport for requests; check its version or report it to its maintainers.")
      return res
    }
    if (!res.ok || watches.length === 0 || res.body === null) return res
    const type = (res.headers.get("content-type") ?? "").toLowerCase()
    if (type.includes("text/event-stream")) return rebody(res, this.checked(res.body, watches))
    if (!type.includes("application/json")) return res
    // the SDK reads a JSON answer with json(): its messages are checked before it hands them on
    const json = res.json.bind(res)
    Object.defineProperty(res, "json", {
      configurable: true,
      value: async (): Promise<unknown> => {
        const data = await json()
        const open = watches.filter((w) => this.open.get(w.id) === w)
        const v = jsonBodyVerdict(data, open.map((w) => w.id))
        if (v.problem !== undefined) for (const w of open) this.badAnswer(w, v.problem)
        // what the SDK's envelope check would refuse whole while its content is fine (pool/answer-envelope)
        this.repaired(repairBody(v.keep), watches[0]?.method)
        return v.keep
      },
    })
    return res
  }

  /**
   * `body`, the response stream of the requests of `watches`: an event on it that is not their
   * answer (not JSON, not JSON-RPC, a response with another id) fails them at once (`badAnswer`).
   */
  private checked(body: ReadableStream<Uint8Array>, watches: readonly Watch[]): ReadableStream<Uint8Array> {
    const ids = (): Id[] => watches.filter((w) => this.open.get(w.id) === w).map((w) => w.id)
    // a request of the server's on this stream is made for this POST's request (one per POST as the SDK sends them)
    const check = new SseAnswerCheck(ids, (asked) => {
      const open = ids()
      if (open.length === 1) this.asked.note(asked, open[0]!)
    })
    const tapped = tap(body, (chunk) => {
      for (const p of check.feed(chunk)) for (const w of watches) this.badAnswer(w, p.problem)
    })
    // what the SDK's envelope check would refuse whole while its content is fine (pool/answer-envelope)
    return repairEvents(tapped, new SseRepair((what) => this.repaired(what, watches[0]?.method)))
  }

  /** Our request the server's request `asked` came on the response stream of (read once), if it came on one. */
  relatedRequest(asked: Id): Id | undefined {
    return this.asked.take(asked)
  }

  /**
   * The one GET stream of a legacy HTTP+SSE session, which carries the answers of all requests: an
   * event that is not JSON (or not JSON-RPC) fails the request whose id it starts with, if one is in
   * flight (else it is logged). An answer with an id of no request in flight cannot be told from a
   * late one (a request given up): it is dropped, as before.
   */
  shared(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
    const check = new SseAnswerCheck(() => [...this.open.keys()])
    return tap(body, (chunk) => {
      for (const p of check.feed(chunk)) {
        if (p.stray) continue
        const id = leadingId(p.head)
        const w = id !== undefined ? this.open.get(id) : undefined
        if (w !== undefined) this.badAnswer(w, p.problem)
        else this.o.log?.warn("downstream sent an event that is not a JSON-RPC message on its SSE stream; dropped", { server: this.server, problem: p.problem })
      }
    })
  }

  /** The request of `w` was answered with something that is not its answer (`problem`): it fails with BAD_RESPONSE. */
  /** Envelope repairs of an answer to `method` (pool/answer-envelope): warned once per kind of repair per connection. */
  private repaired(what: readonly string[], method: string | undefined): void {
    for (const why of what) {
      if (this.repairsSaid.has(why)) continue
      this.repairsSaid.add(why)
      this.o.log?.warn("remote answer repaired: the SDK would have refused it whole", { server: this.server, endpoint: this.endpoint, method, repaired: why, remedy: "Its content was read as a stdio server's is; fix or update the server, or report it to its maintainers." })
    }
  }

  private badAnswer(w: Watch, problem: string): void {
    this.end(
      w,
      new DownstreamError("BAD_RESPONSE", `its answer to ${w.method}${w.tool !== undefined ? ` (tool ${w.tool})` : ""} is not valid MCP: ${problem}`, {
        remedy: "The server answered, but not with this request's answer: only this call failed (the session stays). Fix or update the server, or report it to its maintainers.",
        // one request's stream, not the connection: the session is kept (its other calls, its subscriptions)
        details: { server: this.server, method: w.method, endpoint: this.endpoint, [STREAM_ONLY]: true },
      }),
    )
  }

  /**
   * The SDK's reconnection timer (its `reconnectionScheduler`). When it fires every stream that
   * ended has been read through, so a request whose resumed stream ended without a new event (and
   * without the answer) fails before the SDK reconnects it; other reconnections (the session's GET
   * stream, a resumption after new events) go on as the SDK schedules them.
   */
  readonly scheduler: ReconnectionScheduler = (reconnect, delay) => {
    const timer = setTimeout(() => {
      for (const w of [...this.open.values()]) if (w.resumeEnded && w.token === w.resumedFrom) this.ended(w, AGAIN)
      reconnect()
    }, delay)
    return () => clearTimeout(timer)
  }

  private note(w: Watch, token: string): void {
    if (this.open.get(w.id) !== w) return
    if (w.token !== undefined) this.byToken.delete(w.token)
    w.token = token
    this.byToken.set(token, w)
  }

  private drop(w: Watch): void {
    if (this.open.get(w.id) === w) this.open.delete(w.id)
    if (this.byKey.get(w.key) === w) this.byKey.delete(w.key)
    if (w.token !== undefined && this.byToken.get(w.token) === w) this.byToken.delete(w.token)
  }

  private ended(w: Watch, how: string, message = `server ${this.server} closed the response stream of ${w.method} before answering${how}`, remedy = REMEDY): void {
    if (this.open.get(w.id) !== w) return
    this.end(
      w,
      new DownstreamError("WRITE_FAILED", message, {
        remedy,
        // one request's stream, not the connection: the session is kept (its other calls, its subscriptions)
        details: { server: this.server, method: w.method, endpoint: this.endpoint, [STREAM_ONLY]: true },
      }),
    )
  }

  /** The request of `w` is over without its answer: it fails with `error` (once). */
  private end(w: Watch, error: DownstreamError): void {
    if (this.open.get(w.id) !== w) return
    this.drop(w)
    this.release(w.id)
    w.ac.abort()
    this.o.pacer?.forget()
    this.onEnded?.({ id: w.id, method: w.method, error, ...(w.tag !== undefined ? { tag: w.tag } : {}) })
  }
}

/** `res` with `body` in place of its own (status, headers and url kept). */
function rebody(res: Response, body: ReadableStream<Uint8Array>): Response {
  const out = new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers })
  if (res.url) Object.defineProperty(out, "url", { value: res.url })
  return out
}

/** `body` as it is, `see` shown each chunk before it is handed on. */
function tap(body: ReadableStream<Uint8Array>, see: (chunk: Uint8Array) => void): ReadableStream<Uint8Array> {
  const reader = body.getReader()
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      const { value, done } = await reader.read()
      if (done) return c.close()
      see(value)
      c.enqueue(value)
    },
    cancel: (reason) => reader.cancel(reason),
  })
}

/** `body` with its events passed through `repair` (whole events; a partial one held until it ends). */
function repairEvents(body: ReadableStream<Uint8Array>, repair: SseRepair): ReadableStream<Uint8Array> {
  const reader = body.getReader()
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) {
          for (const rest of repair.end()) c.enqueue(rest)
          return c.close()
        }
        const out = repair.feed(value)
        for (const o of out) c.enqueue(o)
        // a chunk that ended no event: read on (pull must enqueue or close)
        if (out.length > 0) return
      }
    },
    cancel: (reason) => reader.cancel(reason),
  })
}

/** `body` as it is, calling `end` once it has been read to its end (or broke off). */
function onEnd(body: ReadableStream<Uint8Array>, end: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader()
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      try {
        const { value, done } = await reader.read()
        if (!done) return c.enqueue(value)
        end()
        c.close()
      } catch (e) {
        end()
        c.error(e)
      }
    },
    cancel: (reason) => reader.cancel(reason),
  })
}
