/**
 * @module http/security
 * DNS-rebinding and CSRF guards (Host and Origin allowlists: loopback plus configured values,
 * normalized as in allow-list.ts) and the bearer-token check, compared in constant time;
 * `RequestGuard` prepares both once per app for the per-request path. Also token generation (256 bits).
 */
import { randomBytes, timingSafeEqual } from "node:crypto"
import { isLoopbackHost } from "../config/index.ts"
import { shown } from "./echo.ts"
import { hostAllowList, hostListed, normalizeOrigin, originAllowList, originListed, splitHost, type AllowList, type AllowListProblem } from "./allow-list.ts"

export { isLoopbackHost, splitHost }

/** Host header accepted: loopback (any port) or listed (allow-list.ts `hostListed`). */
export function hostAllowed(host: string | undefined, allowed: readonly string[] | AllowList): boolean {
  if (!host) return false
  if (isLoopbackHost(splitHost(host).name)) return true
  return hostListed(host, isList(allowed) ? allowed : hostAllowList(allowed))
}

/** Origin header accepted: absent (non-browser client), loopback, or listed (allow-list.ts `originListed`). */
export function originAllowed(origin: string | undefined, allowed: readonly string[] | AllowList): boolean {
  if (origin === undefined) return true
  if (originListed(origin, isList(allowed) ? allowed : originAllowList(allowed))) return true
  try {
    const u = new URL(origin)
    return (u.protocol === "http:" || u.protocol === "https:") && isLoopbackHost(u.hostname)
  } catch {
    return false
  }
}

function isList(v: readonly string[] | AllowList): v is AllowList {
  return !Array.isArray(v)
}

/** A 256-bit random token, base64url. */
export function generateToken(): string {
  return randomBytes(32).toString("base64url")
}

/** SHA-256 of a token (Bun's one-shot hasher: a fraction of node:crypto's cost, and it runs on every request). */
function digest(s: string): Uint8Array {
  return Bun.SHA256.hash(s) as Uint8Array
}

/** The configured token's digest, computed once per token rather than per request. */
let expected: { token: string; digest: Uint8Array } | undefined
function tokenDigest(token: string): Uint8Array {
  if (expected?.token !== token) expected = { token, digest: digest(token) }
  return expected.digest
}

/** Checks `Authorization: Bearer <token>` in constant time. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  if (!header) return false
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (!m) return false
  return timingSafeEqual(digest(m[1]!), tokenDigest(token))
}

/**
 * Why a request with no Host header it can read is refused (an HTTP/1.0 one may send none; Bun
 * drops one that is no host name, e.g. with a path, spaces or non-ASCII letters): the DNS-rebinding
 * check has nothing to check.
 */
export const HOST_MISSING = "Host header missing or not a host name: a request names the host it is for (name[:port])"

/**
 * Why a browser's request from another site that carries no Origin (a no-cors GET: an image, a
 * script, a prefetch; browsers send Origin on every POST and CORS request) is refused: the page may
 * not reach the endpoint at all, whatever it could read of the answer. A top-level navigation (the
 * user opened a link: the answer goes to the user, not to a page) and non-browser clients, which
 * send no `Sec-Fetch-Site`, are not concerned.
 */
export const CROSS_SITE = "a browser request from another site (Sec-Fetch-Site: cross-site) without an Origin header is refused: web pages elsewhere may not reach this endpoint"

/** A browser's subresource request from another site with no Origin to check (see CROSS_SITE). */
function crossSiteWithoutOrigin(headers: Headers): boolean {
  return headers.get("sec-fetch-site")?.trim().toLowerCase() === "cross-site" && headers.get("origin") === null && headers.get("sec-fetch-mode")?.trim().toLowerCase() !== "navigate"
}

/** Distinct Host/Origin values remembered with their verdict (a client sends the same ones on every request). */
const VERDICTS_MAX = 64

/**
 * The checks every request passes, prepared once per app: the Host/Origin verdict of each value
 * seen (bounded memo; same rules as `hostAllowed`/`originAllowed`), and the bearer check done with
 * one hash, whose owner fingerprint (what sessions are bound to) is the configured token's, computed once.
 */
export class RequestGuard {
  private readonly hosts = new Map<string, boolean>()
  private readonly origins = new Map<string, boolean>()
  private readonly allowedHosts: AllowList
  private readonly allowedOrigins: AllowList
  /** Owner of every request that passed the bearer check (the configured token's fingerprint); "" without a token. */
  readonly owner: string
  /** Allow-list entries that can never match a header, or were read differently (key, entry, why): warned about at start. */
  readonly problems: readonly AllowListProblem[]

  constructor(allowedHosts: readonly string[], allowedOrigins: readonly string[], private readonly token: string | undefined) {
    this.allowedHosts = hostAllowList(allowedHosts)
    this.allowedOrigins = originAllowList(allowedOrigins)
    this.problems = [...this.allowedHosts.problems, ...this.allowedOrigins.problems]
    this.owner = token === undefined ? "" : Buffer.from(tokenDigest(token)).toString("hex")
  }

  /** Why Host/Origin are refused (403: the value and the setting that would accept it), or undefined; `headers` for a browser's cross-site request without Origin (CROSS_SITE). */
  problem(host: string | undefined, origin: string | null, headers?: Headers): string | undefined {
    if (!memo(this.hosts, host ?? "", (h) => hostAllowed(h, this.allowedHosts))) {
      if (!host) return HOST_MISSING
      // two Host headers arrive joined (`127.0.0.1:8787, evil.com`): no single name to add
      if (host.includes(",")) return `Host header ${shown(host)} not allowed: a request carries one Host header; this one had several (a proxy or client adding its own), which is refused`
      return `Host header ${shown(host)} not allowed: only loopback names and the names in http.allowedHosts (MCPO_HTTP_ALLOWED_HOSTS) are served; add ${shown(splitHost(host).name)} there to accept it`
    }
    if (origin !== null && !memo(this.origins, origin, (o) => originAllowed(o, this.allowedOrigins))) {
      return `Origin ${shown(origin)} not allowed: only loopback origins and the origins in http.allowedOrigins (MCPO_HTTP_ALLOWED_ORIGINS) are accepted; add ${shown(normalizeOrigin(origin) ?? origin)} there to accept it`
    }
    if (origin === null && headers !== undefined && crossSiteWithoutOrigin(headers)) return CROSS_SITE
    return undefined
  }

  /** The bearer check of /mcp (always true without a token). */
  authorized(header: string | null): boolean {
    return this.token === undefined || bearerMatches(header ?? undefined, this.token)
  }
}

function memo(m: Map<string, boolean>, key: string, judge: (k: string) => boolean): boolean {
  let v = m.get(key)
  if (v === undefined) {
    v = judge(key)
    if (m.size >= VERDICTS_MAX) m.clear() // values are client-chosen: the memo stays bounded
    m.set(key, v)
  }
  return v
}
