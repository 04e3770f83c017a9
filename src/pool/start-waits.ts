/**
 * @module pool/start-waits
 * How long a client's request waits for its server's start, and what it is told when it does not.
 * A client gives up on a request after 60 s (Cursor's request timeout, the MCP SDK's default):
 * a call still waiting for a start then (a `connectTimeout` of 90 s for a slow `npx`, a call budget
 * of 60 s counted from its arrival) is answered before that with what is going on, not left to the
 * client's bare timeout. And a server whose last start hung (no answer within its connect budget)
 * is not waited for again: each later call would spend a whole new wait on a restart that most
 * likely hangs too; it fails at once saying so, while the restarts go on with backoff.
 */
import { DownstreamError } from "../core/index.ts"
import { seconds } from "./deadline.ts"

/** The longest a client's request waits for its server's start (a client times out at 60 s; the answer must be there first). */
export const CLIENT_WAIT_CAP_MS = 55_000

/** The connect budget's setting, for messages: `servers.x.connectTimeout` or `pool.connectTimeout`. */
export interface ConnectBudget {
  ms: number
  key: string
}

/** A call cut at CLIENT_WAIT_CAP_MS while its server's start is still under way: nothing was sent. */
export function stillStartingError(server: string, method: string, waitedMs: number, budget: ConnectBudget): DownstreamError {
  return new DownstreamError(
    "SERVER_UNAVAILABLE",
    `server ${server} is still starting: this ${method} waited ${seconds(Math.round(waitedMs))} for it (its start may take up to ${budget.key}, ${seconds(budget.ms)}); it was not sent, and is answered now rather than after a client's request timeout (60 s in Cursor and the MCP SDK)`,
    {
      remedy: `Call again shortly: the start goes on by itself (orchestrator_status shows when server ${server} is ready). If its starts are always this slow, list it under \`warm:\` so it starts with the orchestrator; if it never gets ready, run its command by hand (or check its url) to see why.`,
      details: { server, method, waitedMs: Math.round(waitedMs), connectTimeoutMs: budget.ms },
    },
  )
}

/**
 * A call arriving while the start an earlier call already waited CLIENT_WAIT_CAP_MS for is still
 * under way: answered at once (another full wait would most likely end the same way), nothing sent.
 * `sinceMs`: how long the start has been under way; `earlier`: what the earlier call waited.
 */
export function stillStartingAgainError(server: string, method: string, sinceMs: number, earlier: { method: string; waitedMs: number }, budget: ConnectBudget): DownstreamError {
  return new DownstreamError(
    "SERVER_UNAVAILABLE",
    `server ${server} is still starting since ${seconds(Math.round(sinceMs))} ago: an earlier ${earlier.method} already waited ${seconds(Math.round(earlier.waitedMs))} for this same start (which may take up to ${budget.key}, ${seconds(budget.ms)}); this ${method} was not sent, and is answered at once rather than held for another wait`,
    {
      remedy: `Call again once orchestrator_status shows server ${server} ready: the start goes on by itself. If its starts are always this slow, list it under \`warm:\` so it starts with the orchestrator; if it never gets ready, run its command by hand (or check its url) to see why.`,
      details: { server, method, startingForMs: Math.round(sinceMs), earlierWaitMs: Math.round(earlier.waitedMs), connectTimeoutMs: budget.ms },
    },
  )
}

/** What a start that hung (its connect budget ran out) is remembered as, for the fast failures after it. */
export interface HungStart {
  /** Why it failed, without "server x failed to start: " (first line). */
  why: string
}

/**
 * A call arriving while the server is restarted after a start that hung: failed at once, nothing sent.
 * `next`: "a start is under way now, for 1.2 s so far, up to 5 s" or "next attempt in 2.3 s".
 */
export function hungStartError(server: string, method: string, hung: HungStart, next: string, budget: ConnectBudget, remote: boolean): DownstreamError {
  const look = remote ? "check what the server answers at its url" : "run its command by hand to see why it does not answer (a prompt waiting for input, a download, a lock held by another instance)"
  return new DownstreamError(
    "SERVER_UNAVAILABLE",
    `server ${server} hung at its last start: ${hung.why}; it is restarted in the background with backoff (${next}); this ${method} was not sent: it is not held for a start that is likely to hang again`,
    {
      remedy: `Call again once orchestrator_status shows server ${server} ready: its restarts go on by themselves. If it keeps hanging, ${look}; if its starts are only slow, raise ${budget.key}.`,
      details: { server, method, hungAtStart: true, connectTimeoutMs: budget.ms },
    },
  )
}
