/**
 * @module proxy/revalidate
 * Stored tool lists older than their TTL, of servers nobody has started yet, are checked again
 * in the background: without it a lazy server's stored list is served at every start, and kept,
 * for as long as no call reaches that server (Cursor never re-lists, so a stale first answer lasts
 * a session, and the next start answers from it again). After a delay (the start is over by then)
 * each such server is started, listed and closed again, a few at a time; a server a client has
 * started meanwhile is left to its own session, whose start re-lists it anyway.
 */
import { errorMessage, type Logger } from "../core/index.ts"
import { isAbandoned } from "../pool/index.ts"

/** Past the start: a client that only wanted the first answer has it, and may be gone already. */
export const REVALIDATE_DELAY_MS = 3_000
/** Servers checked at once (each is a process start). */
export const REVALIDATE_CONCURRENCY = 2

export interface RevalidateOptions {
  delayMs?: number
  concurrency?: number
}

export class StaleListQueue {
  private readonly queue: string[] = []
  private timer: ReturnType<typeof setTimeout> | undefined
  private due = false
  private running = 0
  private stopped = false
  private readonly delayMs: number
  private readonly concurrency: number

  constructor(
    /** Starts, lists and closes one server again (resolves when done; failures are logged here). */
    private readonly revalidate: (server: string) => Promise<void>,
    private readonly log: Logger,
    opts: RevalidateOptions = {},
  ) {
    this.delayMs = opts.delayMs ?? REVALIDATE_DELAY_MS
    this.concurrency = Math.max(1, opts.concurrency ?? REVALIDATE_CONCURRENCY)
  }

  /** Check `server`'s stored list once the delay (counted from the first one added) is over. */
  add(server: string): void {
    if (this.stopped || this.queue.includes(server)) return
    this.queue.push(server)
    if (this.due) return this.pump()
    // never holds the process: a session that ends before the delay checks nothing
    this.timer ??= setTimeout(() => {
      this.due = true
      this.pump()
    }, this.delayMs).unref()
  }

  stop(): void {
    this.stopped = true
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.queue.length = 0
  }

  private pump(): void {
    while (!this.stopped && this.running < this.concurrency && this.queue.length > 0) {
      const server = this.queue.shift()!
      this.running++
      this.revalidate(server)
        // stopped meanwhile (shutdown), or a start the shutdown cut short: no failure of the server
        .catch((e: unknown) => {
          if (this.stopped || isAbandoned(e)) this.log.debug("checking a stored tool list ended unanswered", { server, error: errorMessage(e) })
          else this.log.warn("checking a stored tool list failed", { server, error: errorMessage(e) })
        })
        .finally(() => {
          this.running--
          this.pump()
        })
    }
  }
}
