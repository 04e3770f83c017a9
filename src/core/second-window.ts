/**
 * @module core/second-window
 * A cap of `limit` per one-second window (downstream log messages relayed to a client, or to one
 * 2026-07-28 request): what goes over is dropped and counted, and the count is reported once, when
 * the next window opens or its owner ends (`flush`).
 */
export class SecondWindow {
  private start = -Infinity
  private sent = 0
  private over = 0

  constructor(
    readonly limit: number,
    private readonly report: (dropped: number) => void,
  ) {}

  /** True when one more fits in the current window; false (counted as dropped) when it does not. */
  take(now: number = performance.now()): boolean {
    if (now - this.start >= 1000) {
      this.flush()
      this.start = now
      this.sent = 0
    }
    if (++this.sent > this.limit) {
      this.over++
      return false
    }
    return true
  }

  /** Report what was dropped since the last report, if anything. */
  flush(): void {
    if (this.over === 0) return
    const n = this.over
    this.over = 0
    this.report(n)
  }
}
