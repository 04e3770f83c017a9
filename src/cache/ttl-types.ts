/**
 * @module cache/ttl-types
 * Kinds, TTL table, options and result shapes of the TTL cache.
 */
import type { Config } from "../config/index.ts"
import type { Clock, Logger } from "../core/index.ts"
import type { CacheDriver } from "./types.ts"

export type CacheKind = keyof Config["cache"]["ttl"]
export type TtlTable = Record<CacheKind, number>
export const CACHE_KINDS: readonly CacheKind[] = ["catalog", "servers", "tools", "inspect", "config", "secrets", "profiles"]

export interface TtlCacheOptions {
  driver: CacheDriver
  /** Milliseconds per kind (config `cache.ttl`). */
  ttl: TtlTable
  clock?: Clock
  log?: Logger
  /** Reads since the last store that make a key hot (refreshed ahead of expiry). Default 2. */
  hotReads?: number
  /** Fraction of the TTL after which hot keys are refreshed ahead. Default 0.8. */
  refreshAhead?: number
  /** Maintenance timer period in ms (refresh-ahead sweep); 0 disables it. Default 10 s. */
  maintainEvery?: number
  /** Expired entries older than TTL + this are not served at all. Default: no limit. */
  maxStale?: number
  /** Shown in stats. */
  dir?: string
}

export interface LoadOptions<T> {
  /** Validates a cached value (e.g. a zod `.parse`); a throw drops the entry and counts as a miss. */
  parse?: (value: unknown) => T
}

export type Lookup<T> = { value: T; state: "fresh" | "stale"; ageMs: number }

export type ChangeListener = (kind: CacheKind, key: string, value: unknown) => void

export function fullKey(kind: CacheKind, key: string): string {
  return `${kind}:${key}`
}
