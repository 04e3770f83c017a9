/**
 * @module pool/hold-off
 * A remote server that answered a live request with 429 (or another refusal that keeps the session,
 * with `Retry-After`) is left alone for a while: the session holds its next calls until then, so a
 * model retrying at once does not hammer a server that said "not now". Before, only that request
 * failed and the next calls went straight to the server. Bounded (RETRY_AFTER_MAX_MS); per server.
 */
import { DownstreamError } from "../core/index.ts"
import { seconds } from "./deadline.ts"
import { RETRY_AFTER_MAX_MS } from "./retry-after.ts"

/**
 * How long `e` asks its server to be left alone: its `Retry-After` (`details.retryAfterMs`, capped)
 * on an answer that kept the session (BAD_RESPONSE: a 429; a 503 drops the session, and its restart
 * waits instead), else `fallbackMs` for a 429 without one; 0 when it asks nothing.
 */
export function holdOffMs(e: DownstreamError, fallbackMs: number): number {
  if (e.code !== "BAD_RESPONSE") return 0
  const asked = e.details?.retryAfterMs
  if (typeof asked === "number" && asked > 0) return Math.min(asked, RETRY_AFTER_MAX_MS)
  return e.details?.status === 429 ? Math.min(Math.max(0, fallbackMs), RETRY_AFTER_MAX_MS) : 0
}

/** The error of a call held off past its budget: names the server, what it answered, and when to call again. */
export function heldOffError(server: string, leftMs: number, budgetMs: number, why: DownstreamError): DownstreamError {
  const status = typeof why.details?.status === "number" ? `HTTP ${why.details.status}` : "a refusal"
  return new DownstreamError("RATE_LIMITED", `server ${server} answered ${status} and asked to be left alone: its calls are held off for ${seconds(leftMs)} more, past this call's ${seconds(budgetMs)} budget; nothing was sent`, {
    remedy: `Call a tool of ${server} again in ${seconds(leftMs)} (orchestrator_status shows when), or call it less often; other servers are not affected.`,
    details: { server, retryInMs: Math.round(leftMs), lastError: why.message },
  })
}
