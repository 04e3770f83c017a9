/**
 * @module pool/deadline
 * A call's time budget across everything it waits for before it is written: the first start of
 * its server, a restart after a crash (backoff and the new handshake), a free slot in the limiter.
 * The budget holds through all of them, so a call fails with `TIMEOUT` at its deadline, never
 * later, and a call past its deadline is never written to the server (the client has already been
 * told it timed out). The messages say the real elapsed time, the budget and where it went.
 */
import { DownstreamError, listenAbort, unlistenAbort, CallCancel, type AbortSource, type Clock } from "../core/index.ts"

/** Seconds for messages: "1.5 s", "0.25 s", "60 s". */
export function seconds(ms: number): string {
  return `${+(ms / 1000).toFixed(2)} s`
}

/** "tools/call timed out after 1.50 s (budget 1.5 s; 1.2 s of it waiting for the server to restart)". */
export function timeoutMessage(method: string, elapsedMs: number, budgetMs: number, note?: string): string {
  return `${method} timed out after ${(elapsedMs / 1000).toFixed(2)} s (budget ${seconds(budgetMs)}${note ? `; ${note}` : ""})`
}

const TIMEOUT_REMEDY = "Raise the server's `timeout` in the config if the tool is expected to be slow."

/**
 * What to do about a timeout with this budget. A budget under a second is almost surely a bare
 * number meant as seconds (`timeout: 60` pasted from Cline or Roo Code, whose mcp_settings.json
 * counts seconds): said, since the load warning is in a log the user of a chat never sees.
 */
export function timeoutRemedy(budgetMs: number): string {
  if (budgetMs >= 1000) return TIMEOUT_REMEDY
  return `${TIMEOUT_REMEDY} The budget was only ${Math.round(budgetMs)} ms: a bare number in \`timeout\` is milliseconds (\`timeout: 60\` is 60 ms); write the unit, e.g. "60s".`
}

/** The waits of a call whose server was not ready: most of a budget spent there is the start's, not the tool's. */
const START_WAITS = /^for the server to (?:re)?start$/

/**
 * What to do when the call timed out waiting for its server to get ready (its start or its
 * handshake not over: a remote server that takes the connection and never answers `initialize`, a
 * command that is slow to come up): "raise the tool's timeout" sent the user after the tool.
 */
const START_REMEDY =
  "The server did not get ready within this call's budget (its start or handshake was not over); the start goes on by itself, up to its `connectTimeout`: call again shortly. If it keeps failing so, check that the server answers at its url (or that its command starts) and see orchestrator_status; raise its `connectTimeout` if its starts are slow."

/**
 * The TIMEOUT of a call that never reached `server` (it waited past its budget). `waits`: where the
 * time went, by wait; one for the server's start that took most of the budget gives that remedy.
 */
export function notSentTimeout(server: string, method: string, elapsedMs: number, budgetMs: number, note: string | undefined, waits?: ReadonlyMap<string, number>): DownstreamError {
  let starting = 0
  for (const [what, ms] of waits ?? []) if (START_WAITS.test(what)) starting += ms
  return new DownstreamError("TIMEOUT", `server ${server}: ${timeoutMessage(method, elapsedMs, budgetMs, note)}; it was not sent to the server`, {
    remedy: starting * 2 >= elapsedMs && elapsedMs > 0 ? START_REMEDY : timeoutRemedy(budgetMs),
    details: { server, method, timeoutMs: budgetMs, elapsedMs: Math.round(elapsedMs) },
  })
}

/** How a wait reads in a timeout message: "1.2 s of it waiting for a free slot" (short waits are not worth a word). */
export function waitNote(what: string, ms: number): string | undefined {
  return ms >= 10 ? `${seconds(ms)} of it waiting ${what}` : undefined
}

export class CallDeadline {
  /** Aborts at the deadline or when the client cancels: given to the waits (restart sleep, limiter queue). */
  readonly cancel = new CallCancel()
  readonly startedAt: number
  private fired = false
  private readonly timer: ReturnType<typeof setTimeout>
  private readonly waits = new Map<string, number>()
  private aborted: Promise<never> | undefined
  private readonly onClient = (): void => this.cancel.abort(new DownstreamError("CANCELLED", `${this.method} was cancelled by the client`))

  constructor(
    private readonly clock: Clock,
    private readonly server: string,
    private readonly method: string,
    readonly budgetMs: number,
    private readonly client: AbortSource | undefined,
    startedAt?: number,
  ) {
    this.startedAt = startedAt ?? clock.now()
    if (client?.aborted) this.onClient()
    else if (client !== undefined) listenAbort(client, this.onClient)
    this.timer = setTimeout(() => {
      this.fired = true
      this.cancel.abort(this.timeoutError())
    }, Math.max(0, this.left()))
  }

  /** Milliseconds left (≤ 0 once past the deadline). */
  left(): number {
    return this.startedAt + this.budgetMs - this.clock.now()
  }

  get expired(): boolean {
    return this.fired || this.left() <= 0
  }

  /** Wait for `p`, but no longer than the deadline (or a client cancel); the time is booked under `what`. */
  async wait<T>(what: string, p: Promise<T>): Promise<T> {
    const t0 = this.clock.now()
    let booked = false
    // booked before a timeout's message is made: it says where the time went, this wait included
    const book = (): void => {
      if (!booked) this.book(what, this.clock.now() - t0)
      booked = true
    }
    try {
      return await Promise.race([p, (this.aborted ??= this.abortPromise())])
    } catch (e) {
      book()
      throw this.fired ? this.timeoutError() : e
    } finally {
      book()
    }
  }

  /** Book time spent in a wait the caller bounded itself (e.g. the limiter queue, aborted through `cancel`). */
  book(what: string, ms: number): void {
    if (ms >= 1) this.waits.set(what, (this.waits.get(what) ?? 0) + ms)
  }

  /** Time spent before the call was written, and on what (for the message of a later timeout). */
  spent(): { ms: number; note: string | undefined } {
    return { ms: this.clock.now() - this.startedAt, note: this.note() }
  }

  timeoutError(): DownstreamError {
    return notSentTimeout(this.server, this.method, this.clock.now() - this.startedAt, this.budgetMs, this.note(), this.waits)
  }

  /** The error to throw for an abort of `cancel`: the timeout, or the client's cancellation. */
  reason(e: unknown): unknown {
    return this.fired ? this.timeoutError() : (this.cancel.reason ?? e)
  }

  dispose(): void {
    clearTimeout(this.timer)
    if (this.client !== undefined) unlistenAbort(this.client, this.onClient)
  }

  private note(): string | undefined {
    const parts: string[] = []
    for (const [what, ms] of this.waits) {
      const n = waitNote(what, ms)
      if (n !== undefined) parts.push(n)
    }
    return parts.length ? parts.join(", ") : undefined
  }

  private abortPromise(): Promise<never> {
    const p = new Promise<never>((_, reject) => {
      if (this.cancel.aborted) reject(this.cancel.reason)
      else this.cancel.listen((why) => reject(why))
    })
    p.catch(() => {})
    return p
  }
}
