/**
 * @module auth/status-issuer
 * `auth status`: does the server's metadata still name the authorization server that issued the
 * stored login? Read as serve would before a refresh (the 401 challenge of an unauthenticated
 * `initialize`, else the metadata URL stored at login, else the well-known one), through the same
 * URL guard and with a short deadline; no token, client or secret is sent anywhere. A login whose
 * issuer no longer matches is refused by serve (auth/issuer): status says so before a call does.
 */
import { discoverOAuthProtectedResourceMetadata } from "@modelcontextprotocol/client"
import { errorMessage } from "../core/index.ts"
import { timed } from "./flow-fetch.ts"
import { issuerOfDiscovery, issuerOfRecord, sameIssuer } from "./issuer.ts"
import { probe } from "./login.ts"
import type { AuthSettings } from "./settings.ts"
import type { OAuthRecord } from "./store.ts"
import { OAuthUrlGuard } from "./url-guard.ts"

/** Each request of the check waits this long at most (status lists every server). */
const STATUS_REQUEST_TIMEOUT_MS = 5_000

export type IssuerCheck = { metadataIssuer: string; changed: boolean } | { unchecked: string }

/** What the server's metadata names now, against the record's issuer (undefined: nothing to check). */
export async function checkIssuer(server: string, url: string, settings: AuthSettings, rec: OAuthRecord | undefined): Promise<IssuerCheck | undefined> {
  if (!rec?.tokens) return undefined
  const own = issuerOfRecord(rec)
  const guard = new OAuthUrlGuard(server, { serverUrl: url, ...(settings.allowPrivateAuthServers ? { allowPrivate: true } : {}) })
  const fetchFn = timed(guard.fetch(), STATUS_REQUEST_TIMEOUT_MS)
  try {
    guard.checkConfigured(url)
    const challenge = await probe(url, fetchFn)
    const stored = rec.discovery?.resourceMetadataUrl
    const at = challenge.resourceMetadataUrl ?? (stored ? new URL(stored) : undefined)
    if (at) guard.check("resource_metadata", at.href, `the WWW-Authenticate challenge of ${url}`)
    const prm = await discoverOAuthProtectedResourceMetadata(url, at ? { resourceMetadataUrl: at } : {}, fetchFn)
    const named = prm.authorization_servers?.[0]
    if (!named) return { unchecked: "the server's metadata names no authorization server" }
    // the login's issuer, or the URL the server named for it when it was discovered (an issuer may
    // differ from that URL in its spelling)
    const found = rec.discovery?.authorizationServerUrl
    const same = own !== undefined && (sameIssuer(own, named) || (found !== undefined && sameIssuer(found, named) && issuerOfDiscovery(rec.discovery) === own))
    return { metadataIssuer: named, changed: !same }
  } catch (e) {
    return { unchecked: `the server's metadata could not be read (${guard.violation ? guard.violation.message : errorMessage(e)})` }
  }
}
