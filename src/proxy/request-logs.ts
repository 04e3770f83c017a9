/**
 * @module proxy/request-logs
 * Downstream log messages for 2026-07-28 clients. Such a client gets no unsolicited notifications:
 * it asks for logs per request (`_meta` logLevel), and they come on that request's own stream. A
 * downstream's `notifications/message` goes to the modern requests in flight to that server whose
 * level lets it through (a modern downstream sends logs only while such a request asks for them).
 */
import { redact } from "../core/index.ts"
import { passes } from "./log-levels.ts"
import type { CallContext, DownstreamLogParams } from "./types.ts"

export class RequestLogs {
  private readonly byServer = new Map<string, Set<CallContext>>()

  /** `ctx` (a modern request with a log level) is in flight to `server`; the returned function ends it. */
  track(server: string, ctx: CallContext): () => void {
    let set = this.byServer.get(server)
    if (!set) this.byServer.set(server, (set = new Set()))
    set.add(ctx)
    return () => {
      set.delete(ctx)
      if (set.size === 0 && this.byServer.get(server) === set) this.byServer.delete(server)
    }
  }

  forward(server: string, p: DownstreamLogParams): void {
    const set = this.byServer.get(server)
    if (!set) return
    const params = { level: p.level, logger: p.logger ? `${server}/${p.logger}` : server, data: redact(p.data) }
    for (const ctx of set) {
      const min = ctx.modern?.logLevel
      if (min !== undefined && passes(p.level, min)) void ctx.notify({ method: "notifications/message", params }).catch(() => {})
    }
  }
}
