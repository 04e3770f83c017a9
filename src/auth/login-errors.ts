/**
 * @module auth/login-errors
 * The SDK's "Incompatible auth server" errors of `auth login`, said with the server, the
 * authorization server and what to do: "does not support dynamic client registration" alone did not
 * say that `auth.clientId` is the way out, nor for which server.
 */
import { ConfigError, errorMessage } from "../core/index.ts"

/** `e` as the login's error: a config error naming the remedy for the SDK's known refusals, else `e`. */
export function explainLoginError(server: string, issuer: string | undefined, redirectUrl: string, e: unknown): unknown {
  const text = errorMessage(e)
  const at = issuer ? `the authorization server ${issuer}` : "the authorization server"
  if (/does not support dynamic client registration/.test(text)) {
    return new ConfigError([`servers.${server}: ${at} does not register clients itself (its metadata has no registration_endpoint) and servers.${server}.auth.clientId is not set`], {
      remedy: `Register a client for ${server} with the provider (redirect URI ${redirectUrl.replace(/:\d+\//, ":PORT/")}, PORT fixed by servers.${server}.auth.redirectPort) and set servers.${server}.auth.clientId to its id (and clientSecret for a confidential client); or set auth.clientMetadataUrl if the provider accepts client metadata documents.`,
    })
  }
  if (/does not support code challenge method S256/.test(text)) {
    return new ConfigError([`servers.${server}: ${at} does not list PKCE S256 in its code_challenge_methods_supported; the login is refused (the MCP authorization spec requires S256: without it the authorization code could be used by whoever intercepts it)`], {
      remedy: `Ask the operator of ${at} to enable PKCE S256; no authorization was started and no code or token was asked for.`,
    })
  }
  return e
}
