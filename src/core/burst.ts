/**
 * @module core/burst
 * One call per burst of events (a debounce), with a bound: the call comes `quietMs` after the last
 * event, or at the latest `maxWaitMs` after the first event of the burst. Without the bound a
 * burst that never ends (a file in a watched directory rewritten 100 times a second: a status
 * file, a build in watch mode, a sync tool) would hold the call back for as long as it lasts, and
 * with it every real change made meanwhile (a plugin's new deny rule, a config edit).
 */

export class Burst {
  private timer: ReturnType<typeof setTimeout> | undefined
  /** When the first event of the pending burst came (undefined: none pending). */
  private since: number | undefined
  private closed = false

  constructor(
    private readonly fn: () => void,
    private readonly quietMs: number,
    private readonly maxWaitMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A call is due (an event came and its quiet time has not run out yet). */
  get pending(): boolean {
    return this.timer !== undefined
  }

  /** An event: (re)start the wait, never past `maxWaitMs` from the burst's first event. */
  poke(): void {
    if (this.closed) return
    const t = this.now()
    this.since ??= t
    const wait = Math.max(0, Math.min(this.quietMs, this.since + this.maxWaitMs - t))
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = setTimeout(() => this.fire(), wait)
  }

  /** Drop the pending call (and every later poke). */
  close(): void {
    this.closed = true
    this.cancel()
  }

  /** Drop the pending call; later pokes start a new burst. */
  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.since = undefined
  }

  private fire(): void {
    this.timer = undefined
    this.since = undefined
    if (!this.closed) this.fn()
  }
}
