/**
 * @module pool/deep-messages
 * The one depth bound on a downstream's own messages (its notifications and requests), applied at
 * every ingress: a stdio or legacy HTTP/SSE connection (pool/rpc) and a 2026-07-28 HTTP one (its
 * transport, before the SDK v2 Client reads it: pool/modern-result-check). Answers are bounded by
 * `resultProblem` (pool/rpc) on both. A message whose params nest deeper than any answer may is
 * dropped (a request answered -32600), warned about at the 1st, 10th, 100th…, before anything walks
 * or writes it. Before, a log message whose data nested 200,000 levels held the event loop 1.4 s
 * (JSON.stringify spends that before it overflows the stack), every server's calls waiting: a server
 * sending one a second stalled them all; over 2026-07-28 HTTP it was passed on unchecked.
 */
import { nestsDeeperThan, type Logger } from "../core/index.ts"

/**
 * Levels of arrays and objects an answer (or a server's message) may nest. No real one comes near;
 * past some 30 000 the writes of it (JSON.stringify for a client, a redaction, a script) held the
 * event loop for seconds and then overflowed the stack ("Maximum call stack size exceeded").
 */
export const MAX_RESULT_DEPTH = 10_000

type Id = string | number

/** Drops a downstream's messages nested too deep; `reply` sends a JSON-RPC error answer back to it. */
export class DeepMessages {
  private dropped = 0
  constructor(
    private readonly log: Logger,
    private readonly reply: (answer: { jsonrpc: "2.0"; id: Id; error: { code: number; message: string } }) => void,
  ) {}

  /** True when the message (`id` set: a request) nests too deep: it is dropped here, a request refused. */
  drops(id: unknown, method: string, params: unknown): boolean {
    if (!nestsDeeperThan(params, MAX_RESULT_DEPTH)) return false
    const why = `its params nest more than ${MAX_RESULT_DEPTH.toLocaleString("en")} levels of arrays and objects deep`
    if (typeof id === "string" || typeof id === "number") this.reply({ jsonrpc: "2.0", id, error: { code: -32600, message: `${method} refused: ${why}` } })
    const n = ++this.dropped
    if (Number.isInteger(Math.log10(n))) this.log.warn("downstream message dropped: nested too deep", { method, count: n, why, remedy: "Fix or update the server: no MCP message nests so deep." })
    return true
  }
}
