/**
 * @module core/ansi
 * Terminal escape sequences, as whole sequences: removing only their ESC leaves debris a reader
 * (or a model) sees as text (`[31m`, `[0m`, `]8;;https://…\`).
 */

/**
 * One escape sequence: CSI (`ESC [` or U+009B, parameters, intermediates, a final byte: colours,
 * cursor moves, erase line); a string command (OSC `ESC ]`/U+009D: window title, hyperlinks; DCS,
 * SOS, PM, APC) up to its terminator (BEL, `ESC \` or U+009C); any other `ESC` + intermediates +
 * final byte (`ESC ( B`, `ESC 7`, `ESC c`). An ESC that starts none of these is left to the caller.
 */
export const ANSI_ESCAPE = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d-\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)|\u001b[ -/]*[0-~]/g

/** `text` without its escape sequences (ANSI_ESCAPE). */
export function stripAnsi(text: string): string {
  return text.includes("\u001b") || /[\u0090-\u009f]/.test(text) ? text.replace(ANSI_ESCAPE, "") : text
}

/**
 * Text as a terminal would show it: without ANSI escapes (colours, a spinner's erase-line), and of
 * each line only what follows its last bare carriage return (a progress line redrawn in place,
 * `⠋ Pulling…\r⠙ Pulling…\r[…]`); CRLF stays a line end. A CLI that thinks stdout is a terminal,
 * or a wrapper that forces colour, prints so around its JSON. Neither byte can be part of a JSON
 * or YAML document (both must be escaped there), so nothing of the data is lost.
 */
export function terminalText(text: string): string {
  let out = stripAnsi(text)
  if (/\r(?!\n)/.test(out)) out = out.replace(/[^\n]*\r(?!\n)/g, "")
  return out
}
