/**
 * @module cache
 * Key-value cache of JSON values: memory, file and layered drivers, TTL per kind, preload, stats.
 */
export type { CacheDriver, CacheEntry, DriverStats, JsonValue, SetOptions } from "./types.ts"
export { MemoryDriver, type MemoryDriverOptions } from "./memory.ts"
export { FileDriver, type FileDriverOptions } from "./file.ts"
export { LayeredDriver, type LayeredStats } from "./layered.ts"
export { TtlCache } from "./ttl-cache.ts"
export { CACHE_KINDS, fullKey, type CacheKind, type ChangeListener, type TtlTable, type TtlCacheOptions, type LoadOptions, type Lookup } from "./ttl-types.ts"
export type { CacheStats, CacheCounters } from "./stats.ts"
export { CachedToolListStore, LIST_SAVE_INTERVAL_MS, otherListsKey, silenceKey, toolListKey, type NamedTool, type OtherLists, type SilenceNote, type ToolListStoreOptions } from "./tool-list-store.ts"
export { createCache, createCacheDriver, type CacheConfig, type CreateCacheOptions } from "./create.ts"
export { resolveCacheDir, hashKey, entryPath, isInside } from "./file-paths.ts"
export { firstToldUnwritable, notPlainRemedy, unwritableRemedy } from "./dir-remedy.ts"
export { canonicalJson } from "./json.ts"
export { scanCacheDir, clearCacheDir, probeCacheDir, type DiskUsage } from "./disk-usage.ts"
