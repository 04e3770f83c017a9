/**
 * @module pool/modern-server-requests
 * A server→client request (elicitation, sampling, roots…) from a server spoken to in the 2026-07-28
 * era, which has none: input is asked through `input_required` (MRTR). Refused with "method not
 * found" at once, never relayed to a client (a legacy client would be asked outside the era's MRTR
 * rounds and their checks), warned once per connection. On stdio (pool/connect) and on HTTP, where
 * the SDK v2 Client dropped such a request without an answer (pool/modern-result-check): a server
 * waiting for it held its call until the call's timeout.
 */
import type { Logger } from "../core/index.ts"

export class ModernRequestRefusal {
  private warned = false
  constructor(private readonly log: Logger) {}

  /** The JSON-RPC error `method` is answered with (the first one of a connection warned about). */
  refuse(method: string): { code: number; message: string } {
    if (!this.warned) {
      this.warned = true
      this.log.warn("server request refused: the server speaks MCP 2026-07-28, which has no server→client requests", {
        method: method.slice(0, 100),
        remedy: "Fix or update the server: in 2026-07-28 it asks for input with an input_required result (MRTR).",
      })
    }
    return { code: -32601, message: `${method.slice(0, 100)} is not available: MCP 2026-07-28 has no server→client requests; answer input_required to ask for input` }
  }
}
