/**
 * @module http/gone
 * An HTTP client that went away (connection closed, stream cancelled, a resumable stream not resumed
 * within its grace) before its requests were answered: those requests were cancelled downstream and
 * nothing was written for them. Said once per POST that ended so, at info, naming the session (a
 * legacy one), how many and their methods: without it, a client that died mid-call left no trace but a
 * tool call logged as failed. At most `PER_SECOND` lines a second per endpoint; the rest are counted
 * in one line (a client opening and dropping requests in a loop does not flood the log).
 */
import { SecondWindow, type Logger } from "../core/index.ts"
import type { Id } from "./reply.ts"

const PER_SECOND = 5

export class ClientGone {
  private readonly window: SecondWindow

  constructor(private readonly log: Logger) {
    this.window = new SecondWindow(PER_SECOND, (n) => log.info("more http clients disconnected with requests in flight (cancelled downstream; not logged one by one)", { disconnects: n }))
  }

  /** The client of one POST went away with `pending` unanswered (`requests`: what the POST carried). */
  said(pending: readonly Id[], requests: readonly { id?: Id | null; method?: string }[], session?: string): void {
    if (pending.length === 0 || !this.window.take()) return
    const methods = [...new Set(pending.map((id) => String(requests.find((r) => r.id === id)?.method ?? "?")))].slice(0, 5)
    this.log.info("http client disconnected with requests in flight: cancelled downstream, not answered", {
      ...(session !== undefined ? { session: session.slice(0, 8) } : {}),
      cancelled: pending.length,
      methods,
    })
  }

  /** Says how many were not logged one by one, if any. */
  flush(): void {
    this.window.flush()
  }
}
