/**
 * @module auth/serve
 * OAuth for a remote downstream while serving. The SDK transport (authProvider) attaches the
 * stored access token and, on a 401, runs `auth()` once: refresh with the `resource` parameter,
 * or, when there is nothing to refresh with (`invalid_grant` deletes the dead tokens), stops with
 * UnauthorizedError. This module adds what the transport does not do: refresh shortly BEFORE the
 * access token expires, and turning any failure of the auth flow into one NEEDS_AUTH error whose
 * remedy is the exact `auth login` command (the session then waits in state `needs-auth` instead
 * of restarting in a loop). A 401 from the server makes the auth flow that follows read its metadata
 * afresh (`provider.rediscover`): a server that moved to another authorization server then answers
 * NEEDS_AUTH naming the change (auth/issuer), never a refresh at either one.
 */
import { auth, InsufficientScopeError, UnauthorizedError, type OAuthTokens } from "@modelcontextprotocol/client"
import { DownstreamError, errorMessage, type Logger } from "../core/index.ts"
import { needsAuthError } from "./needs-auth.ts"
import { createProvider, type StoredOAuthProvider } from "./provider.ts"
import type { AuthSettings } from "./settings.ts"
import type { TokenStore } from "./store.ts"
import { flowFetch, formOf } from "./flow-fetch.ts"
import { issuerSlashFetch } from "./issuer-slash.ts"
import { RefreshLock } from "./refresh-lock.ts"
import { holdRefresh, holdUnreachable, loginKey, reachedAgain, refreshHeldUntil, unreachableHold, unreachableUntil } from "./refresh-hold.ts"
import { heldRecord } from "./unsaved.ts"
import { insufficientScopeError } from "./scope.ts"
import { OAuthUrlGuard } from "./url-guard.ts"

/** Refresh this long before expiry at most (less for short-lived tokens: half their lifetime). */
const REFRESH_AHEAD_MS = 60_000
/** A refresh ahead of expiry never follows the last save of the tokens, nor an attempt, sooner than this. */
export const MIN_REFRESH_INTERVAL_MS = 1_000
/** A refresh ahead of expiry that failed (the authorization server unreachable) is tried again this late at the earliest. */
export const FAILED_REFRESH_RETRY_MS = 30_000
/** How the error of a request to the authorization server that was held off says so (auth/refresh-hold `holdUnreachable`). */
const HELD_WORDS = "not asked again before"

export interface ServeAuth {
  readonly provider: StoredOAuthProvider
  /** The fetch the transport (and any refresh) uses: refresh tokens are presented once. */
  readonly fetch: Fetch
  /** Refreshes an access token that is about to expire (one refresh at a time). Never throws. */
  beforeRequest(): Promise<void>
  /**
   * A request failed: NEEDS_AUTH when the auth flow ran since `runsBefore` (or said so);
   * INSUFFICIENT_SCOPE for a scope challenge (auth/scope; NEEDS_AUTH when `whole`: the server
   * refused its `initialize`); else undefined.
   */
  classify(e: unknown, runsBefore: number, whole?: boolean): DownstreamError | undefined
}

type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>

interface TokenAnswer {
  status: number
  headers: [string, string][]
  body: string
}

interface Answer {
  at: number
  answer: Promise<TokenAnswer>
}

/** What other processes refreshing the same login share (auth/refresh-lock). */
export interface SharedRefresh {
  lock: RefreshLock
  /** The tokens stored now, read afresh from the store (another process may have refreshed them). */
  stored(): { tokens: OAuthTokens; expiresAt?: number } | undefined
}

/**
 * Presents `rt` under the lock shared with the other processes using this login: when the tokens
 * stored meanwhile carry another refresh token (another process refreshed while this one waited, or
 * since it read them), they are the answer and `rt` is not presented (it is spent: presenting it
 * again would look like theft). A 200 answer keeps the lock until its tokens are stored.
 */
