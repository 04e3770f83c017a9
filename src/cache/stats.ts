/**
 * @module cache/stats
 * The stats object the cache exposes (orchestrator_status, doctor, /metrics): plain numbers only.
 */
import type { DriverStats } from "./types.ts"

export interface CacheCounters {
  /** Fresh hits. */
  hits: number
  /** Lookups that found nothing usable and had to load (or returned undefined). */
  misses: number
  /** Expired entries served while one background refresh ran. */
  staleServes: number
  /** Loader calls made for misses. */
  loads: number
  /** Misses that joined a load already running for the same key. */
  coalesced: number
  /** Background refreshes started (stale serves and refresh-ahead of hot keys). */
  refreshes: number
  /** Background refreshes that failed (the old value stays). */
  refreshErrors: number
  /** Loader failures on a miss (the error goes to the callers; nothing is cached). */
  loadErrors: number
  /** Entries loaded from disk into memory by `preload()`. */
  preloaded: number
  /** Cached values rejected by the caller's `parse` (dropped, counted as a miss). */
  invalid: number
}

export interface CacheStats extends CacheCounters {
  driver: string
  /** Entries evicted from memory (never-read entries go first). */
  evictions: number
  entries: number
  bytes: number
  memoryEntries: number
  memoryBytes: number
  /** Corrupt, truncated, tampered or planted files moved aside as `*.corrupt`. */
  quarantined: number
  writeErrors: number
  /** True while the disk layer cannot be written (cache works from memory). */
  degraded: boolean
  /** Set while degraded: what is wrong with the cache directory, and what to do about it. */
  problem?: string
  remedy?: string
  /** Loads and refreshes running now. */
  inflight: number
  dir?: string
}

export function zeroCounters(): CacheCounters {
  return {
    hits: 0,
    misses: 0,
    staleServes: 0,
    loads: 0,
    coalesced: 0,
    refreshes: 0,
    refreshErrors: 0,
    loadErrors: 0,
    preloaded: 0,
    invalid: 0,
  }
}

export function combineStats(
  counters: CacheCounters,
  driverName: string,
  d: DriverStats & { memory?: DriverStats },
  inflight: number,
  dir: string | undefined,
): CacheStats {
  const mem = d.memory ?? (driverName === "memory" ? d : undefined)
  return {
    ...counters,
    driver: driverName,
    evictions: d.evictions,
    entries: d.entries,
    bytes: d.bytes,
    memoryEntries: mem?.entries ?? 0,
    memoryBytes: mem?.bytes ?? 0,
    quarantined: d.quarantined,
    writeErrors: d.writeErrors,
    degraded: d.degraded,
    ...(d.degraded && d.problem !== undefined ? { problem: d.problem } : {}),
    ...(d.degraded && d.remedy !== undefined ? { remedy: d.remedy } : {}),
    inflight,
    ...(dir === undefined ? {} : { dir }),
  }
}
