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
 * RESULTS_OVER_BUDGET.
 */
import { SSEClientTransport, StreamableHTTPClientTransport, type JSONRPCMessage, type Transport } from "@modelcontextprotocol/client"
import type { RemoteServerSpec } from "../config/index.ts"
import type { ServeAuth } from "../auth/index.ts"
import { registerSecret, type Logger } from "../core/index.ts"
import { endpointLabel, watchAnswers, withPlainErrors, type Fetch, type SeenAnswer } from "./remote-errors.ts"
import type { RemoteKind } from "./remote-kind.ts"
import { limitBodies } from "./remote-limits.ts"
import { RequestStreams, type StreamEnd } from "./request-streams.ts"
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
  const streams = new RequestStreams(o.server, endpoint, { maxFrameBytes: o.maxFrameBytes, log: o.log })
  const t = new StreamableHTTPClientTransport(url, { requestInit, fetch: streams.fetch(base), reconnectionScheduler: streams.scheduler, ...(authProvider ? { authProvider } : {}) })
  const renewal = new SessionRenewal(t, { server: o.server, endpoint, seen, log: o.log, timeoutMs: o.connectTimeoutMs, deliver: (m) => read(m) })
  streams.onEnded = (end) => {
    if (!renewal.fail(end.id, end.error)) o.onStreamEnded(end)
  }
  const read = withStreams(oauth ? withOAuth(t, oauth) : t, streams, (m) => renewal.take(m))
  const send = t.send.bind(t)
  t.send = (message, options) => renewal.send(message, options, send)
  // a refusal for a session the server dropped is handled (and logged) by the renewal
  return withPlainErrors(t, endpoint, seen, (e) => t.sessionId !== undefined && sessionGone(e))
}

/**
 * Legacy HTTP+SSE: answers come on the one GET stream. An event over `maxFrameBytes` fails the
 * request it answers (`RequestStreams.oversize`) and closes the transport (the connection is made
 * again with backoff); during `start` (before the `endpoint` event) the start fails with it.
 */
function legacySse(url: URL, requestInit: RequestInit, base: Fetch, oauth: ServeAuth | undefined, endpoint: string, seen: SeenAnswer, o: RemoteTransportOptions): Transport {
  const streams = new RequestStreams(o.server, endpoint, { maxFrameBytes: o.maxFrameBytes, log: o.log, carriesAnswers: true })
  streams.onEnded = (end) => o.onStreamEnded(end)
  let failStart: ((e: Error) => void) | undefined
  const fetch = limitBodies(base, o.maxFrameBytes, (x) => {
    const error = streams.oversize(x)
    if (x.sse) {
      failStart?.(error)
      void t.close()
    }
    return error
  }, endpoint, (of, bytes, id) => streams.hold(of, bytes, id))
  const t = new SSEClientTransport(url, { requestInit, fetch, ...(oauth?.provider ? { authProvider: oauth.provider } : {}) })
  withStreams(t, streams)
  const start = t.start.bind(t)
  t.start = () =>
    new Promise<void>((resolve, reject) => {
      failStart = reject
      start().then(resolve, reject)
    }).finally(() => (failStart = undefined))
  return withPlainErrors(oauth ? withOAuth(t, oauth) : t, endpoint, seen)
}

/**
 * Streamable HTTP requests go out with `streams`' send options, their answers settle its watches
 * (after `take` had its look); closing the transport ends them all. Returns the function that hands
 * a message to whoever reads the transport.
 */
export function withStreams(t: Transport, streams: RequestStreams, take?: (m: JSONRPCMessage) => boolean): (m: JSONRPCMessage) => void {
  const send = t.send.bind(t)
  const close = t.close.bind(t)
  t.send = (message, options) =>
    send(message, streams.options(message, options)).catch((e: unknown) => {
      const id = (message as { id?: unknown }).id
      if (typeof id === "string" || typeof id === "number") streams.forget(id)
      throw e
    })
  t.close = () => {
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

/** OAuth around send/start: refresh ahead of expiry, and auth-flow failures read as NEEDS_AUTH (auth/serve). */
function withOAuth<T extends Transport>(t: T, oauth: ServeAuth): T {
  const send = t.send.bind(t)
  const start = t.start.bind(t)
  const guarded = async <R>(op: () => Promise<R>): Promise<R> => {
    await oauth.beforeRequest()
    const runs = oauth.provider.authRuns
    try {
      return await op()
    } catch (e) {
      throw oauth.classify(e, runs) ?? e
    }
  }
  t.send = (message, options) => guarded(() => send(message, options))
  t.start = () => guarded(() => start())
  return t
}
