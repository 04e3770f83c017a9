/**
 * @module core/duration
 * Durations in config may be numbers (milliseconds) or strings like "250ms", "30s", "5m", "12h", "1d".
 */
const UNIT: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

export function parseDuration(v: string | number): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) && v >= 0 ? v : undefined
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(v)
  if (!m) return undefined
  return Math.round(Number(m[1]) * UNIT[m[2] ?? "ms"]!)
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)}s`
  if (ms < 3_600_000) return `${+(ms / 60_000).toFixed(1)}m`
  return `${+(ms / 3_600_000).toFixed(1)}h`
}
