/**
 * @module auth/scope
 * OAuth scopes (RFC 6749 §3.3: space-separated tokens of NQCHAR) and the step-up challenge of a
 * remote server (RFC 6750 §3.1 `insufficient_scope`; the MCP authorization spec's "scope
 * challenge"): a call the server refuses for want of a scope fails alone, saying which scopes it
 * asks for and the `auth login --scope` command that asks the user's consent for them. Nothing is
 * asked of the authorization server behind the user's back (a refresh cannot widen the scope by
 * RFC 6749 §6, and one some providers honour anyway would skip the consent), and the login is kept:
 * the server's other tools go on with it.
 */
import { cutText, DownstreamError, loginCommand } from "../core/index.ts"

/** One scope token: RFC 6749 NQCHAR without the quote and backquote (it is typed into a shell command, auth login --scope, shown between backquotes). */
const SCOPE_TOKEN = /^[\x21\x23-\x26\x28-\x5b\x5d-\x5f\x61-\x7e]{1,200}$/
/** A challenge naming more scopes than this is not quoted whole. */
const MAX_SCOPES = 30

export function scopeTokens(scope: string | undefined): string[] {
  return (scope ?? "").split(" ").filter(Boolean)
}

/** The tokens of `scope` that are no OAuth scope (empty: all are). */
export function badScopeTokens(scope: string): string[] {
  return scopeTokens(scope).filter((t) => !SCOPE_TOKEN.test(t))
}

/** The scopes of all `lists` (space-separated strings), each once, in order of first mention. */
export function scopeUnion(...lists: Array<string | undefined>): string | undefined {
  const all = [...new Set(lists.flatMap(scopeTokens))]
  return all.length ? all.join(" ") : undefined
}

export interface ScopeChallenge {
  /** The challenge's `scope`: untrusted, from the server. */
  requiredScope?: string
  /** Its `error_description`: untrusted. */
  errorDescription?: string
}

/**
 * The error of a call `server` refused with an `insufficient_scope` challenge. `granted`: the scope
 * of the stored tokens. `whole`: the server refused its `initialize` (nothing works without the
 * scopes): NEEDS_AUTH, so the server waits for the login; else INSUFFICIENT_SCOPE, that call only.
 */
export function insufficientScopeError(server: string, challenge: ScopeChallenge, granted: string | undefined, whole = false): DownstreamError {
  const named = scopeTokens(challenge.requiredScope)
  const asked = named.filter((t) => SCOPE_TOKEN.test(t)).slice(0, MAX_SCOPES)
  const have = new Set(scopeTokens(granted))
  const missing = asked.filter((t) => !have.has(t))
  const extra = missing.length ? missing : asked
  const login = loginCommand(server, extra.length ? extra.join(" ") : undefined)
  const said = challenge.errorDescription ? ` (it says: ${JSON.stringify(cutText(challenge.errorDescription.replace(/[\p{Cc}\p{Cf}]+/gu, " "), 200))})` : ""
  const scopes = asked.length ? `it asks for the scope ${JSON.stringify(asked.join(" "))}${named.length > asked.length ? " (and others it names that are not OAuth scopes)" : ""}` : "it does not say which scope it needs"
  const which = missing.length && missing.length < asked.length ? `; the login lacks ${JSON.stringify(missing.join(" "))}` : ""
  const has = granted ? `; the current login has ${JSON.stringify(granted)}` : ""
  const message = `server ${server} refused ${whole ? "the connection" : "this call"}: the token of its login lacks a scope (insufficient_scope): ${scopes}${which}${has}${said}`
  const after = whole ? "The server cannot be used until then." : "Only this call failed: the server's other tools go on with the current login, which is kept."
  const remedy = asked.length
    ? `To allow it, run \`${login}\` in a terminal: it asks the authorization server for the current login's scopes plus these (with your consent), and the next call uses the new login (no restart needed). ${after}`
    : `Ask the server's operator (or its documentation) which scope this needs, then run \`${loginCommand(server, "SCOPE")}\` in a terminal. ${after}`
  return new DownstreamError(whole ? "NEEDS_AUTH" : "INSUFFICIENT_SCOPE", message, { remedy, details: { server, scope: asked, login } })
}
