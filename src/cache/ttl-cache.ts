/**
 * @module cache/ttl-cache
 * TTL per kind over a `CacheDriver`: coalesced loads, stale-while-revalidate, refresh-ahead for keys
 * read often, invalidation and preload. TTL math uses the monotonic clock; only `storedAt` is wall time.
 */
import { silentLogger, systemClock, waitAtMost, type Clock, type Logger } from "../core/index.ts"
import { serialize } from "./json.ts"
import { combineStats, zeroCounters, type CacheStats } from "./stats.ts"
import { MetaTable, type Meta as MetaOf } from "./ttl-meta.ts"
import { CACHE_KINDS, fullKey, type CacheKind, type ChangeListener, type LoadOptions, type Lookup, type TtlCacheOptions, type TtlTable } from "./ttl-types.ts"
import type { CacheDriver, SetOptions } from "./types.ts"

type Meta = MetaOf<CacheKind>

/**
 * How long a load a caller waits on waits for its entry's write before it answers: a disk that
 * hangs (a stalled network mount) delays a miss's answer this long at most, then it goes out and
 * the write goes on.
 */
export const STORE_WAIT_MS = 5_000

export class TtlCache implements AsyncDisposable {
  readonly driver: CacheDriver
  private readonly ttl: TtlTable
  private readonly clock: Clock
  private readonly log: Logger
  private readonly hotReads: number
  private readonly refreshAhead: number
  private readonly maxStale: number
  private readonly dir: string | undefined
  private readonly meta = new MetaTable<CacheKind>()
  private readonly inflight = new Map<string, { token: object; promise: Promise<unknown> }>()
  private readonly pending = new Set<Promise<unknown>>()
  private readonly listeners = new Set<ChangeListener>()
  private readonly counters = zeroCounters()
  private timer: ReturnType<typeof setInterval> | undefined

  constructor(opts: TtlCacheOptions) {
    this.driver = opts.driver
    this.ttl = opts.ttl
    this.clock = opts.clock ?? systemClock
    this.log = (opts.log ?? silentLogger).child("cache")
    this.hotReads = opts.hotReads ?? 2
    this.refreshAhead = opts.refreshAhead ?? 0.8
    this.maxStale = opts.maxStale ?? Number.POSITIVE_INFINITY
    this.dir = opts.dir
    const every = opts.maintainEvery ?? 10_000
    if (every > 0) {
      this.timer = setInterval(() => void this.maintain(), every)
      this.timer.unref?.()
    }
  }

  /** The cached value (fresh or stale) or, on a miss, the loader's result. Concurrent misses share one load. */
  async getOrLoad<T>(kind: CacheKind, key: string, loader: () => Promise<T>, opts: LoadOptions<T> = {}): Promise<T> {
    const full = fullKey(kind, key)
    const running = this.inflight.get(full)
    if (running && !this.meta.has(full)) {
      this.counters.coalesced++
      return running.promise as Promise<T>
    }
    const found = await this.lookup<T>(kind, key, opts.parse, loader)
    if (found) return found.value
    return this.load(kind, key, loader, opts.parse, false) as Promise<T>
  }

  /** Looks a key up without loading. A stale hit starts a refresh when a loader is known. */
  async peek<T>(kind: CacheKind, key: string, opts: LoadOptions<T> = {}): Promise<Lookup<T> | undefined> {
    return this.lookup<T>(kind, key, opts.parse, undefined)
  }

  /**
   * Stores a value now (a load or refresh already running for the key will not overwrite it).
   * Throws a CacheError when the value is not JSON-serialisable; a failing disk only logs.
   */
  async set(kind: CacheKind, key: string, value: unknown, opts?: SetOptions): Promise<void> {
    const full = fullKey(kind, key)
    // checked here (a CacheError for the caller), and the drivers use this text: serialised once
    const text = serialize(value, full)
    this.inflight.delete(full)
    await this.store(kind, key, value, this.meta.get(full), undefined, undefined, opts, text)
  }

  /** Drops one key, or the whole kind when `key` is omitted. Running loads will not store. */
  async invalidate(kind: CacheKind, key?: string): Promise<void> {
    if (key === undefined) return this.invalidatePrefix(kind, "")
    const full = fullKey(kind, key)
    this.inflight.delete(full)
    this.meta.delete(full)
    await this.driver.delete(full)
  }

