/**
 * @module pool/modern-keys
 * The 2026-07-28 keys of a result (`resultType`, `ttlMs`, `cacheScope`). A legacy (2025-11-25)
 * connection's answers carry none by that revision; a server that falls back to legacy yet still
 * writes them (a dual-era server half-way, a hand-written one) would hand them to our legacy clients,
 * so they are taken off there (pool/rpc). A modern connection keeps them for its own reading
 * (`settleModernResult`).
 */

/** Modern-era result keys a legacy client has no use for. */
export const MODERN_RESULT_KEYS = ["resultType", "ttlMs", "cacheScope"] as const

/** Whether result `r` carries any of them (three key look-ups: the hot path pays that only). */
export function hasModernKeys(r: unknown): boolean {
  if (typeof r !== "object" || r === null) return false
  return "resultType" in r || "ttlMs" in r || "cacheScope" in r
}

/** `r` without them (a copy). */
export function withoutModernKeys(r: object): Record<string, unknown> {
  const out = { ...(r as Record<string, unknown>) }
  for (const k of MODERN_RESULT_KEYS) delete out[k]
  return out
}
