/**
 * @module auth/revoke
 * RFC 7009 token revocation for `auth logout`: the refresh token (which ends the grant on most
 * servers) and the access token, at the revocation endpoint the authorization server advertises.
 * Servers without one are skipped; the local record is deleted either way. Tokens go only to an
 * https endpoint (or http on this machine), never follow a redirect, and go through the same
 * `OAuthUrlGuard` address policy as the login (auth/url-guard): the endpoint came from the
 * authorization server's metadata, so for a server on a public host it may not lead to this
 * machine, a private network or link-local addresses (its host name resolved and checked). Nor do
 * they go to the endpoint of a stored discovery of another authorization server than the one that
 * issued them (their `issuer` stamp, auth/issuer): a record an older version let another server's
 * discovery replace.
 */
import { buildDiscoveryUrls } from "@modelcontextprotocol/client"
import { errorMessage, isSecureWebUrl, OrchestratorError, SECURE_WEB_URL_RULE, shownUrl } from "../core/index.ts"
import type { OAuthRecord } from "./store.ts"
import { issuerOfDiscovery, sameIssuer } from "./issuer.ts"
import { AUTH_REQUEST_TIMEOUT_MS } from "./flow-fetch.ts"
import { issuerSlashFetch } from "./issuer-slash.ts"
import { OAuthUrlGuard, type Fetch, type Resolve } from "./url-guard.ts"

export interface RevokeOptions {
  /** `servers.<name>.auth.clientSecret` (else the registered client's secret). */
  clientSecret?: string
  /** The server's configured url (else the url stored at login): decides where the endpoint may lead. */
  serverUrl?: string
  /** `servers.<name>.auth.allowPrivateAuthServers`. */
  allowPrivate?: boolean
  /** Name resolution for the address check (default: the system's). */
  resolve?: Resolve
  /** The fetch under the guard (default: global fetch). */
  fetch?: Fetch
}

/**
 * The revocation endpoint of the authorization server that issued the login: the stored metadata's,
 * else its metadata read again (the same discovery URLs as the login, through `fetchFn`). The MCP
 * SDK keeps only the OpenID fields of metadata found by OpenID discovery, `revocation_endpoint` not
 * among them: a login at a provider found that way (the usual one for issuers with a path, and
 * OpenID-only providers) was never revoked ("not supported by the authorization server"). Only a
 * document whose `issuer` is the stored discovery's counts; the first one found decides.
 */
async function revocationEndpointOf(rec: OAuthRecord, fetchFn: Fetch): Promise<string | undefined> {
  const stored = (rec.discovery?.authorizationServerMetadata as { revocation_endpoint?: unknown } | undefined)?.revocation_endpoint
  if (typeof stored === "string") return stored
  const at = rec.discovery?.authorizationServerUrl
  const issuer = issuerOfDiscovery(rec.discovery)
  if (!at || issuer === undefined) return undefined
  for (const { url } of buildDiscoveryUrls(at)) {
    const res = await fetchFn(url, { headers: { accept: "application/json" }, redirect: "manual", signal: AbortSignal.timeout(AUTH_REQUEST_TIMEOUT_MS) })
    if (!res.ok) {
      await res.body?.cancel().catch(() => {})
      continue
    }
    const doc = (await res.json().catch(() => undefined)) as { issuer?: unknown; revocation_endpoint?: unknown } | undefined
    if (typeof doc?.issuer !== "string" || !sameIssuer(doc.issuer, issuer)) return undefined
    return typeof doc.revocation_endpoint === "string" ? doc.revocation_endpoint : undefined
  }
  return undefined
}

export interface Revocation {
  /** "revoked", "not supported" (no endpoint), "not sent: …" (an insecure endpoint), "failed: …", or "nothing to revoke". */
  outcome: string
}

export async function revokeTokens(rec: OAuthRecord, o: RevokeOptions = {}): Promise<Revocation> {
  const tokens = [
    ["refresh_token", rec.tokens?.refresh_token],
    ["access_token", rec.tokens?.access_token],
  ].filter((t): t is [string, string] => typeof t[1] === "string")
  if (!tokens.length) return { outcome: "nothing to revoke" }
  const issuer = (rec.tokens as { issuer?: unknown } | undefined)?.issuer
  const named = issuerOfDiscovery(rec.discovery)
  if (typeof issuer === "string" && named !== undefined && !sameIssuer(issuer, named)) {
    return { outcome: `not sent: the stored revocation endpoint belongs to ${shownUrl(named)}, and the tokens were issued by ${shownUrl(issuer)}` }
  }
  const guard = new OAuthUrlGuard(rec.server, {
    serverUrl: o.serverUrl ?? rec.url,
    ...(o.allowPrivate === true ? { allowPrivate: true } : {}),
    ...(o.resolve ? { resolve: o.resolve } : {}),
  })
  let endpoint: string | undefined
  try {
    endpoint = await revocationEndpointOf(rec, issuerSlashFetch(guard.fetch(o.fetch)))
  } catch (e) {
    if (e instanceof OrchestratorError) return { outcome: `not sent: ${e.message}` }
    return { outcome: `failed: the authorization server's metadata could not be read (${errorMessage(e)})` }
  }
  if (!endpoint) return { outcome: "not supported by the authorization server" }
  if (!isSecureWebUrl(endpoint)) return { outcome: `not sent: the revocation endpoint ${shownUrl(endpoint)} is not ${SECURE_WEB_URL_RULE}` }
  try {
    await guard.reach(guard.check("revocation_endpoint", endpoint, "the authorization server metadata stored at login"), "revocation_endpoint", "the authorization server metadata stored at login")
  } catch (e) {
    if (e instanceof OrchestratorError) return { outcome: `not sent: ${e.message}` }
    throw e
  }
  const post = guard.fetch(o.fetch)
  const clientId = rec.client?.client_id
  const secret = o.clientSecret ?? rec.client?.client_secret
  try {
    for (const [hint, token] of tokens) {
      const body = new URLSearchParams({ token, token_type_hint: hint })
      const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" }
      if (clientId && secret) headers.authorization = `Basic ${btoa(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`)}`
      else if (clientId) body.set("client_id", clientId)
      const res = await post(endpoint, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(AUTH_REQUEST_TIMEOUT_MS) })
      await res.body?.cancel().catch(() => {})
      // RFC 7009: 200 also for tokens that were already invalid
      if (!res.ok) return { outcome: `failed: the revocation endpoint answered HTTP ${res.status}` }
    }
    return { outcome: "revoked" }
  } catch (e) {
    return { outcome: `failed: ${errorMessage(e)}` }
  }
}
