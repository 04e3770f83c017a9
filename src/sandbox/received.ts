/**
 * @module sandbox/received
 * What a sandbox worker sends back, cut to its bounds on the host: a worker cuts console lines and
 * fault texts only to their bound plus SECRET_CUT_MARGIN (it knows no configured secret), and the
 * final cut is made here with `cutText`, which never leaves the first fragment of a registered
 * secret (core/cut-text). Every receipt of a worker's line, fault or result goes through here, and
 * so each is also scrubbed here of the configured secrets re-encoded (another case, reversed, hex,
 * base64, base64url: core/secret-encodings): guest code may hold a secret (a tool call's arguments
 * carry what the model sent) and write it out in a form that no later redaction of the log line,
 * the error or the answer recognises.
 */
import { cutText, handedJson, holdsEncodedSecret, redactEncodings, redactEncodingsDeep, type Handed } from "../core/index.ts"
import { MAX_LOG_CHARS } from "./prelude.ts"
import { MAX_FAULT_MESSAGE_CHARS, MAX_FAULT_NAME_CHARS, MAX_FAULT_STACK_CHARS, type FaultInfo } from "./types.ts"

/** `text` cut to `max` characters (with "…" when cut), secret-safe. */
function bounded(text: string, max: number, mark: string, handed?: Handed): string {
  const t = redactEncodings(text, handed)
  return t.length > max ? cutText(t, max) + mark : t
}

/** A guest console line as logged: at most MAX_LOG_CHARS characters and "…" (`handed`: what the guest was given, core/secret-encodings). */
export function receivedLine(msg: string, handed?: Handed): string {
  const m = redactEncodings(msg, handed)
  return m.length > MAX_LOG_CHARS + 1 ? cutText(m, MAX_LOG_CHARS) + "…" : m
}

/**
 * A hook's result (JSON data, parsed) as received: every string in it, keys included, scrubbed of
 * re-encoded secrets. `json` is its text, tested first (nearly every result holds none: no walk);
 * `argsJson` the hook's arguments' text: what they held as it is, the hook handed on (core/secret-encodings `Handed`).
 */
export function receivedValue(value: unknown, json: string, argsJson?: string): unknown {
  return holdsEncodedSecret(json) ? redactEncodingsDeep(value, argsJson === undefined ? undefined : handedJson(argsJson)) : value
}

/** A fault from a worker with its message, stack and error name cut to their bounds. */
export function receivedFault<T extends Omit<FaultInfo, "kind">>(f: T, handed?: Handed): T {
  const out = { ...f, message: bounded(f.message, MAX_FAULT_MESSAGE_CHARS, "…", handed) }
  if (typeof f.stack === "string") out.stack = bounded(f.stack, MAX_FAULT_STACK_CHARS, "", handed)
  if (typeof f.errorName === "string") out.errorName = bounded(f.errorName, MAX_FAULT_NAME_CHARS, "", handed)
  return out
}
