/**
 * @module auth/status
 * What `auth status` shows per server (never token text): logged in or not, expiry, scopes,
 * authorization server, whether a refresh token is held.
 */
import { issuerOfRecord } from "./issuer.ts"
import type { AuthSettings } from "./settings.ts"
import { checkIssuer } from "./status-issuer.ts"
import { refusedAfterRefresh, type TokenStore } from "./store.ts"

export interface AuthStatusRow {
  server: string
  url: string
  loggedIn: boolean
  /** ISO time the access token expires, when known. */
  expiresAt?: string
  expired?: boolean
  scopes?: string[]
  /** The authorization server that issued the login. */
  issuer?: string
  /** The authorization server the server's metadata names now (`withIssuerCheck`). */
  metadataIssuer?: string
  /** The metadata names another one than `issuer`: serve will not use this login (auth/issuer). */
  issuerChanged?: boolean
  /** Why the metadata was not compared (unreachable, insecure, no authorization server named). */
  issuerUnchecked?: string
  resource?: string
  refreshable?: boolean
  /**
   * The authorization server's metadata does not list `code_challenge_methods_supported`: the login
   * used PKCE S256 without its confirmation (see `pkceUnlisted`).
   */
  pkceUnlisted?: boolean
  /**
   * The server refused the access token a refresh had just obtained (auth/provider `refusedFresh`):
   * serve does not refresh it again; `auth login` is the way on.
   */
  refusedAfterRefresh?: boolean
  /** Why not logged in, when a record exists but is unusable. */
  note?: string
}

export function authStatus(store: TokenStore, server: string, url: string, now = Date.now()): AuthStatusRow {
  const any = store.read(server)
  const rec = store.read(server, url)
  if (!rec) {
    const note = any ? `tokens on file were obtained for ${any.url}, not this url` : store.problemOf(server)
    return { server, url, loggedIn: false, ...(note ? { note } : {}) }
  }
  const t = rec.tokens
  const issuer = issuerOfRecord(rec)
  if (!t) return { server, url, loggedIn: false, ...(issuer ? { issuer } : {}) }
  return {
    server,
    url,
    loggedIn: true,
    ...(rec.expiresAt !== undefined ? { expiresAt: new Date(rec.expiresAt).toISOString(), expired: rec.expiresAt <= now } : {}),
    ...(t.scope ? { scopes: t.scope.split(/\s+/).filter(Boolean) } : {}),
    ...(issuer ? { issuer } : {}),
    ...(rec.resource ? { resource: rec.resource } : {}),
    refreshable: !!t.refresh_token,
    ...(pkceUnlisted(rec.discovery?.authorizationServerMetadata) ? { pkceUnlisted: true } : {}),
    ...(refusedAfterRefresh(rec) ? { refusedAfterRefresh: true } : {}),
  }
}

/**
 * Metadata without `code_challenge_methods_supported`. The MCP authorization spec says to refuse
 * such an authorization server; the login goes on with S256 instead, as the SDK does: many real
 * providers leave the field out while supporting S256 (OAuth 2.1 requires it of them), and one
 * that does not support it refuses the authorization request, so nothing is weakened — the code
 * is still bound to the verifier or not issued. It is said on the login's status line (auth login
 * prints it, and auth status), where a refused login is then understood. A metadata document that
 * lists the methods without S256 is still refused (auth/login-errors).
 */
function pkceUnlisted(metadata: { code_challenge_methods_supported?: unknown } | undefined): boolean {
  return metadata !== undefined && metadata.code_challenge_methods_supported === undefined
}

/**
 * The row of a login, with whether the server's metadata still names its issuer (read without
 * sending any token or secret: auth/status-issuer).
 */
export async function authStatusChecked(store: TokenStore, server: string, url: string, settings: AuthSettings, now = Date.now()): Promise<AuthStatusRow> {
  const row = authStatus(store, server, url, now)
  if (!row.loggedIn) return row
  const check = await checkIssuer(server, url, settings, store.read(server, url))
  if (!check) return row
  if ("unchecked" in check) return { ...row, issuerUnchecked: check.unchecked }
  return { ...row, metadataIssuer: check.metadataIssuer, issuerChanged: check.changed }
}
