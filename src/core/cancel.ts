/**
 * @module core/cancel
 * Per-call cancellation for the hot path. A standard `AbortController` costs an EventTarget and a
 * listener registration per call; `CallCancel` has direct listener slots and makes its
 * `AbortSignal` only when a consumer asks for one (own tools, fetch, queued calls).
 */
export type CancelListener = (reason: Error) => void

export class CallCancel {
  private controller: AbortController | undefined
  private first: CancelListener | undefined
  private more: CancelListener[] | undefined
  private why: Error | undefined

  get aborted(): boolean {
    return this.why !== undefined
  }

  get reason(): Error | undefined {
    return this.why
  }

  /** A standard signal that aborts with this call (created on first use). */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController()
      if (this.why !== undefined) this.controller.abort(this.why)
    }
    return this.controller.signal
  }

  /** Called once on abort (never if already aborted: check `aborted` first). */
  listen(fn: CancelListener): void {
    if (this.first === undefined) this.first = fn
    else (this.more ??= []).push(fn)
  }

  unlisten(fn: CancelListener): void {
    if (this.first === fn) this.first = undefined
    else if (this.more !== undefined) {
      const i = this.more.indexOf(fn)
      if (i >= 0) this.more.splice(i, 1)
    }
  }

  abort(reason: Error): void {
    if (this.why !== undefined) return
    this.why = reason
    const first = this.first
    const more = this.more
    this.first = undefined
    this.more = undefined
    if (first !== undefined) call(first, reason)
    if (more !== undefined) for (const fn of more) call(fn, reason)
    this.controller?.abort(reason)
  }
}

function call(fn: CancelListener, reason: Error): void {
  try {
    fn(reason)
  } catch {
    // a failing listener never stops the others
  }
}

/** What can cancel a wait: a standard signal, or a `CallCancel`. */
export type AbortSource = AbortSignal | CallCancel

export function isAborted(source: AbortSource | undefined): boolean {
  return source !== undefined && source.aborted
}

/** Call `fn` once when `source` aborts (a direct slot for a CallCancel, a once-listener for a signal). */
export function listenAbort(source: AbortSource, fn: () => void): void {
  if (source instanceof CallCancel) source.listen(fn)
  else source.addEventListener("abort", fn, { once: true })
}

export function unlistenAbort(source: AbortSource, fn: () => void): void {
  if (source instanceof CallCancel) source.unlisten(fn)
  else source.removeEventListener("abort", fn)
}
