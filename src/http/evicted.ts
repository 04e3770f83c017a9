/**
 * @module http/evicted
 * Sessions evicted from a full table, said in the log: each one at info (`http session evicted`),
 * at most `PER_SECOND` lines a second per table; the rest are counted in one line a second later. A
 * client that opens a session per request and never ends it (no DELETE) evicts one per request once
 * the table is full: one line each flooded the log (1 000 such requests, 1 000 lines).
 */
import { SecondWindow, type Logger } from "../core/index.ts"

const PER_SECOND = 5

export class EvictionLog {
  private readonly window: SecondWindow
  /** Says the count once the second is over, whether or not another eviction comes. */
  private timer?: ReturnType<typeof setTimeout>
  private maxSessions = 0

  constructor(private readonly log: Logger) {
    this.window = new SecondWindow(PER_SECOND, (n) =>
      this.log.info("more http sessions evicted (not logged one by one): clients open sessions and do not end them with DELETE", { evicted: n, maxSessions: this.maxSessions }),
    )
  }

  /** One session evicted from a table of `fields.maxSessions`. */
  said(fields: { session: string; idleMs: number; maxSessions: number; getStream: boolean }): void {
    this.maxSessions = fields.maxSessions
    if (this.window.take()) return this.log.info("http session evicted", fields)
    this.timer ??= setTimeout(() => {
      this.timer = undefined
      this.window.flush()
    }, 1000)
    this.timer.unref?.()
  }

  /** Says how many were not logged one by one, if any (at shutdown). */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.window.flush()
  }
}