  /** Drops every key of `kind` starting with `prefix`. */
  async invalidatePrefix(kind: CacheKind, prefix: string): Promise<void> {
    const p = fullKey(kind, prefix)
    for (const k of [...this.inflight.keys()]) if (k.startsWith(p)) this.inflight.delete(k)
    this.meta.deletePrefix(p)
    await this.flush()
    await this.driver.clear(p)
  }

  /** The cache's logger (component `cache`), for the stores built on it. */
  get logger(): Logger {
    return this.log
  }

  /**
   * Keys of `kind` under `prefix` known without reading a file (on disk: read at preload, or written
   * by this process), with their wall-clock `storedAt`. Memory only: none.
   */
  seenKeys(kind: CacheKind, prefix = ""): Array<{ key: string; storedAt: number; bytes?: number }> {
    const cut = fullKey(kind, "").length
    return (this.driver.seenKeys?.(fullKey(kind, prefix)) ?? []).map((e) => ({ key: e.key.slice(cut), storedAt: e.storedAt, ...(e.bytes !== undefined ? { bytes: e.bytes } : {}) }))
  }

  /**
   * Drops one key unless it was stored after `storedAt` (another process sharing the directory may
   * have written it since it was seen): the file is read again first. True when it was dropped.
   */
  async dropIfNotNewer(kind: CacheKind, key: string, storedAt: number): Promise<boolean> {
    if (!this.driver.deleteIfNotNewer) return false
    const full = fullKey(kind, key)
    const dropped = await this.driver.deleteIfNotNewer(full, storedAt)
    if (dropped) {
      this.inflight.delete(full)
      this.meta.delete(full)
    }
    return dropped
  }

  /**
   * Loads the last known entries of `kinds` from disk into memory (earlier kinds first, so they win
   * when memory is short). Never throws. Call before the first request.
   */
  async preload(kinds: readonly CacheKind[] = CACHE_KINDS): Promise<number> {
    if (!this.driver.warm) return 0
    try {
      const n = await this.driver.warm(kinds.map((k) => fullKey(k, "")))
      this.counters.preloaded += n
      return n
    } catch (e) {
      this.log.warn("cache preload failed", { error: String(e) })
      return 0
    }
  }

  /** Refreshes hot keys close to expiry. Runs on a timer; tests call it directly. */
  async maintain(): Promise<void> {
    const now = this.clock.now()
    const started: Promise<unknown>[] = []
    for (const [full, m] of this.meta.entries()) {
      if (!m.loader || m.reads < this.hotReads || this.inflight.has(full)) continue
      if (now - m.monoAt >= this.ttl[m.kind] * this.refreshAhead) started.push(this.refresh(m))
    }
    await Promise.allSettled(started)
  }

