/**
 * @module auth/client-check
 * Whether the authorization server still knows a stored dynamic registration, asked before its
 * authorization URL is presented again (a fixed `auth.redirectPort` keeps the stored client's redirect
 * URI, so `auth login` reuses it). A deleted or expired client made the browser show the provider's
 * error page (it cannot redirect to a client it does not know) while the CLI waited out `--timeout`.
 *
 * The question costs one token request and changes nothing: an `authorization_code` grant with a
 * code nobody issued. A server that knows the client answers `invalid_grant`; one that does not,
 * `invalid_client` (RFC 6749 §5.2). Any other answer (or none) is no evidence: the URL is presented.
 */
import { randomBytes } from "node:crypto"
import type { OAuthClientInformationMixed } from "@modelcontextprotocol/client"
import type { Fetch } from "./url-guard.ts"

/** The stored client is unknown to the authorization server: register afresh. */
export class UnknownClientError extends Error {}

/** False only when the token endpoint answers `invalid_client` for `client`. */
export async function clientKnown(tokenEndpoint: string, client: OAuthClientInformationMixed, redirectUri: string, fetchFn: Fetch): Promise<boolean> {
  const info = client as { client_id: string; client_secret?: string; token_endpoint_auth_method?: string }
  const body = new URLSearchParams({ grant_type: "authorization_code", code: randomBytes(24).toString("base64url"), redirect_uri: redirectUri, code_verifier: randomBytes(32).toString("base64url") })
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" }
  const method = info.token_endpoint_auth_method ?? (info.client_secret ? "client_secret_basic" : "none")
  if (info.client_secret && method === "client_secret_basic") headers.authorization = `Basic ${btoa(`${encodeURIComponent(info.client_id)}:${encodeURIComponent(info.client_secret)}`)}`
  else {
    body.set("client_id", info.client_id)
    if (info.client_secret && method === "client_secret_post") body.set("client_secret", info.client_secret)
  }
  try {
    const r = await fetchFn(tokenEndpoint, { method: "POST", headers, body: body.toString() })
    const answer = (await r.json().catch(() => undefined)) as { error?: unknown } | undefined
    return answer?.error !== "invalid_client"
  } catch {
    return true
  }
}
