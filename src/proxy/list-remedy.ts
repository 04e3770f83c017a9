/**
 * @module proxy/list-remedy
 * What to do about a listing that failed on its answer (an error, no list, over
 * pool.maxFrameBytes or the large-result budget, cut short), worded for a listing rather than a tool
 * call ("ask the tool for less data" fits no listing): orchestrator_status (proxy/list-retry) and
 * `doctor` (cli/doctor-start) say the same.
 */
import { DownstreamError } from "../core/index.ts"
import { RpcError } from "../pool/index.ts"

/** The remedy for `err`; `then`: what happens next, appended ("the listing is tried again …"). */
export function listRemedy(method: string, err: unknown, then?: string): string {
  const next = then ? `; ${then}.` : "."
  if (err instanceof RpcError) return `The server refused ${method} with its own error: check its configuration and credentials (its stderr is in the log)${next}`
  const code = err instanceof DownstreamError ? err.code : undefined
  if (code === "FRAME_TOO_LARGE") return `Its ${method} answer is over pool.maxFrameBytes: raise pool.maxFrameBytes in the config (or have the server list fewer or shorter items)${next}`
  if (code === "RESULTS_OVER_BUDGET") return `Its ${method} answer came while other large results were in flight: raise pool.maxResultBytesInFlight if this keeps happening${next}`
  return `Its ${method} answer is no valid list (or no readable JSON-RPC answer): fix or update the server${next}`
}
