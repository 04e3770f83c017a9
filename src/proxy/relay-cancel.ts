/**
 * @module proxy/relay-cancel
 * A downstream's question relayed to the client of the call it serves ends with that call: when the
 * client cancels the call (or its connection goes), the question is withdrawn too (the client gets
 * `notifications/cancelled` for it, the server an error answer). A server's SDK rarely ties its own
 * `elicitation/create` to the tool call it is serving, so before, the client's dialog (or model run)
 * stayed open for the server's whole timeout after the user had cancelled, and an answer given there
 * went nowhere.
 */
import { listenAbort, unlistenAbort, type AbortSource } from "../core/index.ts"

/**
 * A signal that aborts with the downstream's own `signal` (it cancelled its request, or exited) or
 * when the call `call` is cancelled and `alone()` then says no call is in flight at that server any
 * more (a stdio server's question names no call: with others in flight it may be theirs, and stays);
 * `done` detaches from the call once the relayed request has settled.
 */
export function untilCallEnds(signal: AbortSignal, call: AbortSource, method: string, tool: string | undefined, alone: () => boolean): { signal: AbortSignal; done: () => void } {
  const c = new AbortController()
  const why = `${method} withdrawn: the client cancelled the call it was asked for${tool !== undefined ? ` (tools/call of ${tool})` : ""}`
  const onServer = (): void => c.abort(signal.reason)
  // checked a turn later, once the cancelled call has given back its place among the server's calls in flight
  const onCall = (): void => void setImmediate(() => alone() && c.abort(why))
  if (signal.aborted) onServer()
  else if (call.aborted) onCall()
  if (c.signal.aborted) return { signal: c.signal, done: () => {} }
  signal.addEventListener("abort", onServer, { once: true })
  listenAbort(call, onCall)
  return {
    signal: c.signal,
    done: () => {
      signal.removeEventListener("abort", onServer)
      unlistenAbort(call, onCall)
    },
  }
}
