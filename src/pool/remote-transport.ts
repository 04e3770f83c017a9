/**
 * @module pool/remote-transport
 * Transports for remote downstreams (Streamable HTTP, legacy SSE) from the SDK. Headers from the
 * config (e.g. Authorization) are sent on every request and never logged. A request that fails on
 * the wire (refused, reset mid-request, DNS, TLS) becomes a WRITE_FAILED DownstreamError that names
 * the endpoint (no userinfo, no query) and the cause in plain words, without the runtime's hints
 * (`remote-errors.ts`). Streamable HTTP only: a request whose response stream ends before its answer
 * fails at once (`request-streams.ts`), and a request the server refuses because it dropped our
 * session is sent again once on a new session (`session-renewal.ts`). Every response body is bounded
 * by `pool.maxFrameBytes` (per event on SSE streams: `remote-limits.ts`): over it, the request it
 * carried fails with FRAME_TOO_LARGE; on legacy HTTP+SSE, whose one stream carries every answer, the
 * transport is closed too (the session is made again with backoff). Large answers count against
 * `pool.maxResultBytesInFlight` until handed on; one that would take it over fails the same way, with
 * RESULTS_OVER_BUDGET. Reconnections of SSE streams that end at once, empty, are paced
 * (`remote-reconnect.ts`); a legacy HTTP+SSE session ends with its GET stream.
 */
import { SSEClientTransport, StreamableHTTPClientTransport, type JSONRPCMessage, type Transport } from "@modelcontextprotocol/client"
import type { RemoteServerSpec } from "../config/index.ts"
import type { ServeAuth } from "../auth/index.ts"
import { errorMessage, registerSecret, type Logger } from "../core/index.ts"
import { endpointLabel, watchAnswers, withPlainErrors, type Fetch, type SeenAnswer } from "./remote-errors.ts"
import type { RemoteKind } from "./remote-kind.ts"
import { limitBodies } from "./remote-limits.ts"
import { AnswerSends, isAnswer } from "./answer-sends.ts"
import { ReconnectPacer } from "./remote-reconnect.ts"
import { RequestStreams, type StreamEnd } from "./request-streams.ts"
import type { RelatedRequests } from "./asked-during.ts"
import { SessionRenewal, sessionGone } from "./session-renewal.ts"

export { remoteKind, type RemoteKind } from "./remote-kind.ts"

export interface RemoteTransportOptions {
  server: string
  log: Logger
  /** Bounds the `initialize` of a new session after the server dropped ours. */
  connectTimeoutMs: number
  /** `pool.maxFrameBytes`: the most a response body (an SSE event) may hold. */
  maxFrameBytes: number
  /**
   * A request's response stream ended without its answer, or its answer was over `maxFrameBytes`:
   * fail that request with `end.error`.
   */
  onStreamEnded(end: StreamEnd): void
  /** The most bytes the answer to request `id` may have, when lower than maxFrameBytes (RequestStreamsOptions.answerCap: per body on Streamable HTTP, per event on legacy HTTP+SSE). */
  answerCap?: (id: string | number) => number | undefined
}

