/**
 * @module core/unsafe-text
 * The one class of characters that could act or hide in text we show (an error message, a log
 * line, a run_code console line, a plugin's output or file path in a terminal), and its escape as
 * visible `\uXXXX` (each UTF-16 unit: an astral tag character is two, as in JSON and JS):
 * - C0 controls U+0000–001F, DEL and C1 controls U+007F–009F (ESC `[2J` clears a terminal, CR
 *   overwrites a line, a newline forges one), but those the caller keeps (a console line keeps
 *   newline and tab);
 * - bidi controls: U+061C, U+200E–200F, U+202A–202E, U+2066–2069 (U+202E reverses what follows);
 * - invisible format characters: soft hyphen U+00AD, U+180E, zero-width space and joiners
 *   U+200B–200D, word joiner and invisible operators U+2060–2065, BOM U+FEFF, tag characters
 *   U+E0000–E007F (hidden text a model reads and a person does not; two names that look alike);
 * - the line and paragraph separators U+2028–2029 (a line break in many viewers).
 * JSON.stringify alone escapes only C0, the quote and the backslash. A zero-width joiner inside an
 * emoji (👩‍💻) is escaped too: one class for every caller, never a character left that hides.
 * A second public entry of core (scripts/check-layers PUBLIC_ENTRIES), importing nothing: the code
 * worker uses it without evaluating the rest of core.
 */

/** The class, as a regex character-class body (`u` flag). */
const CLASS = "\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff\\u{e0000}-\\u{e007f}"

/** Every member of the class (tests walk it): [first, last] code point ranges. */
export const UNSAFE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x0000, 0x001f],
  [0x007f, 0x009f],
  [0x00ad, 0x00ad],
  [0x061c, 0x061c],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x2069],
  [0xfeff, 0xfeff],
  [0xe0000, 0xe007f],
]

const patterns = new Map<string, RegExp>()

function pattern(keep: string): RegExp {
  let re = patterns.get(keep)
  if (re === undefined) {
    // the kept characters are taken out of the class by a lookahead (keep is a few controls)
    const kept = keep === "" ? "" : `(?![${[...keep].map((c) => `\\u{${c.codePointAt(0)!.toString(16)}}`).join("")}])`
    re = new RegExp(`${kept}[${CLASS}]`, "gu")
    patterns.set(keep, re)
  }
  return re
}

/** Each UTF-16 unit of `c` as `\uXXXX`. */
function escapeUnits(c: string): string {
  let out = ""
  for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, "0")}`
  return out
}

/**
 * `text` with every character of the class (but those in `keep`, e.g. "\n\t") written as a visible
 * `\uXXXX`. A backslash is left as it is (a console line of JSON reads as it did), so
 * `unescapeUnsafe` gives `text` back when `text` had no `\uXXXX` of its own; JSON text is
 * `escapeUnsafeJson`'s, which always reverses.
 */
export function escapeUnsafe(text: string, keep = ""): string {
  return text.replace(pattern(keep), escapeUnits)
}

/** `escapeUnsafe` reversed: each `\uXXXX` back to its UTF-16 unit. */
export function unescapeUnsafe(text: string): string {
  return text.replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
}

/**
 * JSON text (JSON.stringify's) with every character of the class written as a JSON `\uXXXX`
 * escape: still the same JSON (JSON.parse gives the same value), none of the class left raw.
 */
export function escapeUnsafeJson(json: string): string {
  return json.replace(pattern(""), escapeUnits)
}
