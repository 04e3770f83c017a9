/**
 * @module proxy/coalesce
 * Storm control: `Coalescer` fires a key at most once per window (trailing; a key's window may be
 * longer, `windowOf`), `singleFlight` runs one
 * refresh per key at a time and re-runs once if asked again meanwhile.
 */

export class Coalescer<K> {
  private readonly timers = new Map<K, ReturnType<typeof setTimeout>>()
  constructor(
    private readonly windowMs: number,
    private readonly fire: (key: K) => void,
    /** The window of one key, when it may differ from `windowMs` (told `windowMs`). */
    private readonly windowOf?: (key: K, windowMs: number) => number,
  ) {}

  /** Schedule `fire(key)` at the end of the current window (no-op if already scheduled). */
  touch(key: K): void {
    if (this.timers.has(key)) return
    const t = setTimeout(
      () => {
        this.timers.delete(key)
        this.fire(key)
      },
      this.windowOf ? this.windowOf(key, this.windowMs) : this.windowMs,
    )
    t.unref?.()
    this.timers.set(key, t)
  }

  /** Fire `key` now if it is scheduled (its window is cut short); false when it was not. */
  flush(key: K): boolean {
    const t = this.timers.get(key)
    if (t === undefined) return false
    clearTimeout(t)
    this.timers.delete(key)
    this.fire(key)
    return true
  }

  cancel(key: K): void {
    const t = this.timers.get(key)
    if (t !== undefined) clearTimeout(t)
    this.timers.delete(key)
  }

  clear(): void {
    for (const t of this.timers.values()) clearTimeout(t)
    this.timers.clear()
  }
}

export class SingleFlight<K> {
  private readonly running = new Map<K, Promise<void>>()
  private readonly again = new Set<K>()

  /** Run `fn` for `key` unless one is running; if one is, run once more after it. */
  run(key: K, fn: () => Promise<void>): Promise<void> {
    const cur = this.running.get(key)
    if (cur) {
      this.again.add(key)
      return cur
    }
    const p = (async () => {
      try {
        do {
          this.again.delete(key)
          await fn()
        } while (this.again.has(key))
      } finally {
        this.running.delete(key)
      }
    })()
    this.running.set(key, p)
    return p
  }

  /** The refresh in progress for `key`, if any. */
  current(key: K): Promise<void> | undefined {
    return this.running.get(key)
  }
}
