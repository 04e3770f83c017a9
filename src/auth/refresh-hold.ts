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
