/**
 * @module pool/deadline-timer
 * One timer for many deadlines (the pending requests of a connection, the queued calls of a
 * limiter): armed for the earliest one, never one timer per call. When it fires, `sweep(now)`
 * settles what is due and returns the next deadline (Infinity: none), for which it re-arms.
 * The timer never keeps the process alive (a live downstream does that), and a deadline that no
 * longer matters leaves it armed rather than paying a clearTimeout per call.
 */
export class DeadlineTimer {
  private timer: ReturnType<typeof setTimeout> | undefined
  private at = Infinity

  constructor(
    private readonly sweep: (now: number) => number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Make sure the timer fires by `deadline`. */
  arm(deadline: number): void {
    if (this.timer !== undefined && this.at <= deadline) return
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.at = deadline
    this.timer = setTimeout(this.fire, Math.max(0, deadline - this.now()))
    this.timer.unref?.()
  }

  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.at = Infinity
  }

  private readonly fire = (): void => {
    this.timer = undefined
    this.at = Infinity
    const next = this.sweep(this.now())
    if (next !== Infinity) this.arm(next)
  }
}
