/**
 * @module pool/remote-errors
 * How a failed HTTP request to a remote downstream reads, the same for both eras (the legacy
 * session's transport and the 2026-07-28 client): "HTTP request to <endpoint> failed: <cause>", the
 * endpoint without userinfo or query (they may hold credentials), the cause in plain words (a
 * socket error's name, or the status, content type and start of an answer the SDK refused) without
 * the runtime's hints for developers, and one remedy per kind of failure. Nothing came back (or a
 * 404 for our session, or a gateway's 502/503/504): WRITE_FAILED, the connection is lost. The server answered, but not with
 * MCP (an error page, a body that is no JSON-RPC): BAD_RESPONSE, only that request failed.
 */
import type { Transport } from "@modelcontextprotocol/client"
import { cutText, DownstreamError, errorMessage, stripRuntimeHints, wireCause } from "../core/index.ts"
import { authRefusalQuote } from "./auth-refusal.ts"
import { RETRY_AFTER_MAX_MS, retryAfterAsked } from "./retry-after.ts"

// the cause of a request that failed on the wire, in plain words (core/wire-cause: the auth flow words its own so)
export { wireCause }

export type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>

/** Status and content type of the last HTTP answer, for errors that name only one of them (or neither). */
export interface SeenAnswer {
  status?: number
  contentType?: string
  /** Its `Retry-After` header (on a 429 or 503: when the server asks to be tried again). */
  retryAfter?: string
  /** Its `Content-Length` header ("0": an empty body). */
  contentLength?: string
  /** Its `WWW-Authenticate` header (a 401's or 403's challenge). */
  wwwAuthenticate?: string
}

/** `base`, noting each answer's status and content type in `seen`. */
export function watchAnswers(base: Fetch, seen: SeenAnswer): Fetch {
  return async (url, init) => {
    const res = await base(url, init)
    seen.status = res.status
    seen.contentType = res.headers.get("content-type") ?? undefined
    seen.retryAfter = res.headers.get("retry-after") ?? undefined
    seen.contentLength = res.headers.get("content-length") ?? undefined
    seen.wwwAuthenticate = res.headers.get("www-authenticate") ?? undefined
    return res
  }
}

