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
 *
 * A server whose list differs at every relist its own `list_changed` asked for (a storm: it changes
 * its list as it is listed, or announces each step of a long change) was relisted at every window,
 * about every 260 ms for as long as it ran (38 "tools list changed" lines in 10 s, each relist checked,
 * pinned and stored). After `STORM_FREE_CHANGES` such relists in a row its window doubles with each
 * further one, up to `MAX_STORM_WINDOW_MS`; a relist that shows no change, or a `list_changed` that
 * comes `STORM_CALM_MS` after its last relist ended, ends the storm (the window is the normal one
 * again). A server that changes its list now and then is relisted after the normal window, as before.
 */

/** A relist's processing time × this: the least time after it ends before the next one starts. */
export const RELIST_COST_FACTOR = 5
/** The longest a relist is deferred for its cost (a change is never announced later than this plus the window). */
export const MAX_RELIST_DEFER_MS = 60_000

/** Relists in a row that showed a change at the normal window, before a storm's window doubles. */
export const STORM_FREE_CHANGES = 3
/** The longest a storm's window grows. */
export const MAX_STORM_WINDOW_MS = 30_000
/** A `list_changed` this long after the last relist ended is no longer part of a storm (a server whose list is changed every few seconds, by its user or its data, is relisted after the normal window each time). */
export const STORM_CALM_MS = 1_000

/** A storm's window began to be paced, or ended (`windowMs` undefined). */
export type StormNote = (key: string, o: { changes: number; windowMs?: number }) => void

interface Storm {
  /** Relists in a row, since a `list_changed` began it, that showed a change. */
  changes: number
  /** When the last relist ended (or the storm began), for the calm. */
  end: number
  /** Its pacing was told (`note`). */
  said: boolean
}

export class RelistPace {
  /** Per relist key: when the last relist ended, and what processing its answer took (ms). */
  private readonly last = new Map<string, { end: number; cost: number }>()
  private readonly storms = new Map<string, Storm>()

  constructor(
    private readonly now: () => number = () => performance.now(),
    /** Told once when a key's storm starts being paced, and once when it ends. */
    private readonly note: StormNote = () => {},
  ) {}

  /** A relist of `key` ended now, its answer having taken `costMs` of processing. */
  noted(key: string, costMs: number): void {
    this.last.set(key, { end: this.now(), cost: Math.max(0, costMs) })
  }

  /** A relist of `key` ended now; `changed`: its list differs from the one before (counted in a storm a `list_changed` began). */
  relisted(key: string, changed: boolean): void {
    const s = this.storms.get(key)
    if (s === undefined) return
    s.end = this.now()
    if (changed) s.changes++
    else this.calm(key, s)
  }

  /** How long from now the next relist of `key` (asked for by its `list_changed`) waits: the window, or longer after a costly one or in a storm. */
  delay(key: string, windowMs: number): number {
    const now = this.now()
    let s = this.storms.get(key)
    if (s !== undefined && now - s.end >= STORM_CALM_MS) this.calm(key, s)
    if (s === undefined) this.storms.set(key, (s = { changes: 0, end: now, said: false }))
    const over = s.changes - STORM_FREE_CHANGES
    const storm = over < 0 ? windowMs : Math.min(MAX_STORM_WINDOW_MS, windowMs * 2 ** (over + 1))
    if (storm > windowMs && !s.said) {
      s.said = true
      this.note(key, { changes: s.changes, windowMs: storm })
    }
    const l = this.last.get(key)
    const paced = l === undefined ? 0 : Math.min(MAX_RELIST_DEFER_MS, RELIST_COST_FACTOR * l.cost) - (now - l.end)
    return Math.max(windowMs, storm, paced)
  }

  /** The storm of `key` is over: its window is the normal one again. */
  private calm(key: string, s: Storm): void {
    if (s.said) this.note(key, { changes: s.changes })
    s.changes = 0
    s.said = false
  }

  /** The server's keys are forgotten (it was removed). */
  forget(prefix: string): void {
    for (const k of this.last.keys()) if (k.startsWith(prefix)) this.last.delete(k)
    for (const k of this.storms.keys()) if (k.startsWith(prefix)) this.storms.delete(k)
  }
}
