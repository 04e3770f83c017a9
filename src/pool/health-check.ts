/**
 * @module pool/health-check
 * The health check of an idle connection, whatever its transport (pool/rpc: stdio in both eras,
 * legacy Streamable HTTP and SSE; pool/modern-http: 2026-07-28 Streamable HTTP, one rule for all):
 * `ping` (legacy) or `server/discover` (2026-07-28). Any answer proves the server alive, an error
 * too. So does any message of the server while the check waits (a request of its own, a
 * notification, an answer to another request): a server that pings us, or logs, but never answers
 * our ping was restarted at each check (every 40 s while idle, its state lost, "health check failed"
 * each time) though it plainly ran. Such a check passes, said once per connection; a server silent
 * throughout still fails it (it may be hung).
 */
import { DownstreamError, type Logger } from "../core/index.ts"
import { RpcError } from "./rpc.ts"

/** A connection that counts the messages it received (pool/rpc, pool/modern-http). */
export interface HeardCount {
  /** Messages received of any kind: answers, the server's own requests and notifications. */
  readonly received: number
}

export function healthCheck(conn: HeardCount, ask: () => Promise<unknown>, log: Logger, said: { unanswered?: boolean }): Promise<unknown> {
  const before = conn.received
  return ask().catch((e: unknown) => {
    // answered with an error: it read the check and answered
    if (e instanceof RpcError) return undefined
    const meanwhile = conn.received - before
    if (!(e instanceof DownstreamError && e.code === "TIMEOUT") || meanwhile === 0) throw e
    if (!said.unanswered) {
      said.unanswered = true
      log.warn("downstream did not answer a health check, but sent other messages meanwhile: it runs, so it is not restarted", {
        messages: meanwhile,
        error: e.message,
        remedy: "Fix or update the server: MCP servers must answer ping (2026-07-28: server/discover).",
      })
    }
    return undefined
  })
}
