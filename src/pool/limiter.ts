/**
 * @module pool/limiter
 * Per-server concurrency: at most `limit` in flight, then a bounded FIFO queue, then a "busy" error.
 * The fast path (a free slot) allocates nothing. A queued caller may give a deadline: one timer per
 * limiter, armed for the earliest one, serves them all (no timer per queued call).
 */
import { DeadlineTimer } from "./deadline-timer.ts"
import { DownstreamError, listenAbort, unlistenAbort, type AbortSource } from "../core/index.ts"

interface Waiter {
  resolve(): void
  reject(e: unknown): void
  abort: AbortSource | undefined
  onAbort: (() => void) | undefined
  /** `now()` past which the waiter gives up (Infinity: never). */
  deadline: number
  /** The error it gets then. */
  expired: (() => Error) | undefined
}

function unlisten(w: Waiter): void {
  if (w.onAbort !== undefined && w.abort !== undefined) unlistenAbort(w.abort, w.onAbort)
}

export class Limiter {
  private active = 0
  private readonly queue: Waiter[] = []
  private readonly timer: DeadlineTimer
  /** Called each time the last call in flight ends (`onIdle`); undefined until one is registered. */
  private idle: Set<() => void> | undefined
  constructor(
    public limit: number,
    public queueLimit: number,
    private readonly name: string,
    /** Monotonic milliseconds, the clock deadlines are given in. */
    now: () => number = () => performance.now(),
  ) {
    this.timer = new DeadlineTimer((t) => this.sweep(t), now)
  }

  get inFlight(): number {
    return this.active
  }

  get queued(): number {
    return this.queue.length
  }

  /** Take a slot now if one is free. */
  tryAcquire(): boolean {
    if (this.active < this.limit && this.queue.length === 0) {
      this.active++
      return true
    }
    return false
  }

  /**
   * Wait for a slot (FIFO). Rejects at once when the queue is full (unless `pastQueueLimit`: a
   * listing, which a burst of calls must not cost the server's tools), when `abort` aborts, and
   * with `expired()` once `now()` reaches `deadline`.
   */
  acquire(abort?: AbortSource, deadline = Infinity, expired?: () => Error, pastQueueLimit = false): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve()
    if (this.queue.length >= this.queueLimit && !pastQueueLimit) {
      return Promise.reject(
        new DownstreamError("BUSY", `server ${this.name} is busy: ${this.active} calls in flight and ${this.queue.length} queued`, {
          remedy: "Retry shortly, or raise maxInFlight / pool.queueLimit for this server.",
          details: { server: this.name, inFlight: this.active, queued: this.queue.length },
        }),
      )
    }
    return new Promise<void>((resolve, reject) => {
      const w: Waiter = { resolve, reject, abort, onAbort: undefined, deadline, expired }
      if (abort !== undefined) {
        if (abort.aborted) return reject(new DownstreamError("CANCELLED", "call cancelled by the client while queued"))
        w.onAbort = () => {
          const i = this.queue.indexOf(w)
          if (i >= 0) this.queue.splice(i, 1)
          reject(new DownstreamError("CANCELLED", "call cancelled by the client while queued"))
        }
        listenAbort(abort, w.onAbort)
      }
      this.queue.push(w)
      if (deadline !== Infinity) this.timer.arm(deadline)
    })
  }

  release(): void {
    const next = this.queue.shift()
    if (next) {
      unlisten(next)
      next.resolve() // the slot passes to the waiter
    } else if (--this.active === 0 && this.idle !== undefined) {
      for (const fn of [...this.idle]) {
        try {
          fn()
        } catch {
          // a failing listener never stops the others, nor the release
        }
      }
    }
  }

  /**
   * `fn` each time no call is in flight any more (the last one released, none queued); returns
   * what stops it. A question relayed for a call that ended waits for this when other calls were in
   * flight then (proxy/relay-cancel).
   */
  onIdle(fn: () => void): () => void {
    ;(this.idle ??= new Set()).add(fn)
    return () => {
      this.idle?.delete(fn)
      if (this.idle?.size === 0) this.idle = undefined
    }
  }

  /** Reject everything queued (shutdown). */
  drain(error: Error): void {
    for (const w of this.queue.splice(0)) {
      unlisten(w)
      w.reject(error)
    }
  }

  /** Reject every waiter past its deadline, then re-arm for the next one. */
  private sweep(now: number): number {
    let next = Infinity
    for (let i = 0; i < this.queue.length; ) {
      const w = this.queue[i]!
      if (w.deadline <= now + 1) {
        this.queue.splice(i, 1)
        unlisten(w)
        w.reject(w.expired?.() ?? new DownstreamError("TIMEOUT", `timed out waiting for a free slot on server ${this.name}`))
        continue
      }
      if (w.deadline < next) next = w.deadline
      i++
    }
    return next
  }
}
