/**
 * @module auth/serve
 * OAuth for a remote downstream while serving. The SDK transport (authProvider) attaches the
 * stored access token and, on a 401, runs `auth()` once: refresh with the `resource` parameter,
 * or, when there is nothing to refresh with (`invalid_grant` deletes the dead tokens), stops with
 * UnauthorizedError. This module adds what the transport does not do: refresh shortly BEFORE the
 * access token expires, and turning any failure of the auth flow into one NEEDS_AUTH error whose
 * remedy is the exact `auth login` command (the session then waits in state `needs-auth` instead
 * of restarting in a loop).
 */
import { auth, UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js"
import { DownstreamError, errorMessage } from "../core/index.ts"
import { createProvider, type StoredOAuthProvider } from "./provider.ts"
import type { AuthSettings } from "./settings.ts"
import type { TokenStore } from "./store.ts"

/** Refresh this long before expiry at most (less for short-lived tokens: half their lifetime). */
const REFRESH_AHEAD_MS = 60_000

export interface ServeAuth {
  readonly provider: StoredOAuthProvider
  /** Refreshes an access token that is about to expire (one refresh at a time). Never throws. */
  beforeRequest(): Promise<void>
  /** A request failed: NEEDS_AUTH when the auth flow ran since `runsBefore` (or said so), else undefined. */
  classify(e: unknown, runsBefore: number): DownstreamError | undefined
}

export function loginCommand(server: string): string {
  return `mcp-orchestrator auth login ${server}`
}

export function needsAuthError(server: string, why: string): DownstreamError {
  return new DownstreamError("NEEDS_AUTH", `server ${server} needs authorization: ${why}`, {
    remedy: `Run \`${loginCommand(server)}\` in a terminal, then retry (no restart needed).`,
    details: { server, login: loginCommand(server) },
  })
}

export function serveAuth(server: string, url: string, settings: AuthSettings, store: TokenStore): ServeAuth {
  const provider = createProvider({ server, url, store, settings, mode: "serve" })
  let refreshing: Promise<void> | undefined

  const due = (): boolean => {
    const left = provider.expiresInMs()
    if (left === undefined || !provider.hasRefreshToken()) return false
    const rec = provider.record()
    const lifetime = rec?.expiresAt !== undefined && rec.savedAt ? rec.expiresAt - Date.parse(rec.savedAt) : REFRESH_AHEAD_MS * 2
    return left <= Math.min(REFRESH_AHEAD_MS, Math.max(0, lifetime / 2))
  }

  return {
    provider,
    beforeRequest(): Promise<void> {
      if (refreshing) return refreshing
      if (!due()) return Promise.resolve()
      const discovery = provider.discoveryState()
      refreshing = auth(provider, { serverUrl: url, ...(discovery?.resourceMetadataUrl ? { resourceMetadataUrl: new URL(discovery.resourceMetadataUrl) } : {}) })
        .then(
          () => {},
          () => {}, // the request goes out anyway; a 401 then takes the transport's path
        )
        .finally(() => {
          refreshing = undefined
        })
      return refreshing
    },
    classify(e: unknown, runsBefore: number): DownstreamError | undefined {
      if (e instanceof DownstreamError && e.code === "NEEDS_AUTH") return e
      const ran = provider.authRuns > runsBefore
      if (!(e instanceof UnauthorizedError) && !ran && !/\b401\b/.test(errorMessage(e))) return undefined
      if (!provider.tokens()) return needsAuthError(server, provider.record()?.client ? "not logged in, or the login ended (refused or revoked) and could not be refreshed" : `not logged in (no tokens stored for ${url})`)
      return needsAuthError(server, `the server refused the token and refreshing it failed (${errorMessage(e)})`)
    },
  }
}
