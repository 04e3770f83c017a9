/**
 * @module cache/types
 * The `CacheDriver` contract every back end (memory, file, layered) implements, and the entry shape.
 */

/** A value the cache can hold: whatever survives `JSON.stringify` / `JSON.parse`. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

/** One stored value. `storedAt` is wall-clock epoch ms so age (and TTL) survives a restart. */
export interface CacheEntry {
  value: unknown
  storedAt: number
  /** Handed to a driver's `set`: the value's JSON text, when the caller has it (a write serialises once). */
  text?: string
}

export interface SetOptions {
  /**
   * false: a layered driver keeps the value on disk only (and drops its memory copy): a value read
   * once, at the next start (a server's tool list), is not worth a second in-memory copy of every
   * list. A memory-only driver keeps it regardless.
   */
  memory?: boolean
}

/** Counters every driver reports (plain numbers, safe to serialise). */
export interface DriverStats {
  entries: number
  bytes: number
  hits: number
  misses: number
  evictions: number
  /** Files found corrupt, truncated, tampered or planted (symlinks) and moved aside. */
  quarantined: number
  /** Failed writes (disk full, read-only, permission). */
  writeErrors: number
  /** True while the driver cannot persist (the cache keeps working from memory). */
  degraded: boolean
  /** Set while degraded (disk drivers): what is wrong with the directory, and what to do about it. */
  problem?: string
  remedy?: string
}

/**
 * A key-value store of JSON values. All methods are async so memory and disk share one shape.
 * Keys are arbitrary strings; drivers never use a raw key as a path.
 */
export interface CacheDriver extends AsyncDisposable {
  readonly name: string
  get(key: string): Promise<CacheEntry | undefined>
  /** Stores a JSON round-trip copy of `entry.value`; throws a CacheError if it is not JSON-serialisable. */
  set(key: string, entry: CacheEntry, opts?: SetOptions): Promise<void>
  /** True when something was removed. */
  delete(key: string): Promise<boolean>
  keys(prefix?: string): Promise<string[]>
  /** All live entries under a prefix (used by preload). */
  entries(prefix?: string): Promise<Array<[string, CacheEntry]>>
  /** Removes every entry (under `prefix`, when given). */
  clear(prefix?: string): Promise<void>
  stats(): DriverStats
  /** Disk drivers: keys under `prefix` this process has read (preload reads them all) or written, without reading a file. */
  seenKeys?(prefix?: string): Array<{ key: string; storedAt: number; bytes?: number }>
  /** Disk drivers: deletes `key` unless it was written after `storedAt` (another process may have); true when deleted. */
  deleteIfNotNewer?(key: string, storedAt: number): Promise<boolean>
  /**
   * Layered drivers: copy entries under any of `prefixes` (all when omitted) from disk into memory,
   * in the order of the prefixes, in one pass over the disk; returns how many.
   */
  warm?(prefixes?: readonly string[]): Promise<number>
}

export function emptyStats(): DriverStats {
  return { entries: 0, bytes: 0, hits: 0, misses: 0, evictions: 0, quarantined: 0, writeErrors: 0, degraded: false }
}