  /** Called after a background refresh stored a value different from the one it replaced. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  stats(): CacheStats {
    return combineStats(this.counters, this.driver.name, this.driver.stats(), this.inflight.size, this.dir)
  }

  /** Waits for writes issued so far (not for loaders). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending])
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    this.listeners.clear()
    await this.flush()
    await this.driver[Symbol.asyncDispose]()
  }

  // --- Internal helpers ---

  private async lookup<T>(
    kind: CacheKind,
    key: string,
    parse: ((v: unknown) => T) | undefined,
    loader: (() => Promise<T>) | undefined,
  ): Promise<Lookup<T> | undefined> {
    const full = fullKey(kind, key)
    let entry
    try {
      entry = await this.driver.get(full)
    } catch (e) {
      this.log.warn("cache read failed; treated as a miss", { kind, error: String(e) })
    }
    if (!entry) return this.miss(full)
    const m = this.meta.forEntry(kind, key, full, entry, this.clock, this.ttl[kind])
    const ageMs = this.clock.now() - m.monoAt
    const ttl = this.ttl[kind]
    if (ageMs > ttl + this.maxStale) return this.miss(full)
    let value = entry.value as T
    if (parse) {
      try {
        value = parse(entry.value)
      } catch (e) {
        this.counters.invalid++
        // the key names what it was (a server's list: `downstream:<server>@<definition hash>`; never a secret)
        this.log.warn("cached value failed validation; dropped", { kind, entry: key, error: String(e), remedy: "nothing to do: the entry is deleted and loaded again" })
        this.meta.delete(full)
        await this.driver.delete(full)
        return this.miss(full)
      }
      m.parse = parse
    }
    if (loader) m.loader = loader
    m.reads++
    if (ageMs < ttl) {
      this.counters.hits++
      if (m.loader && m.reads >= this.hotReads && ageMs >= ttl * this.refreshAhead) void this.refresh(m)
      return { value, state: "fresh", ageMs }
    }
    this.counters.staleServes++
    if (m.loader) void this.refresh(m)
    return { value, state: "stale", ageMs }
  }

  private miss(full: string): undefined {
    this.counters.misses++
    this.meta.delete(full)
    return undefined
  }

  private load(
    kind: CacheKind,
    key: string,
    loader: () => Promise<unknown>,
    parse: ((v: unknown) => unknown) | undefined,
    background: boolean,
  ): Promise<unknown> {
    const full = fullKey(kind, key)
    const running = this.inflight.get(full)
    if (running) {
      if (!background) this.counters.coalesced++
      return running.promise
    }
    const token = {}
    if (background) this.counters.refreshes++
    else this.counters.loads++
    const previous = this.meta.get(full)
    const promise = (async () => {
      const value = await loader()
      if (this.inflight.get(full)?.token !== token) return value
      const changed = background && this.listeners.size > 0 && (await this.differs(full, value))
      if (this.inflight.get(full)?.token !== token) return value
      const written = this.store(kind, key, value, previous, loader, parse)
      if (changed) this.notify(kind, key, value)
      // a caller waits on this load: its answer goes out once its entry is on disk, so a process
      // ended right after answering (stdin closed then the shutdown budget spent on a busy machine,
      // a kill) still leaves it for the next start (before, the answer raced the write and the next
      // process asked the Toolkit again, losing e.g. what the first read left out)
      if (!background) await waitAtMost(written, STORE_WAIT_MS)
      return value
    })()
    this.inflight.set(full, { token, promise })
    const done = () => {
      if (this.inflight.get(full)?.token === token) this.inflight.delete(full)
    }
    promise.then(done, (e: unknown) => {
      done()
      if (background) {
        this.counters.refreshErrors++
        this.log.warn("cache refresh failed; keeping the stale value", { kind, error: String(e) })
      } else this.counters.loadErrors++
    })
    return promise
  }

  private refresh(m: Meta): Promise<unknown> {
    if (!m.loader) return Promise.resolve()
    return this.load(m.kind, m.key, m.loader, m.parse, true).catch(() => {})
  }

  private async differs(full: string, value: unknown): Promise<boolean> {
    const old = await this.driver.get(full).catch(() => undefined)
    return !old || safeText(old.value, full) !== safeText(value, full)
  }

  private notify(kind: CacheKind, key: string, value: unknown): void {
    for (const l of this.listeners) {
      try {
        l(kind, key, value)
      } catch (e) {
        this.log.warn("cache change listener failed", { error: String(e) })
      }
    }
  }

  /** Records meta and issues the driver write (memory is updated before this returns); resolves when written. */
  private store(
    kind: CacheKind,
    key: string,
    value: unknown,
    previous: Meta | undefined,
    loader?: () => Promise<unknown>,
    parse?: (v: unknown) => unknown,
    opts?: SetOptions,
    text?: string,
  ): Promise<void> {
    const full = fullKey(kind, key)
    const storedAt = this.clock.wall()
    const m: Meta = { storedAt, monoAt: this.clock.now(), reads: 0, kind, key }
    const ld = loader ?? previous?.loader
    if (ld) m.loader = ld
    const ps = parse ?? previous?.parse
    if (ps) m.parse = ps
    this.meta.set(full, m)
    const tracked = this.driver.set(full, text === undefined ? { value, storedAt } : { value, storedAt, text }, opts).catch((e: unknown) => {
      if (this.meta.get(full) === m) this.meta.delete(full)
      this.log.warn("cache write failed", { kind, error: String(e) })
    })
    this.pending.add(tracked)
    void tracked.finally(() => this.pending.delete(tracked))
    return tracked
  }
}

function safeText(value: unknown, key: string): string {
  try {
    return serialize(value, key)
  } catch {
    return "\u0000unserialisable"
  }
}
