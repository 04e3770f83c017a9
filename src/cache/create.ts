/**
 * @module cache/create
 * Builds the cache the app uses from `config.cache`: layered memory-over-file (or memory only when
 * `cache.enabled` is false) under a `TtlCache` with the configured TTLs.
 */
import type { Config } from "../config/index.ts"
import { silentLogger, type Clock, type Logger } from "../core/index.ts"
import { FileDriver } from "./file.ts"
import { resolveCacheDir } from "./file-paths.ts"
import { LayeredDriver } from "./layered.ts"
import { MemoryDriver } from "./memory.ts"
import { TtlCache } from "./ttl-cache.ts"
import type { CacheDriver } from "./types.ts"

export type CacheConfig = Config["cache"]

export interface CreateCacheOptions {
  log?: Logger
  clock?: Clock
  /** Environment for the default directory (XDG_CACHE_HOME, HOME); default `process.env`. */
  env?: Record<string, string | undefined>
  /** Maintenance timer period (ms, 0 = off); default 10 s. */
  maintainEvery?: number
}

export function createCacheDriver(cfg: CacheConfig, opts: CreateCacheOptions = {}): { driver: CacheDriver; dir?: string } {
  const memory = new MemoryDriver({ maxEntries: cfg.maxEntries, maxBytes: cfg.maxBytes })
  if (!cfg.enabled) return { driver: memory }
  const dir = resolveCacheDir(cfg.dir, opts.env)
  const file = new FileDriver({ dir, log: opts.log ?? silentLogger, ...(opts.clock ? { clock: opts.clock } : {}) })
  return { driver: new LayeredDriver(memory, file), dir }
}

/** The app's cache. Dispose it (`await using`) to stop its timer and flush pending writes. */
export function createCache(cfg: CacheConfig, opts: CreateCacheOptions = {}): TtlCache {
  const { driver, dir } = createCacheDriver(cfg, opts)
  return new TtlCache({
    driver,
    ttl: cfg.ttl,
    log: opts.log ?? silentLogger,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.maintainEvery === undefined ? {} : { maintainEvery: opts.maintainEvery }),
    ...(dir ? { dir } : {}),
  })
}
