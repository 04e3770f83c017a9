/**
 * @module auth/status
 * What `auth status` shows per server (never token text): logged in or not, expiry, scopes,
 * authorization server, whether a refresh token is held.
 */
import type { TokenStore } from "./store.ts"

export interface AuthStatusRow {
  server: string
  url: string
  loggedIn: boolean
  /** ISO time the access token expires, when known. */
  expiresAt?: string
  expired?: boolean
  scopes?: string[]
  issuer?: string
  resource?: string
  refreshable?: boolean
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
  if (!t) return { server, url, loggedIn: false, ...(rec.issuer ? { issuer: rec.issuer } : {}) }
  return {
    server,
    url,
    loggedIn: true,
    ...(rec.expiresAt !== undefined ? { expiresAt: new Date(rec.expiresAt).toISOString(), expired: rec.expiresAt <= now } : {}),
    ...(t.scope ? { scopes: t.scope.split(/\s+/).filter(Boolean) } : {}),
    ...(rec.issuer ? { issuer: rec.issuer } : {}),
    ...(rec.resource ? { resource: rec.resource } : {}),
    refreshable: !!t.refresh_token,
  }
}
