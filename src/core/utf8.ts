/**
 * @module core/utf8
 * UTF-8 bytes as text when the bytes are a value or a piece of one (a JSON string's bytes, a
 * header's payload, a slice of a message), not the start of a document: a leading U+FEFF is then
 * data, and the default `TextDecoder` would drop it (`"\uFEFFx"` read back as `"x"`).
 */

import { readUserFile } from "./user-file.ts"

const LENIENT = new TextDecoder("utf-8", { ignoreBOM: true })
const STRICT = new TextDecoder("utf-8", { ignoreBOM: true, fatal: true })

/** The text of `bytes`, a leading byte-order mark kept; malformed sequences become U+FFFD. */
export function utf8Text(bytes: Uint8Array): string {
  return LENIENT.decode(bytes)
}

/** As `utf8Text`, but malformed UTF-8 throws (a TypeError). */
export function utf8TextStrict(bytes: Uint8Array): string {
  return STRICT.decode(bytes)
}

/** A text file a person writes, read as UTF-8 (`readTextFile`). */
export interface TextFile {
  /** Its text; malformed bytes read as U+FFFD, a leading byte-order mark kept (as `readFileSync(path, "utf8")`). */
  text: string
  /** Where its first malformed byte is, when it has one: "not valid UTF-8 at line 5 (byte 229)". */
  malformed?: string
  /** Why the bytes are no text at all (NUL bytes: UTF-16 without a byte-order mark, a binary file), with where. */
  notText?: string
}

/**
 * A text file a person writes (the config): malformed bytes (a save in another encoding, a write cut
 * mid-character) are said where they are, so that the error they cause (the YAML parser blamed an
 * unrelated construct) can name them. A UTF-16 file with its byte-order mark (Windows PowerShell's
 * `>` and `Out-File` write one) is read as such; one without a mark, or any other file holding NUL
 * bytes, is `notText`. At most `maxBytes` are read: a larger file, or an endless one (`/dev/zero`, a
 * pipe that never ends), throws an Error with code EFBIG. It is opened without blocking
 * (core/user-file): a device or socket throws ENOTREG, a FIFO no program writes to within `waitMs`
 * ENOWRITER. Read errors (ENOENT, EISDIR…) are thrown as they come.
 */
export function readTextFile(path: string, maxBytes = Number.MAX_SAFE_INTEGER, waitMs?: number): TextFile {
  const bytes = readUserFile(path, maxBytes, waitMs)
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe ? "utf-16le" : bytes[0] === 0xfe && bytes[1] === 0xff ? "utf-16be" : undefined
  if (utf16 && bytes.length % 2 === 0) return { text: new TextDecoder(utf16, { ignoreBOM: true }).decode(bytes) }
  const nul = bytes.indexOf(0)
  if (nul >= 0) {
    const text = LENIENT.decode(bytes)
    const utf16Like = bytes.length >= 2 && (bytes[1] === 0 || bytes[0] === 0)
    return { text, notText: `a NUL byte at ${lineAt(bytes, nul)} (byte ${nul})${utf16Like ? ": the file looks like UTF-16 without a byte-order mark" : ""}` }
  }
  try {
    return { text: STRICT.decode(bytes) }
  } catch {
    const at = firstMalformed(bytes)
    return { text: LENIENT.decode(bytes), malformed: `not valid UTF-8 at ${lineAt(bytes, at)} (byte ${at})` }
  }
}

function lineAt(bytes: Uint8Array, at: number): string {
  let line = 1
  for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) line++
  return `line ${line}`
}

/** The offset of the first byte that starts no valid UTF-8 sequence. */
function firstMalformed(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!
    const n = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0
    if (n === 0 || i + n > b.length) return i
    for (let k = 1; k < n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i
    // overlong, surrogate and beyond-U+10FFFF forms: the strict decoder's judgement, on this sequence alone
    if (n > 1) {
      try {
        STRICT.decode(b.subarray(i, i + n))
      } catch {
        return i
      }
    }
    i += n
  }
  return b.length
}
