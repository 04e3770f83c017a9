/**
 * @module http/cors
 * CORS for the MCP paths (`/mcp`, `/mcp/t/<toolset>`), so that a browser client (the MCP Inspector
 * in direct mode, a local web app) can reach the endpoint. The same origins as the Origin check
 * (security.ts: loopback origins, and those in http.allowedOrigins) and only those: a request that
 * passed that check and carries an Origin gets `Access-Control-Allow-Origin` set to its own origin
 * (never `*`; no `Access-Control-Allow-Credentials`: the credential is the bearer token, which the
 * page must hold, never a cookie), `Vary: Origin`, and the MCP response headers exposed; a preflight
 * (`OPTIONS` with `Access-Control-Request-Method`) is answered 204 without a token. An origin that
 * fails the check is refused (403) before this runs; the other routes (health, metrics, OpenAPI)
 * get no CORS headers, so a web page cannot read them.
 */

/** Response headers a browser client must read: the session id, the negotiated version, the auth challenge. */
const EXPOSE = "Mcp-Session-Id, MCP-Protocol-Version, WWW-Authenticate"
/** Request headers allowed when a preflight names none we can echo (the MCP ones of both eras). */
const ALLOW_HEADERS = "Authorization, Content-Type, Accept, Mcp-Session-Id, MCP-Protocol-Version, Last-Event-ID, Mcp-Method, Mcp-Name"
export const CORS_METHODS = "GET, POST, DELETE"
/** A list of header names (RFC 9110 tokens), as `Access-Control-Request-Headers` carries it. */
const HEADER_LIST = /^\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*\s*$/
/** How long a browser may keep a preflight's answer (s). */
const MAX_AGE = "600"

/** Is this a CORS preflight (OPTIONS from a browser, naming the method it means to send)? */
export function isPreflight(req: Request): boolean {
  return req.method === "OPTIONS" && req.headers.has("origin") && req.headers.has("access-control-request-method")
}

/**
 * The answer to a preflight whose Origin (and Host) passed the guard: 204 with the methods and
 * headers allowed. Request headers are echoed when they are a plain list of names (2026-07-28
 * clients send `Mcp-Param-*` headers named after tool arguments), else the MCP ones are listed.
 */
export function preflight(req: Request): Response {
  const origin = req.headers.get("origin")!
  const asked = req.headers.get("access-control-request-headers")
  const allow = asked !== null && asked.length <= 2000 && HEADER_LIST.test(asked) ? asked.trim() : ALLOW_HEADERS
  const headers: Record<string, string> = {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": CORS_METHODS,
    "access-control-allow-headers": allow,
    "access-control-max-age": MAX_AGE,
    vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network",
  }
  // Chrome's Private Network Access: a page of an accepted public origin (http.allowedOrigins) reaching this loopback endpoint
  if (req.headers.get("access-control-request-private-network") === "true") headers["access-control-allow-private-network"] = "true"
  return new Response(null, { status: 204, headers })
}

/** Adds the CORS headers for `origin` (one that passed the guard) to a response of the MCP paths. */
export function withCors(res: Response, origin: string): Response {
  const h = res.headers
  h.set("access-control-allow-origin", origin)
  h.set("access-control-expose-headers", EXPOSE)
  h.append("vary", "Origin")
  return res
}
