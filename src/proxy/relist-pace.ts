/**
 * @module proxy/relist-pace
 * How soon a server's list may be fetched again after its `list_changed`: at the end of the
 * coalescing window, and never sooner after its last relist ended than `RELIST_COST_FACTOR` times
 * what processing that relist's answer took (checking, normalising and compiling the schemas,
 * pinning, storing). Everything but the downstream I/O runs on the one thread every session's calls
 * share: a server sending `list_changed` without pause while listing a new 1 MB schema each time kept
 * that thread busy (≈ 1–2 s per relist, one every 250 ms), and every other server's calls waited
 * seconds for it. Paced so, one server's relists take at most about 1 / (1 + factor) of that
 * thread; a server whose lists cost a few milliseconds (every real one) is relisted as before.
 * The time the server takes to answer is not counted (a slow list costs the thread nothing).
 */

/** A relist's processing time × this: the least time after it ends before the next one starts. */
export const RELIST_COST_FACTOR = 5
/** The longest a relist is deferred for its cost (a change is never announced later than this plus the window). */
export const MAX_RELIST_DEFER_MS = 60_000

export class RelistPace {
  /** Per relist key: when the last relist ended, and what processing its answer took (ms). */
  private readonly last = new Map<string, { end: number; cost: number }>()

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** A relist of `key` ended now, its answer having taken `costMs` of processing. */
  noted(key: string, costMs: number): void {
    this.last.set(key, { end: this.now(), cost: Math.max(0, costMs) })
  }

  /** How long from now the next relist of `key` waits: the window, or longer after a costly one. */
  delay(key: string, windowMs: number): number {
    const l = this.last.get(key)
    if (l === undefined) return windowMs
    const paced = Math.min(MAX_RELIST_DEFER_MS, RELIST_COST_FACTOR * l.cost) - (this.now() - l.end)
    return Math.max(windowMs, paced)
  }

  /** The server's keys are forgotten (it was removed). */
  forget(prefix: string): void {
    for (const k of this.last.keys()) if (k.startsWith(prefix)) this.last.delete(k)
  }
}
