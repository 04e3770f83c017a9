/**
 * @module auth/settings
 * A server's `auth` config (ours or Cursor's spelling) in one normalised shape.
 */
import type { OAuthSettings } from "../config/index.ts"

export interface AuthSettings {
  clientId?: string
  clientSecret?: string
  /** Space-separated, as OAuth sends it. */
  scope?: string
  redirectPort?: number
  clientMetadataUrl?: string
  /** A public server's OAuth may lead to loopback or private-network addresses (auth/url-guard). */
  allowPrivateAuthServers?: boolean
}

export function authSettings(a: OAuthSettings | undefined): AuthSettings {
  if (!a) return {}
  const clientId = a.clientId ?? a.CLIENT_ID
  const clientSecret = a.clientSecret ?? a.CLIENT_SECRET
  const scope = Array.isArray(a.scopes) ? a.scopes.join(" ") : a.scopes?.trim()
  return {
    ...(clientId ? { clientId } : {}),
    ...(clientSecret ? { clientSecret } : {}),
    ...(scope ? { scope } : {}),
    ...(a.redirectPort !== undefined ? { redirectPort: a.redirectPort } : {}),
    ...(a.clientMetadataUrl ? { clientMetadataUrl: a.clientMetadataUrl } : {}),
    ...(a.allowPrivateAuthServers === true ? { allowPrivateAuthServers: true } : {}),
  }
}
