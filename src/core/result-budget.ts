/**
 * @module core/result-budget
 * The total byte budget for large downstream results in flight (`pool.maxResultBytesInFlight`):
 * bytes of a large frame count from its first byte read until the client was handed its answer.
 * A frame that would take the total over the budget is dropped and its call fails at once (a clear
 * error, never a wait: waiting could deadlock two half-read frames on each other). A frame alone in
 * flight is always admitted, so one result up to `pool.maxFrameBytes` always gets through.
 */

/**
 * Frames at least this large count against the budget; smaller ones are bounded by maxInFlight
 * (at its default of 64, 64 × 256 KiB = 16 MiB per server).
 */
export const LARGE_FRAME_BYTES = 256 * 1024

export class ByteBudget {
  private used = 0
  /** Bytes of large frames that became garbage since the last collection hint (see `onGarbage`). */
  private garbage = 0
  /** Called each time `gcAfterBytes` of large frames became garbage: a good moment to collect. */
  onGarbage: (() => void) | undefined

  constructor(
    public limit: number,
    /** Frames at least this large count, and are forwarded as bytes (tests lower it). */
    readonly large = LARGE_FRAME_BYTES,
    private readonly gcAfterBytes = 8 * 1024 * 1024,
  ) {}

  /** Bytes held right now. */
  get inFlight(): number {
    return this.used
  }

  /** Take `n` more bytes for a frame already holding `held` of them; false if that is over the budget. */
  take(n: number, held: number): boolean {
    if (this.used - held > 0 && this.used + n > this.limit) return false
    this.used += n
    return true
  }

  /** Hold `n` bytes that exist already (an answer written for a client): never refused, see `HeldBytes`. */
  hold(n: number): void {
    this.used += n
  }

  give(n: number): void {
    this.used = Math.max(0, this.used - n)
    this.dropped(n)
  }

  /** `n` bytes of a large frame are garbage now (delivered, or dropped while read). */
  dropped(n: number): void {
    this.garbage += n
    if (this.garbage >= this.gcAfterBytes) {
      this.garbage = 0
      this.onGarbage?.()
    }
  }
}

/** The process-wide budget (the pool sets its limit from the config). */
export const resultBudget = new ByteBudget(64 * 1024 * 1024)

/**
 * Bytes of large answers written for a client and not taken by it yet (an HTTP response body):
 * held against the budget from when they are written until the client took them (`free`), as a
 * stdio answer is until stdout drained it. A client that stops reading so holds at most the budget:
 * other large results fail meanwhile (RESULTS_OVER_BUDGET) instead of piling up in memory. Given
 * back by the GC too, should its owner be dropped unfreed.
 */
export class HeldBytes {
  private readonly box = { bytes: 0 }
  constructor(private readonly budget: ByteBudget = resultBudget) {}

  get bytes(): number {
    return this.box.bytes
  }

  add(n: number): void {
    if (this.box.bytes === 0) heldOnCollect.register(this, { budget: this.budget, box: this.box }, this)
    this.box.bytes += n
    this.budget.hold(n)
  }

  free(): void {
    const n = this.box.bytes
    if (n === 0) return
    this.box.bytes = 0
    heldOnCollect.unregister(this)
    this.budget.give(n)
  }
}

const heldOnCollect = new FinalizationRegistry<{ budget: ByteBudget; box: { bytes: number } }>((h) => h.budget.give(h.box.bytes))

let collecting = false
// A large result leaves tens of MiB of garbage (its chunks) that the GC does not hurry to collect
// (they are outside the JS heap): collect as soon as a few MiB of them piled up, so RSS returns to
// idle after a large result, and a frame dropped while it is read does not pile up at all. Right
// after the current task (a microtask: the stack that still points at the chunks is gone by then,
// and no more chunks were read meanwhile).
// A second collection a moment later catches what a stale reference on the stack (the GC scans it
// conservatively) kept alive the first time.
let again: ReturnType<typeof setTimeout> | undefined
resultBudget.onGarbage = () => {
  if (collecting || typeof Bun === "undefined") return
  collecting = true
  queueMicrotask(() => {
    collecting = false
    Bun.gc(true)
    if (again !== undefined) clearTimeout(again)
    again = setTimeout(() => {
      again = undefined
      Bun.gc(true)
    }, 500)
    again.unref?.()
  })
}
