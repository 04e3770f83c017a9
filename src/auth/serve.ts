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
import { auth, UnauthorizedError } from "@modelcontextprotocol/client"
import { configFlag, DownstreamError, errorMessage } from "../core/index.ts"
import { createProvider, type StoredOAuthProvider } from "./provider.ts"
import type { AuthSettings } from "./settings.ts"
import type { TokenStore } from "./store.ts"
import { OAuthUrlGuard } from "./url-guard.ts"

/** Refresh this long before expiry at most (less for short-lived tokens: half their lifetime). */
const REFRESH_AHEAD_MS = 60_000

export interface ServeAuth {
  readonly provider: StoredOAuthProvider
  /** The fetch the transport (and any refresh) uses: refresh tokens are presented once. */
  readonly fetch: Fetch
  /** Refreshes an access token that is about to expire (one refresh at a time). Never throws. */
  beforeRequest(): Promise<void>
  /** A request failed: NEEDS_AUTH when the auth flow ran since `runsBefore` (or said so), else undefined. */
  classify(e: unknown, runsBefore: number): DownstreamError | undefined
}

type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>

interface Answer {
  at: number
  answer: Promise<{ status: number; headers: [string, string][]; body: string }>
}

/** How long a spent refresh token's answer is remembered. */
const SPENT_MEMORY_MS = 60_000
/** A refresh token issued this recently is not refreshed again: its issuing answer is reused. */
const JUST_ISSUED_MS = 5_000

/**
 * fetch for the token endpoint that never presents a refresh token twice. Authorization servers
 * rotate refresh tokens (always, for public clients) and treat a replayed one as theft, revoking
 * the whole grant; concurrent calls that all meet a 401 would each refresh with the same token.
 * So: one request per refresh token, its answer shared with every caller presenting that token,
 * and a caller still holding the token that answer just replaced (it read the tokens before the
 * save) gets the same answer instead of a second refresh.
 */
export function refreshOnceFetch(base: Fetch = fetch): Fetch {
  const spent = new Map<string, Answer>()
  const issued = new Map<string, Answer>()
  return async (url, init) => {
    const rt = refreshTokenOf(init)
    if (rt === undefined) return base(url, init)
    const now = Date.now()
    for (const [k, v] of spent) if (now - v.at > SPENT_MEMORY_MS) spent.delete(k)
    for (const [k, v] of issued) if (now - v.at > JUST_ISSUED_MS) issued.delete(k)
    let entry = spent.get(rt) ?? issued.get(rt)
    if (!entry) {
      const fresh: Answer = {
        at: now,
        answer: base(url, init).then(async (r) => ({ status: r.status, headers: [...r.headers], body: await r.text() })),
      }
      entry = fresh
      spent.set(rt, fresh)
      fresh.answer.then(
        (a) => {
          const next = a.status === 200 ? (JSON.parse(a.body) as { refresh_token?: unknown }).refresh_token : undefined
          if (typeof next === "string" && next !== rt) issued.set(next, { ...fresh, at: Date.now() })
        },
        () => spent.delete(rt), // not answered: may be tried again
      )
    }
    const a = await entry.answer
    return new Response(a.body, { status: a.status, headers: a.headers })
  }
}

function refreshTokenOf(init: RequestInit | undefined): string | undefined {
  if ((init?.method ?? "GET").toUpperCase() !== "POST") return undefined
  const body = init?.body
  const params = body instanceof URLSearchParams ? body : typeof body === "string" ? new URLSearchParams(body) : undefined
  if (params?.get("grant_type") !== "refresh_token") return undefined
  return params.get("refresh_token") ?? undefined
}

export function loginCommand(server: string): string {
  return `mcp-orchestrator auth login ${server}${configFlag()}`
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
  const fetchFn = refreshOnceFetch()

  const due = (): boolean => {
    const left = provider.expiresInMs()
    if (left === undefined || !provider.hasRefreshToken()) return false
    const rec = provider.record()
    const lifetime = rec?.expiresAt !== undefined && rec.savedAt ? rec.expiresAt - Date.parse(rec.savedAt) : REFRESH_AHEAD_MS * 2
    return left <= Math.min(REFRESH_AHEAD_MS, Math.max(0, lifetime / 2))
  }

  return {
    provider,
    fetch: fetchFn,
    beforeRequest(): Promise<void> {
      if (refreshing) return refreshing
      if (!due()) return Promise.resolve()
      const discovery = provider.discoveryState()
      // the stored discovery passed the login's checks; anything fetched afresh is checked again
      refreshing = auth(provider, { serverUrl: url, fetchFn: new OAuthUrlGuard(server).fetch(fetchFn), ...(discovery?.resourceMetadataUrl ? { resourceMetadataUrl: new URL(discovery.resourceMetadataUrl) } : {}) })
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
