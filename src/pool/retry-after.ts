/**
 * @module pool/retry-after
 * A remote server's `Retry-After` (on a 429 or 503: when it asks to be tried again), read as a wait:
 * delta-seconds or an HTTP date. The session waits at least that before its next start (pool/health),
 * bounded by RETRY_AFTER_MAX_MS: a server asking for a day (or a typo of one) is not left alone for
 * a day; a date already past means "now". Anything else is no wait at all (ignored, as RFC 9110 says).
 */
import { DownstreamError } from "../core/index.ts"

/** The longest wait a `Retry-After` imposes (5 min): after it, the pool tries again on its own backoff. */
export const RETRY_AFTER_MAX_MS = 5 * 60_000

/** What a `Retry-After` value asks: its wait in ms (uncapped, ≥ 0), or undefined when it is no valid value. */
export function retryAfterAsked(value: string | undefined, now: number = Date.now()): number | undefined {
  const v = value?.trim()
  if (!v || v.length > 64) return undefined
  if (/^\d{1,12}$/.test(v)) return Number(v) * 1000
  // an HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT"): Date.parse alone takes "1.5" or "2" for dates
  if (!/^[A-Za-z]{3},? /.test(v) && !/GMT$/.test(v)) return undefined
  const at = Date.parse(v)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/** The wait a `Retry-After` error carries in its details (`retryAfterMs`), on it or on a cause (a start failure wraps it), else 0. */
export function retryAfterOf(e: unknown): number {
  for (let x = e, depth = 0; x instanceof Error && depth < 5; x = x.cause, depth++) {
    const ms = x instanceof DownstreamError ? x.details?.retryAfterMs : undefined
    if (typeof ms === "number" && ms > 0) return Math.min(ms, RETRY_AFTER_MAX_MS)
  }
  return 0
}
