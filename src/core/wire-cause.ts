/**
 * @module core/wire-cause
 * A request that failed on the wire, in plain words: "connection refused (ECONNREFUSED)", without
 * the hints the runtime adds for a developer at a console. Used by the pool (a remote downstream's
 * requests) and by auth (the authorization server's: a refresh that could not reach its token
 * endpoint quoted Bun's "For more information, pass `verbose: true` …" to the model).
 */
import { errorMessage } from "./errors.ts"
import { lookupTable } from "./lookup.ts"

/**
 * Hints the runtime appends to network errors, meant for the developer at a console, not for a
 * user reading a tool error (Bun: "For more information, pass `verbose: true` in the second
 * argument to fetch()", "Is the computer able to access the url?").
 */
const RUNTIME_HINTS = [
  /\s*For more information,? pass `?verbose:? ?true`?[^.\n]*(?:\.|$)/gi,
  /\s*Is the computer able to access the url\??/gi,
  // Bun names the whole request URL, query included (it may hold a key): the endpoint is named apart
  /\s*fetching "[^"]*"\.?/gi,
]

export function stripRuntimeHints(message: string): string {
  let out = message
  for (const re of RUNTIME_HINTS) out = out.replace(re, "")
  return out.trim()
}

/** Plain words for the socket error codes fetch reports (Node-style and Bun-style names). */
const NETWORK_CAUSES: Record<string, string> = lookupTable({
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
  ResponseHeadersTooLarge: "the answer's headers are too large to read",
  // Bun's fetch refuses a response no HTTP parser reads: a header value with control characters (an
  // Mcp-Session-Id with a line break or \u0001), a broken status line
  Malformed_HTTP_Response: "the server's HTTP answer is malformed (a header with control characters, such as its Mcp-Session-Id, or a broken status line); no HTTP client reads it",
})

/** The cause of a request that failed on the wire, in plain words: "connection refused (ECONNREFUSED)". */
export function wireCause(e: unknown): { text: string; errno?: string } {
  const code = (e as { code?: unknown } | null)?.code
  const text = stripRuntimeHints(errorMessage(e))
  const known = typeof code === "string" ? NETWORK_CAUSES[code] : undefined
  const tls = typeof code === "string" && /CERT|SSL|TLS|SELF_SIGNED/i.test(code)
  const cause = known ?? (tls ? `TLS certificate problem (${text})` : text || "request failed")
  return { text: `${cause}${known || tls ? ` (${String(code)})` : ""}`, ...(typeof code === "string" ? { errno: code } : {}) }
}
