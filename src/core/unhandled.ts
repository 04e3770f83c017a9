/**
 * @module core/unhandled
 * The last net for a promise rejection nothing handled (a bug: every path should catch its own).
 * Without it the runtime prints the error itself on stderr — source lines of the binary, stack and
 * the whole `cause` chain, where a downstream's error may quote a configured secret — and a hostile
 * downstream could provoke that at will. Here it becomes one redacted JSON log line, and the
 * process goes on (the rejection belonged to one request or background task, not to the process).
 */
import { errorMessage } from "./errors.ts"
import { redactString } from "./redact.ts"
import { writeStderr } from "./stderr-out.ts"

export function reportUnhandled(reason: unknown): void {
  const line = {
    ts: new Date().toISOString(),
    level: "error",
    component: "process",
    msg: "unhandled promise rejection (a bug: please report it); the process goes on",
    error: redactString(errorMessage(reason)).slice(0, 2000),
  }
  writeStderr(JSON.stringify(line) + "\n")
}

/**
 * An exception thrown in a callback that nothing caught (main.ts, process-nets): one redacted JSON
 * line; `goesOn` says whether the process serves on (`serve`) or ends (any other command).
 */
export function reportUncaught(error: unknown, goesOn: boolean): void {
  const line = {
    ts: new Date().toISOString(),
    level: "error",
    component: "process",
    msg: goesOn ? "uncaught exception (a bug: please report it); the process goes on" : "uncaught exception (a bug: please report it); exiting",
    error: redactString(errorMessage(error)).slice(0, 2000),
  }
  writeStderr(JSON.stringify(line) + "\n")
}
