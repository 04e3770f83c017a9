/**
 * @module pool/remote-transport
 * Transports for remote downstreams (Streamable HTTP, legacy SSE) from the SDK. Headers from the
 * config (e.g. Authorization) are sent on every request and never logged. A request that fails on
 * the wire (refused, reset mid-request, DNS, TLS) becomes a WRITE_FAILED DownstreamError that names
 * the endpoint (no userinfo, no query) and the cause in plain words, without the runtime's hints.
 */
import { SSEClientTransport, StreamableHTTPClientTransport, type Transport } from "@modelcontextprotocol/client"
import type { RemoteServerSpec } from "../config/index.ts"
import type { ServeAuth } from "../auth/index.ts"
import { DownstreamError, errorMessage, registerSecret } from "../core/index.ts"

import type { RemoteKind } from "./remote-kind.ts"

export { remoteKind, type RemoteKind } from "./remote-kind.ts"

export function createRemoteTransport(spec: RemoteServerSpec, kind: RemoteKind, oauth?: ServeAuth): Transport {
  const headers = registerHeaderSecrets(spec.headers ?? {})
  const requestInit: RequestInit = { headers }
  const url = new URL(spec.url)
  const authProvider = oauth?.provider
  const seen: SeenAnswer = {}
  const opts = { requestInit, fetch: watchAnswers(oauth?.fetch ?? ((u, init) => fetch(u, init)), seen), ...(authProvider ? { authProvider } : {}) }
  const t = kind === "sse" ? new SSEClientTransport(url, opts) : new StreamableHTTPClientTransport(url, opts)
  return withPlainErrors(oauth ? withOAuth(t, oauth) : t, endpointLabel(url), seen)
}

type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>

/** Status and content type of the last HTTP answer, for errors that name only one of them (or neither). */
interface SeenAnswer {
  status?: number
  contentType?: string
}

function watchAnswers(base: Fetch, seen: SeenAnswer): Fetch {
  return async (url, init) => {
    const res = await base(url, init)
    seen.status = res.status
    seen.contentType = res.headers.get("content-type") ?? undefined
    return res
  }
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

/** `https://host:port/path`: no userinfo, no query or fragment (they may hold credentials). */
export function endpointLabel(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`
}

/**
 * Hints the runtime appends to network errors, meant for the developer at a console, not for a
 * user reading a tool error (Bun: "For more information, pass `verbose: true` in the second
 * argument to fetch()", "Is the computer able to access the url?").
 */
const RUNTIME_HINTS = [/\s*For more information,? pass `?verbose:? ?true`?[^.\n]*(?:\.|$)/gi, /\s*Is the computer able to access the url\??/gi]

export function stripRuntimeHints(message: string): string {
  let out = message
  for (const re of RUNTIME_HINTS) out = out.replace(re, "")
  return out.trim()
}

/** Plain words for the socket error codes fetch reports (Node-style and Bun-style names). */
const NETWORK_CAUSES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ConnectionRefused: "connection refused",
  ECONNRESET: "connection reset by the server",
  ConnectionClosed: "connection closed by the server",
  EPIPE: "connection closed by the server",
  ETIMEDOUT: "connection timed out",
  Timeout: "connection timed out",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host not found (DNS lookup failed)",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  FailedToOpenSocket: "could not open a socket",
}

/** Longest part of an error page quoted in a message. */
const BODY_QUOTE = 200

/**
 * An HTTP answer the SDK refused (a status, a content type it cannot read): "HTTP 500
 * (text/plain): <body start>", with the status and content type of the answer seen when the error
 * names only one of them. Undefined for errors that are not about an answer.
 */
function answerText(e: unknown, seen: SeenAnswer | undefined): string | undefined {
  const x = e as { code?: unknown; data?: { status?: unknown; contentType?: unknown; text?: unknown } } | null
  const data = typeof x?.data === "object" && x.data !== null ? x.data : undefined
  let status = typeof data?.status === "number" ? data.status : undefined
  // the SDK's SSE errors carry the status as their code (eventsource: "Non-200 status code (500)")
  if (status === undefined && typeof x?.code === "number" && x.code >= 100 && x.code < 600) status = x.code
  let type = typeof data?.contentType === "string" ? data.contentType : undefined
  const message = errorMessage(e)
  if (status === undefined && type === undefined && !/content type/i.test(message)) return undefined
  if (seen?.status !== undefined && (status === undefined || status === seen.status)) {
    status = seen.status
    type ??= seen.contentType
  }
  if (status === undefined) return undefined
  const body = typeof data?.text === "string" ? data.text.replace(/\s+/g, " ").trim() : ""
  const what = body ? (body.length > BODY_QUOTE ? `${body.slice(0, BODY_QUOTE)}…` : body) : stripRuntimeHints(message)
  return `HTTP ${status} (${type ? `content type ${type}` : "no content type"}): ${what}`
}

/** The error a failed request to `endpoint` is reported as. Already typed errors pass through. */
export function remoteRequestError(e: unknown, endpoint: string, seen?: SeenAnswer): unknown {
  if (e instanceof DownstreamError) return e
  const answer = answerText(e, seen)
  if (answer !== undefined) {
    return new DownstreamError("WRITE_FAILED", `HTTP request to ${endpoint} failed: ${answer}`, {
      cause: e,
      remedy: "Check the server's url (it must be an MCP endpoint) and that the server is healthy; the pool reconnects with backoff.",
      details: { endpoint },
    })
  }
  const code = (e as { code?: unknown } | null)?.code
  const text = stripRuntimeHints(errorMessage(e))
  const known = typeof code === "string" ? NETWORK_CAUSES[code] : undefined
  const tls = typeof code === "string" && /CERT|SSL|TLS|SELF_SIGNED/i.test(code)
  const cause = known ?? (tls ? `TLS certificate problem (${text})` : text || "request failed")
  const message = `HTTP request to ${endpoint} failed: ${cause}${known || tls ? ` (${String(code)})` : ""}`
  return new DownstreamError("WRITE_FAILED", message, {
    cause: e,
    remedy: "Check that the remote server is running and reachable at its url; the pool reconnects with backoff.",
    details: { endpoint, ...(typeof code === "string" ? { errno: code } : {}) },
  })
}

/** Wraps send/start so their failures, and errors reported through onerror, read as above. */
function withPlainErrors<T extends Transport>(t: T, endpoint: string, seen: SeenAnswer): T {
  const send = t.send.bind(t)
  const start = t.start.bind(t)
  t.send = (message, options) => send(message, options).catch((e: unknown) => Promise.reject(remoteRequestError(e, endpoint, seen)))
  t.start = () => start().catch((e: unknown) => Promise.reject(remoteRequestError(e, endpoint, seen)))
  // The SDK reports background failures (GET stream lost, reconnect failed) through onerror.
  let handler: ((e: Error) => void) | undefined
  Object.defineProperty(t, "onerror", {
    configurable: true,
    get: () => (handler ? (e: Error) => handler!(cleanError(e)) : undefined),
    set: (fn: ((e: Error) => void) | undefined) => {
      handler = fn
    },
  })
  return t
}

function cleanError(e: Error): Error {
  if (e instanceof DownstreamError) return e
  const text = stripRuntimeHints(e.message)
  if (text === e.message) return e
  const out = new Error(text, { cause: e })
  out.name = e.name
  return out
}
