/**
 * @module core/gate
 * A FIFO counting gate: at most `size` holders, the rest wait in order; a waiter whose signal
 * aborts leaves the queue (acquire resolves false). `release` hands the slot straight to the next
 * waiter, so a slot is never free while someone waits.
 */
export class Gate {
  private used = 0
  private readonly waiting: Array<(ok: boolean) => void> = []
  constructor(private readonly size: number) {}

  /** True once the slot is held; false when `signal` aborted first (nothing is held then). */
  acquire(signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false)
    if (this.used < this.size) {
      this.used++
      return Promise.resolve(true)
    }
    return new Promise<boolean>((resolve) => {
      const wake = (ok: boolean): void => {
        signal?.removeEventListener("abort", onAbort)
        resolve(ok)
      }
      const onAbort = (): void => {
        const i = this.waiting.indexOf(wake)
        if (i >= 0) this.waiting.splice(i, 1)
        wake(false)
      }
      signal?.addEventListener("abort", onAbort, { once: true })
      this.waiting.push(wake)
    })
  }

  /** Hand the slot to the next waiter, or free it. */
  release(): void {
    const next = this.waiting.shift()
    if (next) next(true)
    else this.used--
  }

  get stats(): { running: number; waiting: number } {
    return { running: this.used, waiting: this.waiting.length }
  }
}
