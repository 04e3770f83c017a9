/**
 * @module pool/answer-cap
 * The answer of a request that takes less than `pool.maxFrameBytes` (`RequestOptions.maxAnswerBytes`:
 * a run_code script's call, whose sandbox cannot take in more than codeMode.memory) is dropped unread
 * as it comes, once it passes that size: before, a downstream's 50 MB result was read whole, parsed
 * and written again as JSON on the orchestrator's main thread, only to be refused at the sandbox's door.
 */
import { DownstreamError, mib, responseOwner } from "../core/index.ts"
import type { RpcConnection } from "./rpc.ts"

type Cap = NonNullable<ReturnType<RpcConnection["answerCap"]>>

/** Who knows the requests in flight and their caps: the connection, or a legacy SSE stream's watches (pool/request-streams). */
export interface Caps {
  pendingIds(): readonly (string | number)[]
  answerCap(id: string | number): Cap | undefined
}

/**
 * The cap of the frame beginning with `head`: that of the request it answers (its id written first,
 * or the one request in flight); for an answer in the SDK's layout (`{"result":…`, its id at its
 * end) while several are in flight, the largest cap when every one has a cap (it answers one of
 * them), else none.
 */
export function answerCapOf(conn: Caps, head: string): Cap | undefined {
  const ids = conn.pendingIds()
  const owner = responseOwner(head, ids)
  if (owner !== undefined) return conn.answerCap(owner)
  if (ids.length < 2 || !/^\s*\{\s*"(?:result|error)"\s*:/.test(head)) return undefined
  let largest: Cap | undefined
  for (const id of ids) {
    const cap = conn.answerCap(id)
    if (cap === undefined) return undefined
    if (largest === undefined || cap.bytes > largest.bytes) largest = cap
  }
  return largest
}

/** The failure of a request whose answer passed its cap (`ended`: read to its end, `bytes` in all; else so far). */
export function overCapError(server: string, cap: Cap, bytes: number, ended: boolean): DownstreamError {
  const what = cap.tool !== undefined && cap.method === "tools/call" ? `tool ${cap.tool}` : cap.method
  return new DownstreamError("FRAME_TOO_LARGE", `server ${server} answered ${what} with ${ended ? "" : "more than "}${mib(bytes)}, over the ${mib(cap.bytes)} its caller can take in; it was dropped unread`, {
    remedy: "Ask the tool for less data (a page, a range, a filter).",
    details: { method: cap.method, bytes, ended, limit: cap.bytes, answerCap: true, ...(cap.tool !== undefined ? { tool: cap.tool } : {}) },
  })
}
