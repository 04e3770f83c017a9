/**
 * @module pool/stream-only
 * A request that failed because only its own Streamable HTTP response stream ended (no answer, a
 * resumption refused: `request-streams.ts`), not because the connection was lost.
 */
import type { DownstreamError } from "../core/index.ts"

/**
 * `details` key of a request's failure when only its own response stream ended (no answer, a
 * resumption refused): the connection is not lost. A session dropped for it took the calls in flight on
 * it with it, and a few cut streams of one tool (a proxy cutting long answers) put every tool of the
 * server into backoff; a server that really went down fails the next request on the wire instead.
 */
export const STREAM_ONLY = "streamOnly"

/** Did only the response stream of one request end (`e` from `ended`), the connection being fine? */
export function onlyItsStream(e: DownstreamError): boolean {
  return e.details?.[STREAM_ONLY] === true
}
