/**
 * @module cache/ttl-meta
 * What the TTL cache remembers per key in this process: the monotonic time the value was stored,
 * reads since then (hotness) and how to reload it. Bounded; losing an entry only loses hotness.
 */
import type { Clock } from "../core/index.ts"
import type { CacheEntry } from "./types.ts"

/** How far ahead of this clock an entry's storedAt may be (another process's clock read a moment later) and still be taken as just stored. */
export const FUTURE_SKEW_MS = 60_000

export interface Meta<K extends string = string> {
  /** Wall time of the stored entry (identifies which version this meta describes). */
  storedAt: number
  /** Monotonic time the value was stored (or its wall age, translated once when first seen). */
  monoAt: number
  /** Reads since the value was stored. */
  reads: number
  kind: K
  key: string
  loader?: () => Promise<unknown>
  parse?: (value: unknown) => unknown
}

export class MetaTable<K extends string> {
  private readonly map = new Map<string, Meta<K>>()
  constructor(private readonly max = 10_000) {}

  get(full: string): Meta<K> | undefined {
    return this.map.get(full)
  }
  has(full: string): boolean {
    return this.map.has(full)
  }
  delete(full: string): void {
    this.map.delete(full)
  }
  deletePrefix(prefix: string): void {
    for (const k of [...this.map.keys()]) if (k.startsWith(prefix)) this.map.delete(k)
  }
  entries(): IterableIterator<[string, Meta<K>]> {
    return this.map.entries()
  }

  set(full: string, m: Meta<K>): Meta<K> {
    this.map.delete(full)
    this.map.set(full, m)
    if (this.map.size > this.max) {
      const oldest = this.map.keys().next()
      if (!oldest.done) this.map.delete(oldest.value)
    }
    return m
  }

  /**
   * Meta for an entry read from the driver; one seen for the first time gets its age from wall time.
   * One dated ahead of this clock by more than `FUTURE_SKEW_MS` (written while the clock was wrong: a
   * VM resumed, an RTC in local time) has no age to trust: it counts as `unknownAge` old (its TTL:
   * stale, still served, refreshed), not as fresh at every start until the wall clock reaches it.
   */
  forEntry(kind: K, key: string, full: string, entry: CacheEntry, clock: Clock, unknownAge = 0): Meta<K> {
    const known = this.map.get(full)
    if (known && known.storedAt === entry.storedAt) return known
    const wall = clock.wall()
    const age = entry.storedAt - wall > FUTURE_SKEW_MS ? unknownAge : Math.max(0, wall - entry.storedAt)
    const m: Meta<K> = { storedAt: entry.storedAt, monoAt: clock.now() - age, reads: 0, kind, key }
    if (known?.loader) m.loader = known.loader
    if (known?.parse) m.parse = known.parse
    return this.set(full, m)
  }
}
