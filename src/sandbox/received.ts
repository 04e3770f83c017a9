/**
 * @module sandbox/received
 * What a sandbox worker sends back, cut to its bounds on the host: a worker cuts console lines and
 * fault texts only to their bound plus SECRET_CUT_MARGIN (it knows no configured secret), and the
 * final cut is made here with `cutText`, which never leaves the first fragment of a registered
 * secret (core/cut-text). Every receipt of a worker's line or fault goes through here.
 */
import { cutText } from "../core/index.ts"
import { MAX_LOG_CHARS } from "./prelude.ts"
import { MAX_FAULT_MESSAGE_CHARS, MAX_FAULT_NAME_CHARS, MAX_FAULT_STACK_CHARS, type FaultInfo } from "./types.ts"

/** `text` cut to `max` characters (with "…" when cut), secret-safe. */
function bounded(text: string, max: number, mark: string): string {
  return text.length > max ? cutText(text, max) + mark : text
}

/** A guest console line as logged: at most MAX_LOG_CHARS characters and "…". */
export function receivedLine(msg: string): string {
  return msg.length > MAX_LOG_CHARS + 1 ? cutText(msg, MAX_LOG_CHARS) + "…" : msg
}

/** A fault from a worker with its message, stack and error name cut to their bounds. */
export function receivedFault<T extends Omit<FaultInfo, "kind">>(f: T): T {
  const out = { ...f, message: bounded(f.message, MAX_FAULT_MESSAGE_CHARS, "…") }
  if (typeof f.stack === "string") out.stack = bounded(f.stack, MAX_FAULT_STACK_CHARS, "")
  if (typeof f.errorName === "string") out.errorName = bounded(f.errorName, MAX_FAULT_NAME_CHARS, "")
  return out
}
