/**
 * @module proxy/request-logs
 * Downstream log messages for 2026-07-28 clients. Such a client gets no unsolicited notifications:
 * it asks for logs per request (`_meta` logLevel), and they come on that request's own stream. A
 * downstream's `notifications/message` goes to the modern requests in flight to that server whose
 * level lets it through (a modern downstream sends logs only while such a request asks for them).
 * At most LOGS_PER_SECOND per request, as a legacy client gets at most as many per connection
 * (mcp/server): beyond that they are dropped and counted in a warning.
 */
import { redact, SecondWindow, type Logger } from "../core/index.ts"
import { passes } from "./log-levels.ts"
import type { CallContext, DownstreamLogParams } from "./types.ts"

/** Log messages relayed to one request per second. */
export const LOGS_PER_SECOND = 100

export class RequestLogs {
  /** Per server, the modern requests in flight to it, each with its own share (core/second-window). */
  private readonly byServer = new Map<string, Map<CallContext, SecondWindow>>()

  constructor(private readonly log?: Logger) {}

  /** `ctx` (a modern request with a log level) is in flight to `server`; the returned function ends it. */
  track(server: string, ctx: CallContext): () => void {
    let set = this.byServer.get(server)
    if (!set) this.byServer.set(server, (set = new Map()))
    const w = new SecondWindow(LOGS_PER_SECOND, (dropped) => this.log?.warn("downstream log messages dropped", { server, dropped, limitPerSecond: LOGS_PER_SECOND }))
    set.set(ctx, w)
    return () => {
      w.flush()
      set.delete(ctx)
      if (set.size === 0 && this.byServer.get(server) === set) this.byServer.delete(server)
    }
  }

  forward(server: string, p: DownstreamLogParams): void {
    const set = this.byServer.get(server)
    if (!set) return
    let params: Record<string, unknown> | undefined
    const now = performance.now()
    for (const [ctx, w] of set) {
      const min = ctx.modern?.logLevel
      if (min === undefined || !passes(p.level, min)) continue
      if (!w.take(now)) continue
      params ??= { level: p.level, logger: p.logger ? `${server}/${p.logger}` : server, data: redact(p.data) }
      void ctx.notify({ method: "notifications/message", params }).catch(() => {})
    }
  }
}