export function createRemoteTransport(spec: RemoteServerSpec, kind: RemoteKind, oauth: ServeAuth | undefined, o: RemoteTransportOptions): Transport {
  const headers = registerHeaderSecrets(spec.headers ?? {})
  const requestInit: RequestInit = { headers }
  const url = new URL(spec.url)
  const endpoint = endpointLabel(url)
  const authProvider = oauth?.provider
  const seen: SeenAnswer = {}
  const base = watchAnswers(oauth?.fetch ?? ((u, init) => fetch(u, init)), seen)
  if (kind === "sse") return legacySse(url, requestInit, base, oauth, endpoint, seen, o)
  const pacer = new ReconnectPacer()
  const streams = new RequestStreams(o.server, endpoint, { maxFrameBytes: o.maxFrameBytes, log: o.log, pacer, ...(o.answerCap ? { answerCap: o.answerCap } : {}) })
  // a scope challenge (403 insufficient_scope) fails that request (auth/scope): the SDK's step-up
  // would re-authorize, which needs the user (a login with their consent), never done behind their back
  const t = new StreamableHTTPClientTransport(url, {
    requestInit,
    fetch: streams.fetch(base),
    reconnectionScheduler: pacer.pace(streams.scheduler),
    onInsufficientScope: "throw",
    ...(authProvider ? { authProvider } : {}),
  })
  const renewal = new SessionRenewal(t, { server: o.server, endpoint, seen, log: o.log, timeoutMs: o.connectTimeoutMs, deliver: (m) => read(m) })
  streams.onEnded = (end) => {
    if (!renewal.fail(end.id, end.error)) o.onStreamEnded(end)
  }
  const read = withStreams(oauth ? withOAuth(t, oauth) : t, streams, (m) => {
    pacer.noteMessage()
    return renewal.take(m)
  })
  const send = t.send.bind(t)
  t.send = (message, options) => renewal.send(message, options, send)
  // which call a question of the server's came for (pool/rpc `relay`: it goes to that call's client)
  ;(t as RelatedRequests).relatedRequest = (id) => streams.relatedRequest(id)
  // a refusal for a session the server dropped is handled (and logged) by the renewal
  return withPlainErrors(t, endpoint, seen, (e) => t.sessionId !== undefined && sessionGone(e))
}

/**
 * Legacy HTTP+SSE: answers come on the one GET stream. An event over `maxFrameBytes` fails the
 * request it answers (`RequestStreams.oversize`) and closes the transport (the connection is made
 * again with backoff); during `start` (before the `endpoint` event) the start fails with it.
 */
function legacySse(url: URL, requestInit: RequestInit, base: Fetch, oauth: ServeAuth | undefined, endpoint: string, seen: SeenAnswer, o: RemoteTransportOptions): Transport {
  const streams = new RequestStreams(o.server, endpoint, { maxFrameBytes: o.maxFrameBytes, log: o.log, carriesAnswers: true, ...(o.answerCap ? { answerCap: o.answerCap } : {}) })
  streams.onEnded = (end) => o.onStreamEnded(end)
  let failStart: ((e: Error) => void) | undefined
  const fetch = limitBodies(base, o.maxFrameBytes, (x) => {
    const error = streams.oversize(x)
    if (x.sse) {
      failStart?.(error)
      void t.close()
    }
    return error
  }, endpoint, (of, bytes, id) => streams.hold(of, bytes, id), undefined, streams.eventCaps)
  // The session lives as long as its GET stream: once started, a stream that ends or breaks off
  // ends the session (the event source would open a new, uninitialised one and the answers of the
  // calls in flight would never come): the transport is closed, so those calls fail now, not at
  // their timeout, and the connection is made again with backoff.
  let started = false
  let closing = false
  const streamEnded = (why: string): void => {
    if (!started || closing) return
    o.log.warn("remote server ended its event stream (legacy HTTP+SSE); the session is over, reconnecting", { endpoint, why })
    void t.close()
  }
  const watched: Fetch = async (u, init) => {
    const res = await fetch(u, init)
    const get = (init?.method ?? "GET").toUpperCase() === "GET"
    return get && res.ok && res.body ? rewrapBody(res, streams.shared(watchEnd(res.body, streamEnded))) : res
  }
  const t = new SSEClientTransport(url, { requestInit, fetch: watched, ...(oauth?.provider ? { authProvider: oauth.provider } : {}) })
  withStreams(t, streams)
  const start = t.start.bind(t)
  const close = t.close.bind(t)
  t.close = () => {
    closing = true
    return close()
  }
  t.start = () =>
    new Promise<void>((resolve, reject) => {
      failStart = reject
      start().then(resolve, reject)
    })
      .then(() => void (started = true))
      .finally(() => (failStart = undefined))
  return withPlainErrors(oauth ? withOAuth(t, oauth) : t, endpoint, seen)
}

