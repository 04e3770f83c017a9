/**
 * @module core/quote-name
 * A name (a tool, prompt, server, resource URI) that a client or a downstream sent, as an error
 * message echoes it: in double quotes (an empty name shows as `""`, not as nothing), at most `max`
 * characters (cut on a whole code point, never inside a secret: core/cut-text, then "…"), with every
 * character that could act or hide escaped as `\uXXXX` (core/unsafe-text: C0 and C1 controls, bidi
 * controls, invisible format characters, the line and paragraph separators); still a JSON string.
 * `shownName` leaves a plain name bare (the characters of a tool name, SEP-986, and of a URI without
 * spaces or quotes: nothing in it can act, hide or be mistaken for the text around it), so the usual
 * `Unknown tool: a__b (…)` reads as before; anything else (empty, spaces, quotes, controls) is quoted.
 */
import { cutText } from "./cut-text.ts"
import { escapeUnsafeJson } from "./unsafe-text.ts"

/** Characters of a name an error quotes by default: every valid name is shorter (exposed names ≤ 64, called ≤ 256). */
export const QUOTED_NAME_MAX = 200

/** `name` quoted for an error message (see the module comment); a non-string is shown as its type. */
export function quoteName(name: unknown, max = QUOTED_NAME_MAX): string {
  if (typeof name !== "string") return `(${name === null ? "null" : typeof name})`
  if (name.length <= max) return escapeUnsafeJson(JSON.stringify(name))
  return `${escapeUnsafeJson(JSON.stringify(`${cutText(name, max)}…`))} (${name.length.toLocaleString("en")} characters)`
}

/** Printable ASCII of names and URIs, no space, quote, backslash or parenthesis (those would blur into the text around). */
const PLAIN = /^[A-Za-z0-9_.\-/:@~%?=&#+,!*$;[\]]+$/

/** `name` bare when plain (see the module comment) and within `max`, else `quoteName`. */
export function shownName(name: unknown, max = QUOTED_NAME_MAX): string {
  return typeof name === "string" && name.length <= max && PLAIN.test(name) ? name : quoteName(name, max)
}
