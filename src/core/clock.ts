/**
 * @module core/clock
 * Time as a dependency so TTLs, backoff and breakers are testable without sleeping.
 * `now()` is monotonic milliseconds (never jumps with the wall clock).
 */
export interface Clock {
  /** Monotonic milliseconds. */
  now(): number
  /** Wall-clock milliseconds since the epoch (for display and persisted timestamps). */
  wall(): number
}

export const systemClock: Clock = {
  now: () => performance.now(),
  wall: () => Date.now(),
}

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  private t: number
  private w: number
  constructor(start = 0, wallStart = 1_700_000_000_000) {
    this.t = start
    this.w = wallStart
  }
  now(): number {
    return this.t
  }
  wall(): number {
    return this.w
  }
  advance(ms: number): void {
    this.t += ms
    this.w += ms
  }
}