/** `res` with `body` in place of its own (status and headers kept). */
function rewrapBody(res: Response, body: ReadableStream<Uint8Array>): Response {
  const out = new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers })
  Object.defineProperty(out, "url", { value: res.url })
  return out
}

/** `body` as it is read; `ended` is told when it ends or breaks off (not when the reader cancels it). */
function watchEnd(body: ReadableStream<Uint8Array>, ended: (why: string) => void): ReadableStream<Uint8Array> {
  const reader = body.getReader()
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      let chunk: Awaited<ReturnType<typeof reader.read>>
      try {
        chunk = await reader.read()
      } catch (e) {
        c.error(e)
        ended(errorMessage(e))
        return
      }
      if (chunk.done) {
        c.close()
        ended("the server closed the stream")
      } else c.enqueue(chunk.value)
    },
    cancel: (reason) => reader.cancel(reason),
  })
}

/**
 * Streamable HTTP requests go out with `streams`' send options, their answers settle its watches
 * (after `take` had its look); closing the transport ends them all. Returns the function that hands
 * a message to whoever reads the transport.
 */
export function withStreams(t: Transport, streams: RequestStreams, take?: (m: JSONRPCMessage) => boolean): (m: JSONRPCMessage) => void {
  const send = t.send.bind(t)
  const close = t.close.bind(t)
  // our answers to the server's requests: bounded, a flood of its requests makes no flood of POSTs
  const answers = new AnswerSends(streams.server, streams.log)
  t.send = (message, options) =>
    isAnswer(message)
      ? answers.send(message, streams.options(message, options), send)
      : send(message, streams.options(message, options)).catch((e: unknown) => {
          const id = (message as { id?: unknown }).id
          if (typeof id === "string" || typeof id === "number") streams.forget(id)
          throw e
        })
  t.close = () => {
    answers.close()
    streams.clear()
    return close()
  }
  let handler: ((m: JSONRPCMessage, extra?: never) => void) | undefined
  let tapped: typeof handler
  Object.defineProperty(t, "onmessage", {
    configurable: true,
    get: () => tapped,
    set: (fn: typeof handler) => {
      handler = fn
      tapped = fn
        ? (m, extra) => {
            streams.received(m)
            try {
              if (take?.(m) !== true) fn(m, extra)
            } finally {
              // handed on: a large answer's bytes of the result budget are given back
              streams.handedOn(m)
            }
          }
        : undefined
    },
  })
  return (m) => handler?.(m)
}

/** Registers the credential-looking values of config `headers` as secrets (never logged); returns `headers`. */
export function registerHeaderSecrets(headers: Record<string, string>): Record<string, string> {
  for (const [k, v] of Object.entries(headers)) if (/authorization|token|key|secret|cookie/i.test(k)) registerSecret(v.replace(/^(Bearer|Basic)\s+/i, ""))
  return headers
}

/** OAuth around send/start: refresh ahead of expiry, and auth-flow failures read as NEEDS_AUTH (auth/serve). Legacy and 2026-07-28 sessions (pool/modern-http) alike. */
export function withOAuth<T extends Transport>(t: T, oauth: ServeAuth): T {
  const send = t.send.bind(t)
  const start = t.start.bind(t)
  // `whole`: the request opens the session (its initialize): refused, nothing of the server works
  const guarded = async <R>(op: () => Promise<R>, whole: boolean): Promise<R> => {
    await oauth.beforeRequest()
    const runs = oauth.provider.authRuns
    try {
      return await op()
    } catch (e) {
      throw oauth.classify(e, runs, whole) ?? e
    }
  }
  t.send = (message, options) => guarded(() => send(message, options), "method" in message && message.method === "initialize")
  t.start = () => guarded(() => start(), true)
  return t
}
