/**
 * @module http/charset
 * The `charset` of a POST's `Content-Type`. JSON is UTF-8 (RFC 8259), and a body with no charset or
 * a UTF-8 one is read as such; a client that declares another (`application/json; charset=iso-8859-1`,
 * `utf-16le`, `shift_jis`…) has its body decoded by it, as the SDK's transports do (raw-body with the
 * declared encoding). Before, every body was read as UTF-8 whatever it declared: a Latin-1 "café"
 * reached the tool as "caf\uFFFD" and a UTF-16 body was "not JSON". A charset no decoder here knows
 * is 415 naming it, and a body that is not valid in its declared charset is a parse error naming it:
 * never a silent replacement.
 */

/** Any WHATWG encoding label: the constructor checks it at run time (RangeError), Bun's types name a few. */
type Label = ConstructorParameters<typeof TextDecoder>[0]

/** No charset or UTF-8: the body is read as UTF-8 (the common case, no decoder built). */
export const UTF8 = undefined

/** The `charset` parameter (a parameter of the media type: after a ";"), its value up to the next ";". */
const CHARSET = /;\s*charset\s*=([^;]*)/i

/** The declared charset as a WHATWG encoding label, or the value when no decoder here knows it. */
export function charsetOf(contentType: string | null): string | undefined | { unsupported: string } {
  if (contentType === null || contentType === "application/json") return UTF8
  const m = CHARSET.exec(contentType)
  if (!m) return UTF8
  // quotes taken off (RFC 9110 §5.6.6)
  let value = m[1]!.trim()
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1)
  let encoding: string
  try {
    encoding = new TextDecoder(value as Label).encoding
  } catch {
    return { unsupported: value.length > 100 ? `${value.slice(0, 100)}…` : value }
  }
  return encoding === "utf-8" ? UTF8 : value
}

/** A body that is not valid text in its declared charset. */
export class BodyNotInCharset extends Error {
  constructor(readonly charset: string) {
    super(`the request body is not valid ${charset} text (Content-Type charset=${charset}); send it in UTF-8 or declare the charset it is written in`)
  }
}

/** `bytes` as text in `charset` (a label `charsetOf` returned); a byte sequence invalid in it is BodyNotInCharset. */
export function decodeCharset(bytes: Uint8Array, charset: string): string {
  try {
    return new TextDecoder(charset as Label, { fatal: true }).decode(bytes)
  } catch {
    throw new BodyNotInCharset(charset)
  }
}
