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
 *   EOF, a signal or the parent's exit still stop it). Any other command ends with exit 1 after the
 *   line, as before: a one-shot command must not be left waiting on what the exception cut short.
 * Imports nothing at its top (core is loaded only when a net catches something: not on the start path).
 */
export function installProcessNets(serving: boolean, exit: (code: number) => void = (code) => process.exit(code)): void {
  process.on("unhandledRejection", (reason) => void import("./core/index.ts").then((m) => m.reportUnhandled(reason)))
  process.on("uncaughtException", (error) => {
    void import("./core/index.ts")
      .then((m) => m.reportUncaught(error, serving))
      .catch(() => {})
      .then(() => {
        if (!serving) exit(1)
      })
  })
}
