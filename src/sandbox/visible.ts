/**
 * @module sandbox/visible
 * Text and file paths as shown in a message, a log line or a terminal: the characters that could
 * drive a terminal or forge a line written as visible escapes. A second public entry of sandbox/
 * (scripts/check-layers.ts): plugin discovery and the plugin contract use it without evaluating the
 * sandbox itself.
 */

/**
 * Control characters (but newline and tab) and bidi controls, which a guest's error text could use
 * to drive the terminal that shows it (`plugins list`, `plugins check`, doctor: ESC [2J clears it,
 * ESC ] 0 ; … BEL retitles it, CR overwrites a line, U+202E reverses it).
 */
const UNSAFE_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

/** `text` with every character that could drive a terminal written as a visible `\uXXXX` escape. */
export function visibleText(text: string): string {
  return text.replace(UNSAFE_TEXT, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
}

/**
 * Every character of a file path that is not plain printable text: all controls (newline and tab
 * too: a path is one line), bidi controls, and the invisible format characters (zero-width,
 * word joiner, BOM, soft hyphen, tag characters…) that make two different names look alike.
 */
const UNSAFE_PATH = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]|[\u{e0000}-\u{e007f}]/gu

/**
 * A file path as shown in a message, a log line or a terminal: every character UNSAFE_PATH matches
 * written as a visible `\uXXXX` escape (`\u{XXXXX}` past the BMP), so a plugin file named with
 * ESC sequences, a newline or U+202E cannot drive the terminal or forge a line of output.
 */
export function visiblePath(path: string): string {
  return path.replace(UNSAFE_PATH, (c) => {
    const cp = c.codePointAt(0)!
    return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, "0")}`
  })
}
