/**
 * @module sandbox/visible
 * Text and file paths as shown in a message, a log line or a terminal: every character that could
 * drive a terminal, forge a line or hide (core/unsafe-text: one class for errors, run_code console
 * lines and plugin output) written as a visible `\uXXXX`. A second public entry of sandbox/
 * (scripts/check-layers.ts): plugin discovery and the plugin contract use it without evaluating the
 * sandbox itself.
 */
import { escapeUnsafe } from "../core/unsafe-text.ts"

/**
 * `text` (a guest's console line or error, a plugin's output) with every unsafe character but
 * newline and tab escaped: ESC [2J clears a terminal, ESC ] 0 ; … BEL retitles it, CR overwrites a
 * line, U+202E reverses it, a zero-width or tag character hides text.
 */
export function visibleText(text: string): string {
  return escapeUnsafe(text, "\n\t")
}

/**
 * A file path as shown in a message, a log line or a terminal: every unsafe character escaped,
 * newline and tab too (a path is one line), so a plugin file named with ESC sequences, a newline,
 * U+202E or invisible characters cannot drive the terminal, forge a line or pass for another name.
 */
export function visiblePath(path: string): string {
  return escapeUnsafe(path)
}
