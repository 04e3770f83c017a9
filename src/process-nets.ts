/**
 * @module process-nets
 * The last nets of the process, installed by main.ts before anything else runs, for every command:
 * an error nothing caught becomes one redacted JSON log line (core/unhandled), not the runtime's
 * own dump of it (source lines of the binary, stack, the whole `cause` chain: a downstream's error
 * may quote a configured secret).
 * - A promise rejection nothing handled: the line, and the process goes on (it belonged to one
 *   request or background task).
 * - An exception thrown in a callback (a timer, an event handler) nothing caught: before, the
 *   runtime printed it and ended the process with exit 1 — for `serve`, the client's whole MCP
 *   session with every downstream it had started, over one request's bug. `serve` now says it and
 *   goes on (what that callback was doing is lost; each request still has its deadline, and stdin
 *   EOF, a signal or the parent's exit still stop it), unless they keep coming: more than
 *   UNCAUGHT_BURST in 10 s is a broken process, which ends with exit 1. Any other command ends with
 *   exit 1 after the line, as before: a one-shot command must not be left waiting on what the
 *   exception cut short.
 * Imports nothing at its top (core is loaded only when a net catches something: not on the start path).
 */
export function installProcessNets(serving: boolean, exit: (code: number) => void = (code) => process.exit(code)): void {
  process.on("unhandledRejection", (reason) => void import("./core/index.ts").then((m) => m.reportUnhandled(reason)))
  // a callback that throws each time it runs (a timer, a stream's handler) is a broken process, not
  // one request's bug: past UNCAUGHT_BURST within UNCAUGHT_WINDOW_MS even `serve` ends (exit 1), so
  // the client sees it gone and can start it again, rather than a process spinning on errors
  const recent: number[] = []
  process.on("uncaughtException", (error) => {
    const now = performance.now()
    recent.push(now)
    while (recent.length > 0 && now - recent[0]! > UNCAUGHT_WINDOW_MS) recent.shift()
    const goesOn = serving && recent.length <= UNCAUGHT_BURST
    if (!goesOn && recent.length > UNCAUGHT_BURST + 1) return // said once; the exit is on its way
    void import("./core/index.ts")
      .then((m) => m.reportUncaught(error, goesOn))
      .catch(() => {})
      .then(() => {
        if (!goesOn) exit(1)
      })
  })
}

/** More uncaught exceptions than this within UNCAUGHT_WINDOW_MS end even `serve`. */
export const UNCAUGHT_BURST = 20
const UNCAUGHT_WINDOW_MS = 10_000
