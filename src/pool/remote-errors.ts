/**
 * @module pool/remote-errors
 * How a failed HTTP request to a remote downstream reads, the same for both eras (the legacy
 * session's transport and the 2026-07-28 client): WRITE_FAILED "HTTP request to <endpoint> failed:
 * <cause>", the endpoint without userinfo or query (they may hold credentials), the cause in plain
 * words (a socket error's name, or the status, content type and start of an answer the SDK refused)
 * without the runtime's hints for developers, and one remedy per kind of failure.
 */
import type { Transport } from "@modelcontextprotocol/client"
import { DownstreamError, errorMessage } from "../core/index.ts"

export type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>

/** Status and content type of the last HTTP answer, for errors that name only one of them (or neither). */
export interface SeenAnswer {
  status?: number
  contentType?: string
}

/** `base`, noting each answer's status and content type in `seen`. */
export function watchAnswers(base: Fetch, seen: SeenAnswer): Fetch {
  return async (url, init) => {
    const res = await base(url, init)
    seen.status = res.status
    seen.contentType = res.headers.get("content-type") ?? undefined
    return res
  }
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

export const ANSWER_REMEDY = "Check the server's url (it must be an MCP endpoint) and that the server is healthy; the pool reconnects with backoff."
export const UNREACHABLE_REMEDY = "Check that the remote server is running and reachable at its url; the pool reconnects with backoff."

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

/** The cause of a request that failed on the wire, in plain words: "connection refused (ECONNREFUSED)". */
export function wireCause(e: unknown): { text: string; errno?: string } {
  const code = (e as { code?: unknown } | null)?.code
  const text = stripRuntimeHints(errorMessage(e))
  const known = typeof code === "string" ? NETWORK_CAUSES[code] : undefined
  const tls = typeof code === "string" && /CERT|SSL|TLS|SELF_SIGNED/i.test(code)
  const cause = known ?? (tls ? `TLS certificate problem (${text})` : text || "request failed")
  return { text: `${cause}${known || tls ? ` (${String(code)})` : ""}`, ...(typeof code === "string" ? { errno: code } : {}) }
}

/** The error a failed request to `endpoint` is reported as. Already typed errors pass through. */
export function remoteRequestError(e: unknown, endpoint: string, seen?: SeenAnswer): unknown {
  if (e instanceof DownstreamError) return e
  const answer = answerText(e, seen)
  if (answer !== undefined) {
    return new DownstreamError("WRITE_FAILED", `HTTP request to ${endpoint} failed: ${answer}`, { cause: e, remedy: ANSWER_REMEDY, details: { endpoint } })
  }
  const { text, errno } = wireCause(e)
  return new DownstreamError("WRITE_FAILED", `HTTP request to ${endpoint} failed: ${text}`, {
    cause: e,
    remedy: UNREACHABLE_REMEDY,
    details: { endpoint, ...(errno !== undefined ? { errno } : {}) },
  })
}

/** A request to a remote server that failed on the wire or was refused, as `remoteRequestError` words it. */
export function isRemoteRequestError(e: unknown): e is DownstreamError {
  return e instanceof DownstreamError && e.code === "WRITE_FAILED" && typeof e.details?.endpoint === "string"
}

/**
 * Wraps send/start so their failures, and errors reported through onerror, read as above; errors
 * `quiet` says are handled elsewhere are not reported through onerror.
 */
export function withPlainErrors<T extends Transport>(t: T, endpoint: string, seen: SeenAnswer, quiet?: (e: Error) => boolean): T {
  const send = t.send.bind(t)
  const start = t.start.bind(t)
  t.send = (message, options) => send(message, options).catch((e: unknown) => Promise.reject(remoteRequestError(e, endpoint, seen)))
  t.start = () => start().catch((e: unknown) => Promise.reject(remoteRequestError(e, endpoint, seen)))
  // The SDK reports background failures (GET stream lost, reconnect failed) through onerror.
  let handler: ((e: Error) => void) | undefined
  Object.defineProperty(t, "onerror", {
    configurable: true,
    get: () =>
      handler
        ? (e: Error) => {
            if (quiet?.(e) !== true) handler!(cleanError(e))
          }
        : undefined,
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