/** `https://host:port/path`: no userinfo, no query or fragment (they may hold credentials). */
export function endpointLabel(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`
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
  let message = errorMessage(e)
  // the legacy HTTP+SSE transport's POST errors carry the status in their words only
  const posted = /^Error POSTing to endpoint \(HTTP (\d{3})\): ?/.exec(message)
  if (status === undefined && posted) {
    status = Number(posted[1])
    message = message.slice(posted[0].length) || "(no body)"
  }
  if (status === undefined && type === undefined && !/content type/i.test(message)) return undefined
  if (seen?.status !== undefined && (status === undefined || status === seen.status)) {
    status = seen.status
    type ??= seen.contentType
  }
  if (status === undefined) return undefined
  const body = typeof data?.text === "string" ? data.text.replace(/\s+/g, " ").trim() : ""
  // a refusal of credentials may echo them (a session id, the key sent): only its error fields, opaque runs masked
  if (status === 401 || status === 403) return `HTTP ${status} (${type ? `content type ${type}` : "no content type"}): ${authRefusalQuote(body || stripRuntimeHints(message), seen?.status === status ? seen.wwwAuthenticate : undefined)}`
  const what = body ? (body.length > BODY_QUOTE ? `${cutText(body, BODY_QUOTE)}…` : body) : stripRuntimeHints(message)
  return `HTTP ${status} (${type ? `content type ${type}` : "no content type"}): ${what}`
}


/**
 * Answers that mean the connection is lost, like a refused one (it is made again with backoff):
 * 404, the session is gone (one the renewal could not replace) or the endpoint is; 502/503/504, a
 * gateway in front of the server says the server behind it is down or unreachable.
 */
const LOST_STATUSES = new Set([404, 502, 503, 504])

export const BAD_ANSWER_REMEDY = "The server answered, but not with MCP: only this request failed (the session stays). Check the server's log for the error; if every request fails so, check the server's url (it must be an MCP endpoint)."

/**
 * The HTTP status of an answer the SDK refused (the error's own, or the last answer seen when the
 * error names none), or undefined when `e` is not about an answer.
 */
function answerStatus(e: unknown, seen: SeenAnswer | undefined): number | undefined {
  const x = e as { code?: unknown; data?: { status?: unknown } } | null
  const status = typeof x?.data === "object" && x.data !== null && typeof x.data.status === "number" ? x.data.status : typeof x?.code === "number" && x.code >= 100 && x.code < 600 ? x.code : undefined
  const posted = /^Error POSTing to endpoint \(HTTP (\d{3})\)/.exec(errorMessage(e))
  return status ?? (posted ? Number(posted[1]) : seen?.status)
}

/** What to do about a request the server refused with `status` (only that request failed). */
function answerRemedy(status: number): string {
  if (status === 401 || status === 403) {
    return "The server refused this request's credentials (only this request failed): check the server's `headers` in the config (an expired or wrong token in Authorization), or for an OAuth server run `mcp-orchestrator auth login NAME`."
  }
  if (status === 429) return "The server is limiting the rate of requests: its calls are held off until the time it asked (Retry-After), else a moment; retry then, or call it less often."
  if (status >= 300 && status < 400) {
    return "The server redirected to another address, which is not followed (the request's headers and credentials would go with it): if that is the server's new address, put it in the server's `url` in the config."
  }
  return BAD_ANSWER_REMEDY
}

/** Same-origin redirects the SDK follows before it gives up (its MAX_REDIRECTS). */
const MAX_REDIRECTS = 5

const LOOP_REMEDY = "The server's redirects go round within its own address (only this request failed): check the path of the server's `url` in the config, and the server's (or its proxy's) redirect rules."

const OTHER_ORIGIN_REMEDY =
  "The server (legacy HTTP+SSE) told us to send its messages to another host, which is never done. If that host is the server's own address, put its SSE url on that host in the server's `url`; otherwise the server or a proxy in front of it is misconfigured."

/** The origin a legacy HTTP+SSE `endpoint` event named when it is not the server's (the SDK refused it), else undefined. */
function otherOrigin(e: unknown): string | undefined {
  const m = /^Endpoint origin does not match connection origin: (\S{1,200})/.exec(errorMessage(e))
  return m?.[1]
}

/** Whether an unfollowed redirect points back to the endpoint's own origin: the SDK gave up after MAX_REDIRECTS, a loop. */
function redirectsHome(e: unknown, endpoint: string): boolean {
  const m = /Redirect to (\S+) not followed/.exec(errorMessage(e))
  if (m === null) return false
  try {
    return new URL(m[1]!).origin === new URL(endpoint).origin
  } catch {
    return false
  }
}

/**
 * A 429's or 503's `Retry-After`: "; the server asks to be tried again in 30 s (Retry-After)" and
 * its wait for the details (`retryAfterMs`, capped: the session waits that before its next start).
 */
function retryAfter(seen: SeenAnswer | undefined): { text: string; details: { retryAfterMs?: number } } {
  const asked = retryAfterAsked(seen?.retryAfter)
  if (asked === undefined) return { text: "", details: {} }
  const capped = asked > RETRY_AFTER_MAX_MS ? `; the pool waits at most ${RETRY_AFTER_MAX_MS / 1000} s before trying again` : ""
  return { text: `; the server asks to be tried again in ${Math.ceil(asked / 1000)} s (Retry-After)${capped}`, details: { retryAfterMs: Math.min(asked, RETRY_AFTER_MAX_MS) } }
}

/**
 * Why a refused answer of a Streamable HTTP endpoint is conclusive, so no legacy HTTP+SSE try can
 * change it (pool/connect skips that fallback, and its "the SSE fallback failed too" words): a body
 * that is a JSON-RPC message (the endpoint speaks JSON-RPC over POST: it is a Streamable HTTP server),
 * a 401/403 carrying an auth challenge (the same credentials go with the SSE GET), a 429 (a second
 * request only adds to the rate). Undefined for an answer an HTTP+SSE-only server gives (a 404 or 405
 * page, a 500): there the fallback is worth its request.
 */
function conclusiveAnswer(e: unknown, status: number, seen: SeenAnswer | undefined): string | undefined {
  const text = (e as { data?: { text?: unknown } } | null)?.data?.text
  if (typeof text === "string" && jsonRpcBody(text)) return "it answered with a JSON-RPC message, so it speaks Streamable HTTP"
  if ((status === 401 || status === 403) && seen?.status === status && seen.wwwAuthenticate) return "it asked for credentials (WWW-Authenticate), which an SSE connection would send the same"
  if (status === 429) return "it limits the rate of requests (HTTP 429)"
  return undefined
}

/** A body holding one JSON-RPC message (or a batch of them). */
function jsonRpcBody(text: string): boolean {
  if (text.length > 65_536) return false
  try {
    const v = JSON.parse(text) as unknown
    const one = Array.isArray(v) ? v[0] : v
    return typeof one === "object" && one !== null && (one as { jsonrpc?: unknown }).jsonrpc === "2.0"
  } catch {
    return false
  }
}

/**
 * A body the server sent that is no JSON-RPC message: the JSON parser's error, or the SDK's schema
 * check of a message (a ZodError whose message is a JSON dump of its issues). Undefined otherwise.
 */
function unreadableBody(e: unknown, seen?: SeenAnswer): string | undefined {
  // an empty body (Content-Length: 0) is no answer at all, not "Unexpected end of JSON input"
  if (e instanceof SyntaxError && seen?.contentLength === "0") return "its body is empty: no JSON-RPC answer in it"
  if (e instanceof SyntaxError) return `its body is not JSON (${stripRuntimeHints(e.message)})`
  const x = e as { name?: unknown; issues?: unknown } | null
  if (x !== null && typeof x === "object" && (x.name === "ZodError" || x.name === "$ZodError") && Array.isArray(x.issues)) {
    const first = x.issues[0] as { path?: unknown; message?: unknown } | undefined
    const where = Array.isArray(first?.path) && first.path.length ? ` at ${first.path.join(".")}` : ""
    return `its body is JSON but not a JSON-RPC message${typeof first?.message === "string" ? ` (${first.message}${where})` : ""}`
  }
  return undefined
}

/**
 * The error a failed request to `endpoint` is reported as. Already typed errors pass through.
 * The server answered, but not with MCP (an error page, a status the SDK refuses, a body that is no
 * JSON-RPC): BAD_RESPONSE, only that request fails and the session stays (one broken tool does
 * not take the server's other tools down). Nothing came back (refused, reset, DNS, TLS), the session
 * or endpoint is gone (404), or a gateway says the server behind it is down (502/503/504):
 * WRITE_FAILED, the connection is lost.
 */
export function remoteRequestError(e: unknown, endpoint: string, seen?: SeenAnswer): unknown {
  if (e instanceof DownstreamError) return e
  const elsewhere = otherOrigin(e)
  if (elsewhere !== undefined) {
    return new DownstreamError("BAD_RESPONSE", `the server at ${endpoint} named ${elsewhere}, another origin, as where to send its messages (its \`endpoint\` event); refused, so the configured headers never go there`, {
      cause: e,
      remedy: OTHER_ORIGIN_REMEDY,
      details: { endpoint },
    })
  }
  const answer = answerText(e, seen)
  if (answer !== undefined) {
    const status = answerStatus(e, seen)
    const loop = status !== undefined && status >= 300 && status < 400 && redirectsHome(e, endpoint)
    const text = loop ? `HTTP ${status}: the server redirected within its own address more than ${MAX_REDIRECTS} times (a redirect loop)` : answer
    // (the last answer seen is this one's when it has its status)
    const wait = (status === 429 || status === 503) && seen?.status === status ? retryAfter(seen) : { text: "", details: {} }
    const conclusive = status !== undefined ? conclusiveAnswer(e, status, seen) : undefined
    const more = { ...wait.details, ...(conclusive !== undefined ? { noSseFallback: conclusive } : {}) }
    if (status !== undefined && !LOST_STATUSES.has(status)) {
      const remedy = loop ? LOOP_REMEDY : answerRemedy(status)
      return new DownstreamError("BAD_RESPONSE", `HTTP request to ${endpoint} failed: ${text}${wait.text}`, { cause: e, remedy, details: { endpoint, status, ...more } })
    }
    return new DownstreamError("WRITE_FAILED", `HTTP request to ${endpoint} failed: ${text}${wait.text}`, { cause: e, remedy: ANSWER_REMEDY, details: { endpoint, ...more } })
  }
  const body = unreadableBody(e, seen)
  if (body !== undefined) {
    const how = seen?.status !== undefined ? ` (HTTP ${seen.status}, ${seen.contentType ? `content type ${seen.contentType}` : "no content type"})` : ""
    return new DownstreamError("BAD_RESPONSE", `the answer of ${endpoint}${how} is not MCP: ${body}`, { cause: e, remedy: BAD_ANSWER_REMEDY, details: { endpoint } })
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
  return e instanceof DownstreamError && (e.code === "WRITE_FAILED" || e.code === "BAD_RESPONSE") && typeof e.details?.endpoint === "string"
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
  // a body that is no JSON-RPC: in words, not the parser's (or the schema's JSON dump of its issues)
  const body = unreadableBody(e)
  if (body !== undefined) return new Error(`an answer is not MCP: ${body}`, { cause: e })
  const text = stripRuntimeHints(e.message)
  if (text === e.message) return e
  const out = new Error(text, { cause: e })
  out.name = e.name
  return out
}
