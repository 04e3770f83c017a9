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
 * As a regular expression (what `replaceAnsi` matches, leftmost first):
 * `(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d-\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)|\u001b[ -/]*[0-~]`.
 * Not run as one: a string command never terminated is looked for its terminator to the end of the
 * text from each opener, so a text of openers alone (`\u009d a` repeated, in a downstream's tool
 * description or stderr) took time in the square of its length: 240 KB held the event loop 26 s.
 */
export function replaceAnsi(text: string, replace: (sequence: string) => string): string {
  let out = ""
  let kept = 0
  /** Where the string command last looked for found no terminator: any opener before it ends there too. */
  let unterminatedUntil = -1
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i)
    if (c !== ESC && (c < 0x90 || c > 0x9f)) {
      i++
      continue
    }
    let end = -1
    const next = i + 1 < text.length ? text.charCodeAt(i + 1) : -1
    // CSI
    if (c === CSI || (c === ESC && next === 0x5b)) end = csiEnd(text, c === CSI ? i + 1 : i + 2)
    // a string command, unless one before it ran to the same place unterminated
    if (end < 0 && i >= unterminatedUntil && (isStringOpener(c) || (c === ESC && STRING_AFTER_ESC.has(next)))) {
      let j = c === ESC ? i + 2 : i + 1
      while (j < text.length && !isStringStop(text.charCodeAt(j))) j++
      const stop = j < text.length ? text.charCodeAt(j) : -1
      if (stop === BEL || stop === ST) end = j + 1
      else if (stop === ESC && j + 1 < text.length && text.charCodeAt(j + 1) === 0x5c) end = j + 2
      else unterminatedUntil = j
    }
    // any other ESC sequence: intermediates, a final byte
    if (end < 0 && c === ESC) {
      let j = i + 1
      while (j < text.length && isIntermediate(text.charCodeAt(j))) j++
      if (j < text.length && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x7e) end = j + 1
    }
    if (end < 0) {
      i++
      continue
    }
    out += text.slice(kept, i) + replace(text.slice(i, end))
    kept = i = end
  }
  return kept === 0 ? text : out + text.slice(kept)
}

const ESC = 0x1b
const BEL = 0x07
const CSI = 0x9b
const ST = 0x9c
/** After ESC: `]` OSC, `P` DCS, `X` SOS, `^` PM, `_` APC. */
const STRING_AFTER_ESC = new Set([0x5d, 0x50, 0x58, 0x5e, 0x5f])
/** U+0090 DCS, U+0098 SOS, U+009D OSC, U+009E PM, U+009F APC. */
const isStringOpener = (c: number): boolean => c === 0x90 || c === 0x98 || (c >= 0x9d && c <= 0x9f)
const isStringStop = (c: number): boolean => c === BEL || c === ESC || c === ST
const isIntermediate = (c: number): boolean => c >= 0x20 && c <= 0x2f

/** Where a CSI whose parameters start at `from` ends (after its final byte), or -1 when it has none. */
function csiEnd(text: string, from: number): number {
  let j = from
  while (j < text.length && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x3f) j++
  while (j < text.length && isIntermediate(text.charCodeAt(j))) j++
  return j < text.length && text.charCodeAt(j) >= 0x40 && text.charCodeAt(j) <= 0x7e ? j + 1 : -1
}

/** `text` without its escape sequences (`replaceAnsi`). */
export function stripAnsi(text: string): string {
  return text.includes("\u001b") || /[\u0090-\u009f]/.test(text) ? replaceAnsi(text, () => "") : text
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
