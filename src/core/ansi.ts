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

/** Erase in line: `ESC [ K` (to its end), `ESC [ 1 K` / `ESC [ 2 K` (to the cursor / all of it). */
const ERASE_LINE = /(?:\u001b\[|\u009b)([012]?)K/g
/** Stand-ins for the erases while the other escapes go (private-use code points, no CLI's data). */
const ERASE_TO_END = "\uf8f0"
const ERASE_ALL = "\uf8f1"

/**
 * Text as a terminal would show it: without ANSI escapes (colours, a spinner's erase-line), and of
 * each line its last state: what was written after its last carriage return that text (or an
 * erase-line) followed: a progress line redrawn in place, `⠋ Pulling…\r⠙ Pulling…\r[…]`. A CR with
 * nothing after it on its line moves the cursor and erases nothing: `v0.43.3\r\r\n` (a text-mode
 * pipe doubling a CRLF's CR) shows `v0.43.3`, and was read as an empty line. A line end keeps one CR
 * when it had any (CRLF stays a line end). Neither byte can be part of a JSON or YAML document
 * (both must be escaped there), so nothing of the data is lost.
 */
export function terminalText(text: string): string {
  const escapes = text.includes("\u001b") || /[\u0090-\u009f]/.test(text)
  const out = escapes ? stripAnsi(text.replace(ERASE_LINE, (_, n: string) => (n === "1" || n === "2" ? ERASE_ALL : ERASE_TO_END))) : text
  if (!out.includes("\r") && !escapes) return out
  return out.split("\n").map(lastState).join("\n")
}

/** One line's last state (see terminalText). */
function lastState(line: string): string {
  const crlf = line.endsWith("\r")
  let shown = ""
  for (const [i, part] of line.split("\r").entries()) {
    // an erase of the whole line anywhere, or one to its end right after a CR (the cursor at column 0)
    const all = part.lastIndexOf(ERASE_ALL)
    const toEnd = part.startsWith(ERASE_TO_END) ? 0 : -1
    const cleared = Math.max(all, toEnd)
    const written = (cleared >= 0 ? part.slice(cleared + 1) : part).replace(/[\uf8f0\uf8f1]/g, "")
    if (cleared >= 0 || written !== "" || i === 0) shown = written
  }
  return crlf ? `${shown}\r` : shown
}
