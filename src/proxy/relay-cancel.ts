/**
 * @module proxy/relay-cancel
 * A downstream's question relayed to the client of the call it serves ends with that call: when the
 * client cancels the call (or its connection goes), the question is withdrawn too (the client gets
 * `notifications/cancelled` for it, the server an error answer). A server's SDK rarely ties its own
 * `elicitation/create` to the tool call it is serving, so before, the client's dialog (or model run)
 * stayed open for the server's whole timeout after the user had cancelled, and an answer given there
 * went nowhere. The same when the call ends without its answer (timed out, failed, its server's
 * connection lost), and when it ends WITH its answer while its question is still open (a server
 * that asked and then answered the call without waiting: qa354, before, only a call's failure or
 * cancel withdrew it, and a question of a call already answered stayed open at the client for the
 * server's whole timeout): nobody waits for what the question would give.
 */
import { isOrchestratorError, listenAbort, unlistenAbort, type AbortSource, type CallCancel } from "../core/index.ts"

/** How a relayed question is tied to the call it was asked for (`untilCallEnds`). */
export interface CallTie {
  /** The call's cancellation (the client cancelled it, or its connection went). */
  call: AbortSource
  /** The call's client has disconnected (its cancellation is then no cancel of the user's: worded so). */
  gone?: () => boolean
  /** This attempt's end: without its answer (our timeout, an error, the server's connection lost), or with it (`CallAnswered`). */
  ended?: CallCancel
  /** No call is in flight at that server any more (always, for a question known to be its call's: proxy `relayRequest`). */
  alone: () => boolean
  /** `fn` each time the server's last call in flight ends; returns what stops it (pool/limiter `onIdle`). */
  onIdle?: (fn: () => void) => () => void
}

/**
 * A signal that aborts with the downstream's own `signal` (it cancelled its request, or exited), or
 * when the call `tie.call` is cancelled, or `tie.ended` (the call ended without its answer: our
 * timeout, an error, the connection to the server lost: qa338, before, the question stayed open at
 * the client for the server's own timeout after the call had failed), once `alone()` says no call is
 * in flight at that server any more (a stdio server's question names no call: with others in flight
 * it may be theirs, and stays until the last of them ends: qa341, before, the decision was taken
 * only when the call itself ended, and a question left open for a call beside it stayed open after
 * that call ended too); `done` detaches from the call once the relayed request has settled.
 */
export function untilCallEnds(signal: AbortSignal, method: string, tool: string | undefined, tie: CallTie): { signal: AbortSignal; done: () => void } {
  const { call, gone, ended, alone, onIdle } = tie
  const c = new AbortController()
  const of = tool !== undefined ? ` (tools/call of ${tool})` : ""
  /** Why it is to be withdrawn once no call is left: set when its call is cancelled or ends without its answer. */
  let why: string | undefined
  let stopIdle: (() => void) | undefined
  const decide = (): void => {
    if (why === undefined || c.signal.aborted) return
    if (alone()) {
      stopIdle?.()
      stopIdle = undefined
      c.abort(why)
    } else stopIdle ??= onIdle?.(() => void setImmediate(decide))
  }
  const onServer = (): void => c.abort(signal.reason)
  // checked a turn later, once the cancelled call has given back its place among the server's calls in flight
  const onCall = (): void => {
    why ??= `${method} withdrawn: ${gone?.() === true ? clientGone(tool) : `the client cancelled the call it was asked for${of}`}`
    setImmediate(decide)
  }
  const onEnded = (): void => {
    why ??= `${method} withdrawn: the call it was asked for${of} ${callEndedWords(ended?.reason)}`
    // decided now, before the call's answer (or error) goes out, so the client hears of it on the
    // call's own stream (over HTTP a client with no GET stream has no other: qa354; before, a turn
    // later, after that stream had closed); the server's slot is free by then
    decide()
  }
  if (signal.aborted) onServer()
  else if (call.aborted) onCall()
  else if (ended?.aborted === true) onEnded()
  if (c.signal.aborted) return { signal: c.signal, done: () => {} }
  signal.addEventListener("abort", onServer, { once: true })
  if (!call.aborted) listenAbort(call, onCall)
  if (ended !== undefined && !ended.aborted) ended.listen(onEnded)
  return {
    signal: c.signal,
    done: () => {
      signal.removeEventListener("abort", onServer)
      unlistenAbort(call, onCall)
      ended?.unlisten(onEnded)
      stopIdle?.()
      stopIdle = undefined
      // a decision a turn away finds nothing to do
      why = undefined
    },
  }
}

/** The mark of a call's attempt that ended with its answer (a result, a tool error too): its open questions go. */
export class CallAnswered extends Error {
  constructor() {
    super("the call was answered")
    this.name = "CallAnswered"
  }
}

/** "ended with its answer", or "ended without its answer (it timed out)": how the call of a withdrawn question ended. */
export function callEndedWords(reason: Error | undefined): string {
  return reason instanceof CallAnswered ? "has already ended with its answer" : `ended without its answer (${endedWhy(reason)})`
}

/** "the client that made the call it was asked for (tools/call of X) has disconnected". */
export function clientGone(tool: string | undefined): string {
  return `the client that made the call it was asked for${tool !== undefined ? ` (tools/call of ${tool})` : ""} has disconnected`
}

/**
 * Why the call ended, in a few words: never the error's own text (a downstream's error message may
 * carry what it printed; this goes to the client and to the server).
 */
function endedWhy(reason: Error | undefined): string {
  const code = isOrchestratorError(reason) ? reason.code : undefined
  if (code === "TIMEOUT") return "it timed out"
  if (code === "CANCELLED") return "it was cancelled"
  return code !== undefined ? `it failed: ${code}` : "it failed"
}
