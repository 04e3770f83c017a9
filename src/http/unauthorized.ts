/**
 * @module http/unauthorized
 * The 401 of /mcp, told apart by what the request carried (RFC 6750 §3, §3.1): no credentials (the
 * challenge alone: no error code, as §3.1 asks), a bearer token that is not this run's
 * (`error="invalid_token"` and an `error_description`: an OAuth-capable client, e.g. the MCP
 * Inspector, then reports an invalid token with our words instead of starting a login that cannot
 * succeed here — there is no authorization server), or another scheme / no token after `Bearer`
 * (the bare challenge too, as §3.1 asks for an unsupported scheme; the body says what was wrong).
 * The token itself is never echoed.
 */

const REALM = 'Bearer realm="mcp-orchestrator"'

/** Where the token comes from, said in every refusal. */
const SOURCE = "http.token or MCPO_HTTP_TOKEN; when neither is set a new one is generated at each start and printed once on stderr"

export type AuthFailure = "missing" | "scheme" | "mismatch"

/** What is wrong with an Authorization header that did not pass the bearer check. */
export function authFailure(header: string | null | undefined): AuthFailure {
  if (header === null || header === undefined || header.trim() === "") return "missing"
  return /^Bearer\s+\S+\s*$/i.test(header) ? "mismatch" : "scheme"
}

/** The message of each case: what went wrong and what to do. Printable ASCII without `"` or `\` (an error_description, RFC 6750 §3). */
export function authMessage(why: AuthFailure): string {
  switch (why) {
    case "missing":
      return `Authorization: Bearer <token> required (${SOURCE}); this endpoint has no OAuth login`
    case "scheme":
      return `the Authorization header is not of the form Bearer <token> (another scheme, or no token after Bearer); send Authorization: Bearer <token> (${SOURCE})`
    case "mismatch":
      return `the bearer token sent is not this endpoint's token: use the one in ${SOURCE} (a token copied from an earlier run no longer works); this endpoint has no OAuth login`
  }
}

/**
 * The WWW-Authenticate challenge of each case: an error code only for a bearer token that failed
 * (§3.1: a request without credentials, or with an unsupported scheme, gets the bare challenge).
 */
export function authChallenge(why: AuthFailure): string {
  return why === "mismatch" ? `${REALM}, error="invalid_token", error_description="${authMessage(why)}"` : REALM
}
