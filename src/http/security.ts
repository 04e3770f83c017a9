/**
 * @module http/security
 * DNS-rebinding and CSRF guards (Host and Origin allowlists: loopback plus configured values) and
 * the bearer-token check, compared in constant time; `RequestGuard` prepares both once per app for
 * the per-request path. Also token generation (256 bits).
 */
import { randomBytes, timingSafeEqual } from "node:crypto"
import { isLoopbackHost } from "../config/index.ts"

export { isLoopbackHost }

/** Splits a Host header value into name and port ("[::1]:80" → "[::1]", "80"). */
export function splitHost(host: string): { name: string; port?: string } {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host.trim())
  if (!m) return { name: host }
  return m[2] ? { name: m[1]!, port: m[2] } : { name: m[1]! }
}

/** Host header accepted: loopback (any port) or listed (with or without port). */
export function hostAllowed(host: string | undefined, allowed: readonly string[]): boolean {
  if (!host) return false
  const { name } = splitHost(host)
  if (isLoopbackHost(name)) return true
  const h = host.toLowerCase()
  return allowed.some((a) => a.toLowerCase() === h || a.toLowerCase() === name.toLowerCase())
}

/** Origin header accepted: absent (non-browser client), loopback, or listed exactly. */
export function originAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true
  if (allowed.includes(origin)) return true
  try {
    const u = new URL(origin)
    return (u.protocol === "http:" || u.protocol === "https:") && isLoopbackHost(u.hostname)
  } catch {
    return false
  }
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
  /** Owner of every request that passed the bearer check (the configured token's fingerprint); "" without a token. */
  readonly owner: string

  constructor(
    private readonly allowedHosts: readonly string[],
    private readonly allowedOrigins: readonly string[],
    private readonly token: string | undefined,
  ) {
    this.owner = token === undefined ? "" : Buffer.from(tokenDigest(token)).toString("hex")
  }

  /** Why Host/Origin are refused (403), or undefined. */
  problem(host: string | undefined, origin: string | null): string | undefined {
    if (!memo(this.hosts, host ?? "", (h) => hostAllowed(h, this.allowedHosts))) return "Host header not allowed"
    if (origin !== null && !memo(this.origins, origin, (o) => originAllowed(o, this.allowedOrigins))) return "Origin not allowed"
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