async function acrossProcesses(shared: SharedRefresh, rt: string, send: () => Promise<TokenAnswer>): Promise<TokenAnswer> {
  const release = await shared.lock.acquire()
  let hold = false
  try {
    const now = shared.stored()
    // logged out meanwhile (`auth logout` deletes under this lock): the refresh is not made, so no
    // tokens come back to be stored after the logout (nor escape its revocation)
    if (!now) return loggedOutAnswer()
    const next = now.tokens.refresh_token
    if (typeof next === "string" && next !== rt) return storedAnswer(now.tokens, now.expiresAt)
    const a = await send()
    // tokens will be stored: the lock is kept until then (an answer without a token stores nothing)
    hold = a.status === 200 && typeof parseTokenAnswer(a.body)?.access_token === "string"
    return a
  } finally {
    if (hold) shared.lock.holdUntilStored(release)
    else release()
  }
}

/** The answer to a refresh of a login that is gone: the grant is over (the SDK drops the tokens it holds). */
function loggedOutAnswer(): TokenAnswer {
  const body = { error: "invalid_grant", error_description: "the login was removed meanwhile (auth logout)" }
  return { status: 400, headers: [["content-type", "application/json"]], body: JSON.stringify(body) }
}

/** The token endpoint's answer another process got, as stored: its tokens with the lifetime left. */
function storedAnswer(tokens: OAuthTokens, expiresAt: number | undefined): TokenAnswer {
  const { issuer: _issuer, expires_in: _expiresIn, ...rest } = tokens as OAuthTokens & { issuer?: unknown }
  const body = { ...rest, ...(expiresAt !== undefined ? { expires_in: Math.max(1, Math.floor((expiresAt - Date.now()) / 1000)) } : {}) }
  return { status: 200, headers: [["content-type", "application/json"]], body: JSON.stringify(body) }
}

/** How long a spent refresh token's answer is remembered. */
const SPENT_MEMORY_MS = 60_000
/**
 * A refresh token issued this recently is not refreshed again: its issuing answer is reused. Never
 * longer than half the lifetime of the access token that answer gave: reused past that, an access
 * token that has expired meanwhile would be saved again as fresh, refused (401), and the refresh on
 * that 401 given the same dead token.
 */
const JUST_ISSUED_MS = 5_000

/**
 * fetch for the token endpoint that never presents a refresh token twice (`shared`: nor do other
 * processes using the same login, see `acrossProcesses`). Authorization servers
 * rotate refresh tokens (always, for public clients) and treat a replayed one as theft, revoking
 * the whole grant; concurrent calls that all meet a 401 would each refresh with the same token.
 * So: one request per refresh token, its answer shared with every caller presenting that token,
 * and a caller still holding the token that answer just replaced (it read the tokens before the
 * save) gets the same answer instead of a second refresh.
 *
 * A refresh token the answer did not replace (no `refresh_token` in it, or the same one: an
 * authorization server that does not rotate them) is not spent: once answered, the next refresh
 * presents it again. Remembered as spent, the refresh on the server's next 401 within a minute was
 * given the same, refused, access token back ("401 after re-authentication"), and a refresh ahead
 * of expiry an access token already used up, saved as new.
 */
export function refreshOnceFetch(base: Fetch = fetch, shared?: SharedRefresh): Fetch {
  const spent = new Map<string, Answer>()
  /** By refresh token just issued: the answer that issued it, reused until `until` (Date.now()). */
  const issued = new Map<string, Answer & { until: number }>()
  return async (url, init) => {
    const rt = refreshTokenOf(init)
    if (rt === undefined) return base(url, init)
    const now = Date.now()
    for (const [k, v] of spent) if (now - v.at > SPENT_MEMORY_MS) spent.delete(k)
    for (const [k, v] of issued) if (now > v.until) issued.delete(k)
    let entry = spent.get(rt) ?? issued.get(rt)
    if (!entry) {
      const send = (): Promise<TokenAnswer> => base(url, init).then(async (r) => ({ status: r.status, headers: [...r.headers], body: await r.text() }))
      const fresh: Answer = { at: now, answer: shared ? acrossProcesses(shared, rt, send) : send() }
      entry = fresh
      spent.set(rt, fresh)
      fresh.answer.then(
        (a) => {
          const body = a.status === 200 ? parseTokenAnswer(a.body) : undefined
          const next = body?.refresh_token
          // a number or its string ("3600"), as the SDK reads it
          const life = Number(body?.expires_in)
          const reuseMs = life >= 1 ? Math.min(JUST_ISSUED_MS, (life * 1000) / 2) : JUST_ISSUED_MS
          if (typeof next === "string" && next !== rt) issued.set(next, { ...fresh, until: Date.now() + reuseMs })
          // not rotated: the token is not spent (an answer that was no token keeps it spent: the
          // SDK drops the tokens of a refused grant, and an error is not asked again at once)
          else if (body && typeof body.access_token === "string" && spent.get(rt) === fresh) spent.delete(rt)
        },
        () => spent.delete(rt), // not answered: may be tried again
      )
    }
    const a = await entry.answer
    return new Response(a.body, { status: a.status, headers: a.headers })
  }
}

