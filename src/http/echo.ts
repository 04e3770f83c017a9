/**
 * @module http/echo
 * A client-chosen value (a header, the path, a name or method from the body) quoted in an error
 * answer: at most ECHO_MAX characters, so what a client sent is never written back whole (a 16 KB
 * header, a body's 4 MB method name) and the answer stays readable; cut on a whole code point and
 * never inside a configured secret (core `cutText`).
 */
import { cutText } from "../core/index.ts"

/** Characters of a client's value an error answer repeats. */
export const ECHO_MAX = 200

/** `value` as it is, or its first ECHO_MAX characters and "…". */
export function clipped(value: string): string {
  return value.length > ECHO_MAX ? `${cutText(value, ECHO_MAX)}…` : value
}

/** `value` clipped and JSON-quoted (control characters escaped). */
export function shown(value: string): string {
  return JSON.stringify(clipped(value))
}
