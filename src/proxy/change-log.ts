/**
 * @module proxy/change-log
 * One info line per downstream whose tool list changed, once the aggregated list holding the
 * change is built: what changed (by name) and where, and `reaggregatedMs`, our own work from the
 * server's new list read to the aggregated surface rebuilt. The coalescing windows in between are
 * not counted (they are waits by design), so the figure is what one change costs us.
 */
import type { Logger } from "../core/index.ts"
import type { Tool } from "./types.ts"

interface Pending {
  added: number
  removed: number
  changed: number
  /** Work done so far (arrival → stored and announced), in ms. */
  ms: number
}

export class ToolChangeLog {
  private readonly pending = new Map<string, Pending>()

  constructor(private readonly log: Logger) {}

  /**
   * `server`'s tools went from `before` to `after`; `arrived` is the performance.now() at which its
   * listing was read. Several changes of a server within one window make one line.
   */
  note(server: string, before: readonly Tool[], after: readonly Tool[], arrived: number): void {
    // a relist keeps unchanged definitions as the same objects (fetch-list's reuseUnchanged)
    const old = new Map(before.map((t) => [t.name, t]))
    let added = 0
    let changed = 0
    for (const t of after) {
      const was = old.get(t.name)
      if (was === undefined) added++
      else if (was !== t) changed++
    }
    const removed = before.length - (after.length - added)
    const p = this.pending.get(server)
    const ms = performance.now() - arrived
    if (p) {
      p.added += added
      p.removed += removed
      p.changed += changed
      p.ms += ms
    } else this.pending.set(server, { added, removed, changed, ms })
  }

  /** The aggregated list of `tools` tools is built, which took `buildMs`: log the changes it holds. */
  built(tools: number, buildMs: number): void {
    for (const [server, p] of this.pending) {
      this.log.info("tools list changed", { server, added: p.added, removed: p.removed, changed: p.changed, tools, reaggregatedMs: round(p.ms + buildMs) })
    }
    this.pending.clear()
  }

  /** A removed server's changes are not reported. */
  forget(server: string): void {
    this.pending.delete(server)
  }
}

const round = (ms: number): number => Math.round(ms * 100) / 100
