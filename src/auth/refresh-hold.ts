/**
 * @module auth/refresh-hold
 * When a login's next refresh ahead of expiry may be tried, kept per login for the whole process:
 * each connect attempt to a remote server has its own `serveAuth` (pool/connect), and the hold-off
 * after a failed refresh (FAILED_REFRESH_RETRY_MS) lived in it, so a remote that dropped its
 * connection again and again (a flapping server, a proxy cutting streams) had every reconnect
 * refresh again at once: the token endpoint was asked once per reconnect while it was failing.
 *
 * A login is its server, the authorization server that issued it and the client it was issued to,
 * and its refresh token (hashed: a new login, or a refresh that worked elsewhere, starts afresh).
 */
import { createHash } from "node:crypto"
import type { OAuthRecord } from "./store.ts"

/** Holds kept at most (the oldest go first): one per login a long run refreshed. */
const MAX_HOLDS = 256

const holds = new Map<string, number>()

/** The login `rec` of `server` names, or undefined when it has no refresh token (nothing to hold off). */
export function loginKey(server: string, rec: OAuthRecord | undefined): string | undefined {
  const rt = rec?.tokens?.refresh_token
  if (typeof rt !== "string" || rt === "") return undefined
  const client = rec?.client?.client_id ?? ""
  return `${server}\u0000${rec?.issuer ?? ""}\u0000${client}\u0000${createHash("sha256").update(rt).digest("base64url")}`
}

/** Date.now() before which no refresh ahead of expiry of `key`'s login is tried (0: none held). */
export function refreshHeldUntil(key: string | undefined): number {
  if (key === undefined) return 0
  const until = holds.get(key) ?? 0
  if (until !== 0 && until <= Date.now()) holds.delete(key)
  return until
}

/** No refresh ahead of expiry of `key`'s login before `until` (Date.now()), in any connect attempt; never shortens a longer hold. */
export function holdRefresh(key: string | undefined, until: number): void {
  if (key === undefined || until <= refreshHeldUntil(key)) return
  holds.delete(key)
  holds.set(key, until)
  if (holds.size > MAX_HOLDS) holds.delete(holds.keys().next().value!)
}

/**
 * A login whose last refresh could not reach its authorization server (no connection, no answer:
 * not a refusal): until when its token endpoint is not asked again (qa327). Without it each call
 * on an expired token asked again, and waited out the connect deadline when the server was gone.
 * Short: the first call after it, the server back, refreshes.
 */
export const UNREACHABLE_HOLD_MS = 5_000

/** Per login: until when, and why (the failure's words: each connect attempt has its own auth flow). */
const unreachable = new Map<string, { until: number; why: string }>()

/** Date.now() before which `key`'s token endpoint is not asked (0: not held). */
export function unreachableUntil(key: string | undefined): number {
  return unreachableHold(key)?.until ?? 0
}

/** `key`'s hold-off, if one stands: until when, and why. */
export function unreachableHold(key: string | undefined): { until: number; why: string } | undefined {
  if (key === undefined) return undefined
  const hold = unreachable.get(key)
  if (hold === undefined || hold.until > Date.now()) return hold
  unreachable.delete(key)
  return undefined
}

/** `key`'s authorization server could not be reached just now (`why`): held off for UNREACHABLE_HOLD_MS. */
export function holdUnreachable(key: string | undefined, why: string): void {
  if (key === undefined) return
  unreachable.delete(key)
  unreachable.set(key, { until: Date.now() + UNREACHABLE_HOLD_MS, why })
  if (unreachable.size > MAX_HOLDS) unreachable.delete(unreachable.keys().next().value!)
}

/** `key`'s authorization server answered (a refresh worked, or was refused): no hold. */
export function reachedAgain(key: string | undefined): void {
  if (key !== undefined) unreachable.delete(key)
}
