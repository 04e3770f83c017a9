/**
 * @module core/quote-name
 * A name (a tool, prompt, server, resource URI) that a client or a downstream sent, as an error
 * message echoes it: in double quotes (an empty name shows as `""`, not as nothing), at most `max`
 * characters (cut on a whole code point, never inside a secret: core/cut-text, then "…"), with every
 * character that could act or hide escaped as `\uXXXX`: C0 and C1 controls (ESC `[31m` recolours a
 * terminal, a newline forges a log or answer line), bidi controls (U+202E reverses what follows),
 * zero-width and other invisible characters, the line and paragraph separators. JSON.stringify alone
 * escapes only C0 and the quote.
 * `shownName` leaves a plain name bare (the characters of a tool name, SEP-986, and of a URI without
 * spaces or quotes: nothing in it can act, hide or be mistaken for the text around it), so the usual
 * `Unknown tool: a__b (…)` reads as before; anything else (empty, spaces, quotes, controls) is quoted.
 */
import { cutText } from "./cut-text.ts"

/** Characters of a name an error quotes by default: every valid name is shorter (exposed names ≤ 64, called ≤ 256). */
export const QUOTED_NAME_MAX = 200

const UNSAFE = /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\u{e0000}-\u{e007f}]/gu

/** Each UTF-16 unit of `c` as `\uXXXX` (an astral tag character is two). */
function escapeUnits(c: string): string {
  let out = ""
  for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, "0")}`
  return out
}

/** `name` quoted for an error message (see the module comment); a non-string is shown as its type. */
export function quoteName(name: unknown, max = QUOTED_NAME_MAX): string {
  if (typeof name !== "string") return `(${name === null ? "null" : typeof name})`
  if (name.length <= max) return JSON.stringify(name).replace(UNSAFE, escapeUnits)
  return `${JSON.stringify(`${cutText(name, max)}…`).replace(UNSAFE, escapeUnits)} (${name.length.toLocaleString("en")} characters)`
}

/** Printable ASCII of names and URIs, no space, quote, backslash or parenthesis (those would blur into the text around). */
const PLAIN = /^[A-Za-z0-9_.\-/:@~%?=&#+,!*$;[\]]+$/

/** `name` bare when plain (see the module comment) and within `max`, else `quoteName`. */
export function shownName(name: unknown, max = QUOTED_NAME_MAX): string {
  return typeof name === "string" && name.length <= max && PLAIN.test(name) ? name : quoteName(name, max)
}
