/**
 * @module pool/backoff
 * Restart delays: base × 2ⁿ with ±20 % jitter, capped (1 s, 2 s, 4 s … 30 s by default).
 */
export function restartDelay(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const raw = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt))
  const jitter = 1 + (random() * 2 - 1) * 0.2
  return Math.round(Math.min(capMs, raw * jitter))
}
