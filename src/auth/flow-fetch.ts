/**
 * @module auth/flow-fetch
 * The fetch under a serving session's OAuth (auth/serve): every request of the auth flow — the
 * metadata discovery, the token endpoint (a refresh), a registration — gets a deadline, and a
 * refresh that fails says why in words a user can act on.
 *
 * Without a deadline, an authorization server that accepts the connection and never answers held
 * the refresh forever: the call failed as a tool TIMEOUT ("raise the server's timeout"), and every
 * later call waited on the same refresh (one refresh per refresh token) until a restart, even once
 * the authorization server was back. Without the reason, an authorization server down, answering
 * an HTML maintenance page or a token answer without `access_token` all read "refreshing it failed
 * (Unauthorized)": the SDK swallows the cause and falls back to a new login.
 *
 * The transport's own requests to the MCP endpoint (long-lived streams) go untouched.
 */
import { wireCause } from "../core/index.ts"

/** One request of the auth flow waits this long at most. */
export const AUTH_REQUEST_TIMEOUT_MS = 15_000

type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>

export interface FlowFetch {
  readonly fetch: Fetch
  /** Why the last refresh failed (cleared by `succeeded`), in words for the error text; undefined when none failed. */
  lastFailure(): string | undefined
  /** Tokens were stored: no refresh failure stands. */
  succeeded(): void
  /** Whether the last failure was the authorization server not reached (no connection, no answer), not an answer it gave. */
  unreachable(): boolean
}

/** `serverUrl`: the MCP endpoint (its origin's requests other than discovery are the transport's). */
export function flowFetch(serverUrl: string, base: Fetch = fetch, timeoutMs = AUTH_REQUEST_TIMEOUT_MS): FlowFetch {
  const origin = new URL(serverUrl).origin
  const send = timed(base, timeoutMs)
  let failure: string | undefined
  let unreached = false
  return {
    lastFailure: () => failure,
    succeeded: () => void ((failure = undefined), (unreached = false)),
    unreachable: () => failure !== undefined && unreached,
    fetch: async (url, init) => {
      const target = parse(url)
      const token = grantOf(init) !== undefined
      if (target && target.origin === origin && !token && !target.pathname.includes("/.well-known/")) return base(url, init)
      const where = whereOf(target)
      // a new refresh: its own outcome is what counts
      if (token) failure = undefined
      unreached = false
      let r: Response
      try {
        r = await send(url, init)
      } catch (e) {
        failure = e instanceof NoAnswerError ? e.message : `${where} could not be reached (${wireCause(e).text})`
        unreached = true
        throw e
      }
      if (token) failure = await tokenProblem(r, where, grantOf(init) === "authorization_code" ? "the code exchange" : "the refresh")
      return r
    },
  }
}

/** A request of the auth flow that got no answer within its deadline. */
class NoAnswerError extends Error {}

/**
 * `base` with a deadline on every request (and the caller's own signal kept): one that gets no
 * answer in time fails with "<origin/path> did not answer within N s". `auth login` uses it for all
 * of its requests: its --timeout bounds the wait for the browser only, and a stuck server or
 * authorization server (discovery, the code exchange) held the command forever.
 */
export function timed(base: Fetch, timeoutMs = AUTH_REQUEST_TIMEOUT_MS): Fetch {
  return async (url, init) => {
    const deadline = AbortSignal.timeout(timeoutMs)
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline
    try {
      return await base(url, { ...init, signal })
    } catch (e) {
      if (deadline.aborted) throw new NoAnswerError(`${whereOf(parse(url))} did not answer within ${Math.round(timeoutMs / 1000)} s`, { cause: e })
      throw e
    }
  }
}

function whereOf(target: URL | undefined): string {
  return target ? `${target.origin}${target.pathname}` : "the authorization server"
}

/** What is wrong with a token endpoint's answer (undefined: a usable one, or an OAuth error the SDK handles). */
async function tokenProblem(r: Response, where: string, what: string): Promise<string | undefined> {
  let body: unknown
  try {
    body = await r.clone().json()
  } catch {
    return `${where} answered HTTP ${r.status} with a body that is not JSON (not a token answer)`
  }
  const o = body !== null && typeof body === "object" ? (body as Record<string, unknown>) : {}
  if (r.ok) return typeof o.access_token === "string" && o.access_token ? undefined : `${where} answered HTTP ${r.status} without an access_token`
  // an OAuth error code is a fixed word (RFC 6749 §5.2); anything else is not quoted
  const code = typeof o.error === "string" && /^[a-z_]{1,40}$/.test(o.error) ? ` (${o.error})` : ""
  return `${where} refused ${what}: HTTP ${r.status}${code}`
}

/** `u` as a URL (undefined: not one). */
export function parse(u: string | URL): URL | undefined {
  try {
    return new URL(String(u))
  } catch {
    return undefined
  }
}

/** The form parameters of a POST (a token request's), else undefined. */
export function formOf(init: RequestInit | undefined): URLSearchParams | undefined {
  if ((init?.method ?? "GET").toUpperCase() !== "POST") return undefined
  const body = init?.body
  return body instanceof URLSearchParams ? body : typeof body === "string" ? new URLSearchParams(body) : undefined
}

/** The grant_type of a token request (undefined: not a token request). */
function grantOf(init: RequestInit | undefined): string | undefined {
  return formOf(init)?.get("grant_type") ?? undefined
}
