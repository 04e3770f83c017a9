/**
 * @module auth/revoke
 * RFC 7009 token revocation for `auth logout`: the refresh token (which ends the grant on most
 * servers) and the access token, at the revocation endpoint the authorization server advertises.
 * Servers without one are skipped; the local record is deleted either way. Tokens go only to an
 * https endpoint (or http on this machine), and never follow a redirect.
 */
import { errorMessage, isSecureWebUrl, SECURE_WEB_URL_RULE, shownUrl } from "../core/index.ts"
import type { OAuthRecord } from "./store.ts"

export interface Revocation {
  /** "revoked", "not supported" (no endpoint), "not sent: …" (an insecure endpoint), "failed: …", or "nothing to revoke". */
  outcome: string
}

export async function revokeTokens(rec: OAuthRecord, clientSecret?: string): Promise<Revocation> {
  const endpoint = (rec.discovery?.authorizationServerMetadata as { revocation_endpoint?: string } | undefined)?.revocation_endpoint
  const tokens = [
    ["refresh_token", rec.tokens?.refresh_token],
    ["access_token", rec.tokens?.access_token],
  ].filter((t): t is [string, string] => typeof t[1] === "string")
  if (!tokens.length) return { outcome: "nothing to revoke" }
  if (!endpoint) return { outcome: "not supported by the authorization server" }
  if (!isSecureWebUrl(endpoint)) return { outcome: `not sent: the revocation endpoint ${shownUrl(endpoint)} is not ${SECURE_WEB_URL_RULE}` }
  const clientId = rec.client?.client_id
  const secret = clientSecret ?? rec.client?.client_secret
  try {
    for (const [hint, token] of tokens) {
      const body = new URLSearchParams({ token, token_type_hint: hint })
      const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" }
      if (clientId && secret) headers.authorization = `Basic ${btoa(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`)}`
      else if (clientId) body.set("client_id", clientId)
      const res = await fetch(endpoint, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(15_000) })
      await res.body?.cancel().catch(() => {})
      // RFC 7009: 200 also for tokens that were already invalid
      if (!res.ok) return { outcome: `failed: the revocation endpoint answered HTTP ${res.status}` }
    }
    return { outcome: "revoked" }
  } catch (e) {
    return { outcome: `failed: ${errorMessage(e)}` }
  }
}
