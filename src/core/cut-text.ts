/**
 * @module core/cut-text
 * Cutting text for display (a capped description, a one-line summary, a log message) without
 * breaking a character. Lengths stay in UTF-16 units like everywhere else (`String#length`), but a
 * cut never falls between the two halves of a surrogate pair: `s.slice(0, n)` would leave a lone
 * high surrogate, which a client shows as U+FFFD (or which becomes `\udXXX` in JSON). Nor does a
 * cut end on a zero-width joiner: what it joined to is gone, and a joiner left alone is an
 * invisible character the sanitizer (catalog/sanitize) would not have let through.
 */

const ZWJ = 0x200d

/** The start of `text`, at most `max` UTF-16 units, ending on a whole code point (and not on a dangling ZWJ). */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text
  let end = Math.max(0, Math.floor(max))
  // a high surrogate as the last unit kept: its low half is past the cut
  const last = end > 0 ? text.charCodeAt(end - 1) : 0
  if (last >= 0xd800 && last <= 0xdbff) end--
  while (end > 0 && text.charCodeAt(end - 1) === ZWJ) end--
  return text.slice(0, end)
}
