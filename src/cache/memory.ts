/**
 * @module cache/memory
 * In-memory driver bounded by entries and bytes. Two LRU segments: entries never read since they
 * were stored ("cold") are evicted before entries that were read ("hot"), oldest first in each.
 * A value is held parsed and deep-frozen, made once when it is stored: a hit hands out that same
 * value (no parse, no copy). A stored value is a parsed copy of its JSON (the caller's object stays
 * the caller's); one just read from disk (`freshlyParsed`: no one else holds it) is frozen as it is.
 */
import { byteLength, deepFreeze, freshlyParsed, serialize } from "./json.ts"
import { emptyStats, type CacheDriver, type CacheEntry, type DriverStats } from "./types.ts"

export interface MemoryDriverOptions {
  maxEntries?: number
  maxBytes?: number
}

interface Slot {
  value: unknown
  storedAt: number
  bytes: number
}

export class MemoryDriver implements CacheDriver {
  readonly name = "memory"
  readonly maxEntries: number
  readonly maxBytes: number
  /** Never read since stored; Map order = insertion order = LRU order. */
  private cold = new Map<string, Slot>()
  /** Read at least once; re-inserted on every read. */
  private hot = new Map<string, Slot>()
  private counters = emptyStats()
  private totalBytes = 0

  constructor(opts: MemoryDriverOptions = {}) {
    this.maxEntries = Math.max(1, opts.maxEntries ?? 2000)
    this.maxBytes = Math.max(1, opts.maxBytes ?? 64 * 1024 * 1024)
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    return this.getSync(key)
  }

  /** Synchronous read (the layered driver and benchmarks use it to skip a microtask). */
  getSync(key: string): CacheEntry | undefined {
    let slot = this.hot.get(key)
    if (slot) {
      this.hot.delete(key)
      this.hot.set(key, slot)
    } else {
      slot = this.cold.get(key)
      if (slot) {
        this.cold.delete(key)
        this.hot.set(key, slot)
      }
    }
    if (!slot) {
      this.counters.misses++
      return undefined
    }
    this.counters.hits++
    return { value: slot.value, storedAt: slot.storedAt }
  }

  async set(key: string, entry: CacheEntry): Promise<void> {
    this.setSync(key, entry)
  }

  setSync(key: string, entry: CacheEntry): void {
    const parsedBytes = freshlyParsed.get(entry)
    const text = parsedBytes !== undefined ? undefined : (entry.text ?? serialize(entry.value, key))
    const bytes = (text === undefined ? parsedBytes! : byteLength(text)) + byteLength(key)
    const wasHot = this.hot.has(key)
    this.remove(key)
    // one too large to keep is not parsed and frozen first (a large Toolkit catalog: ≈ 0.3 s of main thread)
    if (bytes > this.maxBytes) {
      this.counters.evictions++
      return
    }
    const slot: Slot = { value: deepFreeze(text === undefined ? entry.value : JSON.parse(text)), storedAt: entry.storedAt, bytes }
    // A value that was being read keeps its place among hot entries when refreshed.
    ;(wasHot ? this.hot : this.cold).set(key, slot)
    this.totalBytes += bytes
    this.evict(key)
  }

  async delete(key: string): Promise<boolean> {
    return this.remove(key)
  }

  deleteSync(key: string): boolean {
    return this.remove(key)
  }

  async keys(prefix = ""): Promise<string[]> {
    return [...this.cold.keys(), ...this.hot.keys()].filter((k) => k.startsWith(prefix))
  }

  async entries(prefix = ""): Promise<Array<[string, CacheEntry]>> {
    const out: Array<[string, CacheEntry]> = []
    for (const seg of [this.cold, this.hot]) {
      for (const [k, s] of seg) if (k.startsWith(prefix)) out.push([k, { value: s.value, storedAt: s.storedAt }])
    }
    return out
  }

  async clear(prefix = ""): Promise<void> {
    for (const k of await this.keys(prefix)) this.remove(k)
  }

  /** True when the key is held (no hit/miss counted, no LRU move). */
  has(key: string): boolean {
    return this.hot.has(key) || this.cold.has(key)
  }

  stats(): DriverStats {
    return { ...this.counters, entries: this.cold.size + this.hot.size, bytes: this.totalBytes }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.cold.clear()
    this.hot.clear()
    this.totalBytes = 0
  }

  // --- Internal helpers ---

  private remove(key: string): boolean {
    const slot = this.cold.get(key) ?? this.hot.get(key)
    if (!slot) return false
    this.cold.delete(key)
    this.hot.delete(key)
    this.totalBytes -= slot.bytes
    return true
  }

  /** Evicts until within bounds, cold before hot, never the entry just stored (`keep`). */
  private evict(keep: string): void {
    while (this.cold.size + this.hot.size > this.maxEntries || this.totalBytes > this.maxBytes) {
      const victim = this.oldest(this.cold, keep) ?? this.oldest(this.hot, keep)
      if (victim === undefined) return
      this.remove(victim)
      this.counters.evictions++
    }
  }

  private oldest(seg: Map<string, Slot>, keep: string): string | undefined {
    for (const k of seg.keys()) if (k !== keep) return k
    return undefined
  }
}
