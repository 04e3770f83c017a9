/**
 * @module http/security
 * DNS-rebinding and CSRF guards (Host and Origin allowlists: loopback plus configured values) and
 * the bearer-token check, compared in constant time. Also token generation (256 bits).
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

/** Fingerprint of the bearer token in an Authorization header, to bind sessions to a credential. */
export function tokenFingerprint(header: string | undefined): string {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "")
  return Buffer.from(digest(m?.[1] ?? "")).toString("hex")
}
