/**
 * @module pool/modern-keys
 * The 2026-07-28 keys of a result (`resultType`, `ttlMs`, `cacheScope`). A legacy (2025-11-25)
 * connection's answers carry none by that revision; a server that falls back to legacy yet still
 * writes them (a dual-era server half-way, a hand-written one) would hand them to our legacy clients,
 * so they are taken off there (pool/rpc), on every path: a parsed result, a compact one forwarded as
 * its text, and a large one (≥ 256 KiB) kept as its bytes (parsed then, only when it has them). A modern connection keeps them for its own reading
 * (`settleModernResult`).
 */
import { JsonSkim } from "../core/index.ts"

/** Modern-era result keys a legacy client has no use for. */
export const MODERN_RESULT_KEYS = ["resultType", "ttlMs", "cacheScope"] as const

const KEYS: ReadonlySet<string> = new Set(MODERN_RESULT_KEYS)

/** Whether `key` is one of them. */
export function isModernKey(key: string): boolean {
  return KEYS.has(key)
}

/**
 * Whether the result in `chunks` (JSON that `checkJsonBytes` accepted: a large result kept as its
 * bytes) has one at its top level; one pass that builds nothing but the top-level keys.
 */
export function bytesHaveModernKeys(chunks: readonly Uint8Array[]): boolean {
  const skim = new JsonSkim(chunks)
  if (skim.kind() !== "object") return false
  let found = false
  skim.object((key) => {
    if (KEYS.has(key)) found = true
    skim.skip()
  })
  return found
}

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
