/**
 * @module pool/unsent-answer
 * The client's answer to a server's relayed request (roots/list, sampling, elicitation) that cannot
 * be written back to that server: over the stdio frame limit (pool.maxRequestBytes), a POST the
 * server refused, a write that failed. It was dropped silently (`.catch(() => {})`): the server,
 * which asked, waited for its own timeout, and nothing said why. Now the server gets a JSON-RPC
 * error answer naming why (sizes and codes, never the answer's content), and the log says so.
 */
import { DownstreamError, errorMessage, type Logger } from "../core/index.ts"

/** JSON-RPC internal error: the answer exists, but could not be delivered. */
const UNSENT_CODE = -32603

/** The error answer sent instead of the client's answer to `method` (`e`: why it could not be written). */
export function unsentAnswer(id: string | number, method: string, e: unknown, log: Logger): Record<string, unknown> {
  const why = unsentWhy(e)
  log.warn("the client's answer to a server's request could not be sent to the server; it got an error answer instead", {
    method,
    error: why,
    ...(e instanceof DownstreamError && e.remedy ? { remedy: e.remedy } : {}),
  })
  return { jsonrpc: "2.0", id, error: { code: UNSENT_CODE, message: `the client's answer to ${method} could not be sent to this server: ${why}` } }
}

/** Why, in words with sizes only: the oversize refusal of pool/stdio-transport names a request (it is worded for one), so an answer's is its own. */
function unsentWhy(e: unknown): string {
  if (e instanceof DownstreamError && e.code === "REQUEST_TOO_LARGE") {
    const bytes = Number(e.details?.bytes)
    const limit = Number(e.details?.maxRequestBytes)
    return `it is ${mib(bytes)} of JSON, over pool.maxRequestBytes (${mib(limit)}), the most written to a stdio server in one message`
  }
  return errorMessage(e)
}

function mib(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`
}
