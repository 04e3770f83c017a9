/**
 * @module proxy/latest-only
 * Storm control for notifications that report a state, where only the latest matters (the progress
 * of one call, an update of one resource): a token bucket of `perSecond` (a burst of as many goes
 * out at once, then `perSecond` a second); while it is empty only the latest waits, and goes out when
 * a token is back, or at once on `flush` (before the call's result, which then never overtakes it).
 * A downstream that reports as fast as it can costs the client a few messages a second, whatever it
 * sends; one that reports a handful of steps has each of them relayed.
 */

/** Progress of one call relayed to the client: at most this many per second after a burst of as many (the latest, and the last before the result). */
export const PROGRESS_PER_SECOND = 20
/** A call's result that comes within 50 ms of its last relayed progress waits this long (proxy.sendCall: SDK clients drop a progress read in the same chunk as its result). */
export const AFTER_PROGRESS_MS = 20
/** `notifications/resources/updated` of one URI relayed to its subscribers: at most this many per second, likewise. */
export const UPDATES_PER_SECOND = 20

export class LatestOnly<V> {
  private tokens: number
  /** When `tokens` was last refilled (performance.now()). */
  private at = performance.now()
  private waiting: { v: V } | undefined
  private timer: ReturnType<typeof setTimeout> | undefined
  /** Values replaced by a later one before they went out. */
  superseded = 0

  constructor(
    private readonly perSecond: number,
    private readonly send: (v: V) => void,
  ) {
    this.tokens = perSecond
  }

  /** A new state: sent now if a token is left, else it waits (replacing one that waited). */
  push(v: V): void {
    if (this.waiting !== undefined) {
      this.superseded++
      this.waiting.v = v
      return
    }
    this.refill(performance.now())
    if (this.tokens >= 1) {
      this.tokens--
      return this.send(v)
    }
    this.waiting = { v }
    this.timer = setTimeout(() => this.flush(), Math.ceil(((1 - this.tokens) * 1000) / this.perSecond))
    this.timer.unref?.()
  }

  /** Sends the one waiting now (its token is back, or the call is answered: its last progress goes first). */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    const w = this.waiting
    if (w === undefined) return
    this.waiting = undefined
    this.refill(performance.now())
    this.tokens = Math.max(0, this.tokens - 1)
    this.send(w.v)
  }

  /** Nothing more goes out (the call was cancelled, the subscription ended): the one waiting is dropped. */
  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.waiting = undefined
  }

  /** Nothing waits and the bucket is full again: forgetting it changes nothing. */
  idle(now = performance.now()): boolean {
    if (this.waiting !== undefined) return false
    this.refill(now)
    return this.tokens >= this.perSecond
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.at) * this.perSecond) / 1000)
    this.at = now
  }
}
