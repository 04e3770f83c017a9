/**
 * @module core/utf8
 * UTF-8 bytes as text when the bytes are a value or a piece of one (a JSON string's bytes, a
 * header's payload, a slice of a message), not the start of a document: a leading U+FEFF is then
 * data, and the default `TextDecoder` would drop it (`"\uFEFFx"` read back as `"x"`).
 */

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