/** A token endpoint's JSON answer (undefined when it is not one: the SDK reports that). */
function parseTokenAnswer(body: string): { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown } | undefined {
  try {
    const v: unknown = JSON.parse(body)
    return v !== null && typeof v === "object" ? (v as { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown }) : undefined
  } catch {
    return undefined
  }
}

function refreshTokenOf(init: RequestInit | undefined): string | undefined {
  const params = formOf(init)
  if (params?.get("grant_type") !== "refresh_token") return undefined
  return params.get("refresh_token") ?? undefined
}

/**
 * `log`: where a token endpoint giving no lifetime is told (auth/provider `saveTokens`).
 *
 * Refresh ahead of expiry: when less than a minute (or half the tokens' lifetime) is left, and never
 * sooner than MIN_REFRESH_INTERVAL_MS after the tokens were saved or last tried (FAILED_REFRESH_RETRY_MS
 * after a failed try). Tokens saved with `expires_in: 0` used to be due at once, after every save:
 * every request refreshed them and rewrote the token file (see `saveTokens`, which now keeps such
 * tokens without an expiry).
 */
export function serveAuth(server: string, url: string, settings: AuthSettings, store: TokenStore, log?: Logger): ServeAuth {
  // one refresh at a time with the other processes using this login (other editor windows)
  const lock = new RefreshLock(store.lockPathOf(server))
  // the auth flow's requests under a deadline, a failed refresh's reason kept for the error
  const flow = flowFetch(url)
  const saved = (): void => {
    lock.stored()
    flow.succeeded()
  }
  const provider = createProvider({ server, url, store, settings, mode: "serve", onTokensSaved: saved, ...(log ? { log } : {}) })
  let refreshing: Promise<void> | undefined
  /**
   * Date.now() before which no refresh ahead of expiry is tried (set by each try): per login, not per
   * connect attempt (auth/refresh-hold), so a reconnect does not refresh again a login whose refresh
   * just failed.
   */
  const login = (): string | undefined => loginKey(server, provider.record())
  /**
   * A refresh ahead of an expired token that the authorization server failed (no answer, not
   * reachable): the request that follows meets a 401, and its refresh would wait for the same
   * authorization server again (a call that cannot be answered took two deadlines, 30 s, instead
   * of one). That one refresh is answered with this failure at once; later ones are made.
   */
  let failedAhead: { until: number } | undefined
  const skipping: Fetch = (u, init) => {
    if (failedAhead && Date.now() < failedAhead.until && refreshTokenOf(init) !== undefined) {
      failedAhead = undefined
      return Promise.reject(new Error(flow.lastFailure() ?? "the refresh ahead of expiry failed just now"))
    }
    // the authorization server could not be reached just now (auth/refresh-hold): its requests
    // (the refresh, its metadata) fail at once instead of each call waiting for it again
    const toAs = refreshTokenOf(init) !== undefined || !sameOrigin(u, origin)
    if (toAs && unreachableUntil(login()) !== 0) {
      heldBack = true
      return Promise.reject(new Error(heldWords()))
    }
    if (!toAs) return flow.fetch(u, init)
    const key = login()
    return flow.fetch(u, init).then(
      (r) => ((heldBack = false), reachedAgain(key), r),
      (e: unknown) => {
        if (flow.unreachable()) holdUnreachable(key, flow.lastFailure() ?? errorMessage(e))
        throw e
      },
    )
  }
  /** A request to the authorization server was failed by that hold-off: the error it made is a needs-auth one (`classify`). */
  let heldBack = false
  /** Why a request to the authorization server was not made: the last failure, and when it is asked again. */
  const heldWords = (): string => {
    const hold = unreachableHold(login())
    const until = hold?.until ?? 0
    const why = flow.lastFailure() ?? hold?.why ?? "the authorization server could not be reached just now"
    if (until === 0) return `${why}; the next call asks it again`
    return `${why}; ${HELD_WORDS} ${new Date(until).toTimeString().slice(0, 8)} (in ${Math.max(1, Math.ceil((until - Date.now()) / 1000))} s), so calls meanwhile do not each wait for it`
  }
  const fetchFn = refreshOnceFetch(skipping, {
    lock,
    stored: () => {
      // the file's, or what this process holds when the file could not take its last refresh (auth/unsaved)
      const rec = heldRecord(store, server, url) ?? store.read(server, url)
      return rec?.tokens ? { tokens: rec.tokens, ...(rec.expiresAt !== undefined ? { expiresAt: rec.expiresAt } : {}) } : undefined
    },
  })
  // issuers spelled with a trailing slash (auth/issuer-slash): outside the guard, which checks the
  // documents as the servers wrote them
  const guarded = (): Fetch => issuerSlashFetch(guard().fetch(fetchFn))
  const guard = (): OAuthUrlGuard => new OAuthUrlGuard(server, { serverUrl: url, ...(settings.allowPrivateAuthServers ? { allowPrivate: true } : {}) })
  const origin = new URL(url).origin
  const endpoint = new URL(url)
  const refused = (r: Response, u: string | URL): Response => {
    if (r.status !== 401 || !sameEndpoint(u, endpoint)) return r
    // a scope challenge sent as 401 (RFC 6750 §3.1 says 403): read as the 403 it means, or the SDK
    // refreshed (the new token lacks the scope as well) and the whole server went to needs-auth
    if (isScopeChallenge(r)) return asForbidden(r)
    provider.rediscover()
    return r
  }

  const due = (): boolean => {
    const left = provider.expiresInMs()
    if (left === undefined || !provider.hasRefreshToken()) return false
    const now = Date.now()
    const rec = provider.record()
    const savedAt = rec?.savedAt ? Date.parse(rec.savedAt) : Number.NaN
    if (now < refreshHeldUntil(login()) || Math.abs(now - savedAt) < MIN_REFRESH_INTERVAL_MS) return false
    const lifetime = rec?.expiresAt !== undefined && Number.isFinite(savedAt) ? rec.expiresAt - savedAt : REFRESH_AHEAD_MS * 2
    return left <= Math.min(REFRESH_AHEAD_MS, Math.max(0, lifetime / 2))
  }

  return {
    provider,
    // the transport's requests to the server go as they are; any other (the SDK's discovery after a
    // 401, token requests) through the URL guard, as at login: a server cannot lead it anywhere.
    // The server refusing the token: the auth flow that follows reads its metadata afresh (it may
    // name another authorization server now: the stored login is then not sent, auth/issuer)
    fetch: issuerSlashFetch((u, init) => (sameOrigin(u, origin) ? fetchFn(u, init).then((r) => refused(r, u)) : guard().fetch(fetchFn)(u, init))),
    beforeRequest(): Promise<void> {
      if (refreshing) return refreshing
      if (!due()) return Promise.resolve()
      // where the server's metadata is (stored at login), but not what it said then: read afresh, it
      // may name another authorization server now (the refresh then stops before any token request,
      // auth/issuer), as on a 401. Once per token lifetime; the stored discovery sent the refresh to
      // the old authorization server, once, before the server's 401 told
      const discovery = provider.discoveryState()
      provider.rediscover()
      // the login this try refreshes (its key changes with the refresh token a success brings)
      const key = login()
      holdRefresh(key, Date.now() + MIN_REFRESH_INTERVAL_MS)
      // anything fetched afresh is checked as at login
      refreshing = auth(provider, { serverUrl: url, fetchFn: guarded(), ...(discovery?.resourceMetadataUrl ? { resourceMetadataUrl: new URL(discovery.resourceMetadataUrl) } : {}) })
        .then(
          () => {},
          () => {
            // the request goes out anyway; a 401 then takes the transport's path
            holdRefresh(key, Date.now() + FAILED_REFRESH_RETRY_MS)
          },
        )
        .finally(() => {
          // the authorization server failed it (no answer, a 5xx, not a token) though the SDK settled
          // without an error: held off as well, the next connect attempt included
          if (flow.lastFailure() !== undefined) holdRefresh(key, Date.now() + FAILED_REFRESH_RETRY_MS)
          // expired, and the authorization server failed (not refused; the SDK may have settled for a
          // new login it cannot start here): that request's 401 is not refreshed again at once
          const left = provider.expiresInMs()
          failedAhead = flow.lastFailure() !== undefined && left !== undefined && left <= 0 ? { until: Date.now() + FAILED_REFRESH_RETRY_MS } : undefined
          refreshing = undefined
        })
      return refreshing
    },
    classify(e: unknown, runsBefore: number, whole = false): DownstreamError | undefined {
      if (e instanceof DownstreamError && e.code === "NEEDS_AUTH") return e
      // the transport throws it (onInsufficientScope: "throw"): no re-authorization without the user
      if (e instanceof InsufficientScopeError) return insufficientScopeError(server, e, provider.tokens()?.scope, whole)
      // the refresh (or its metadata) was not tried: the authorization server could not be reached just now
      if (heldBack && errorMessage(e).includes(HELD_WORDS)) return needsAuthError(server, `the server refused the token and refreshing it failed: ${heldWords()}. The login is kept: when the authorization server works again the next call after that refreshes it; if it keeps failing, log in again`)
      const ran = provider.authRuns > runsBefore
      if (!(e instanceof UnauthorizedError) && !ran && !/\b401\b/.test(errorMessage(e))) return undefined
      if (!provider.tokens()) {
        const problem = store.problemOf(server)
        if (problem) return needsAuthError(server, `${problem}; logging in again replaces it`)
      }
      if (!provider.tokens() && provider.ended === "client") {
        return needsAuthError(server, "the authorization server no longer knows the client this login was registered as (invalid_client: its registration was deleted or expired), so the login ended and could not be refreshed; logging in again registers a new client")
      }
      if (!provider.tokens()) return needsAuthError(server, provider.record()?.client || provider.ended ? "not logged in, or the login ended (refused or revoked) and could not be refreshed" : `not logged in (no tokens stored for ${url})`)
      // the SDK refreshed and retried once, and the server refused the new token as well (or it did
      // so before: the refresh token is kept from the SDK since, see provider.refusedFresh)
      if ((ran && /after re-authentication/.test(errorMessage(e)) && !flow.lastFailure() && provider.refusedFresh()) || provider.isRefusedFresh()) {
        return needsAuthError(
          server,
          `the server refused the access token a refresh had just obtained (HTTP 401 right after the refresh), so refreshing again would not help; it is not refreshed again until the login changes. The server may no longer accept this login (access removed, another account or scope needed)`,
        )
      }
      const failure = unreachableUntil(login()) !== 0 ? heldWords() : flow.lastFailure()
      if (failure) {
        return needsAuthError(
          server,
          `the server refused the token and refreshing it failed: ${failure}. The login is kept: when the authorization server works again the next call refreshes it; if it keeps failing, log in again`,
        )
      }
      return needsAuthError(server, `the server refused the token and refreshing it failed (${errorMessage(e)})`)
    },
  }
}

/** A 401 whose challenge says `error="insufficient_scope"` (the token is valid, a scope is missing)? */
function isScopeChallenge(r: Response): boolean {
  return /(?:^|[\s,])error\s*=\s*"?insufficient_scope"?(?:[\s,]|$)/i.test(r.headers.get("www-authenticate") ?? "")
}

/** `r` as a 403 (headers and body kept). */
function asForbidden(r: Response): Response {
  return new Response(r.body, { status: 403, statusText: "Forbidden", headers: r.headers })
}

/** A request to the MCP endpoint itself (its query aside)? */
function sameEndpoint(u: string | URL, endpoint: URL): boolean {
  try {
    const t = new URL(String(u))
    return t.origin === endpoint.origin && t.pathname === endpoint.pathname
  } catch {
    return false
  }
}

function sameOrigin(u: string | URL, origin: string): boolean {
  try {
    return new URL(String(u)).origin === origin
  } catch {
    return false
  }
}
