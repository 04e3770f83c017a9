/**
 * @module core/cut-text
 * Cutting text for display (a capped description, a one-line summary, a log message) without
 * breaking a character. Lengths stay in UTF-16 units like everywhere else (`String#length`), but a
 * cut never falls between the two halves of a surrogate pair: `s.slice(0, n)` would leave a lone
 * high surrogate, which a client shows as U+FFFD (or which becomes `\udXXX` in JSON). Nor does a
 * cut end on a zero-width joiner: what it joined to is gone, and a joiner left alone is an
 * invisible character the sanitizer (catalog/sanitize) would not have let through. Nor does it
 * fall inside a configured secret (qa106): every cut of text that may quote one goes through here.
 */

import { redactString } from "./redact.ts"
import { secrets } from "./secrets.ts"

const ZWJ = 0x200d

/**
 * The start of `text`, at most `max` UTF-16 units, ending on a whole code point (and not on a
 * dangling ZWJ), and never inside a configured secret: one across the cut is left out whole
 * (`SecretRegistry.cutBefore`), so what the exit's redaction gets has no first half of it.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text
  let end = secrets.cutBefore(text, Math.max(0, Math.floor(max)))
  // a high surrogate as the last unit kept: its low half is past the cut
  const last = end > 0 ? text.charCodeAt(end - 1) : 0
  if (last >= 0xd800 && last <= 0xdbff) end--
  while (end > 0 && text.charCodeAt(end - 1) === ZWJ) end--
  return text.slice(0, end)
}

/** Characters of a downstream's error message kept (pool/rpc where the error is made, mcp/error-map where it leaves). */
export const MAX_SERVER_MESSAGE_CHARS = 8000

/** The note a cut server message ends with. */
const CUT_NOTE = /… \(the server's message was [\d,]+ characters; cut to its first [\d,]+\)$/

/**
 * A downstream's error message of at most MAX_SERVER_MESSAGE_CHARS characters, with a note of its
 * length when cut (redacted before it is cut); one this already cut is returned as it is (it is cut
 * where its error is made, and passes the face's bound again).
 */
export function boundedServerMessage(message: string): string {
  if (message.length <= MAX_SERVER_MESSAGE_CHARS) return message
  if (message.length <= MAX_SERVER_MESSAGE_CHARS + 100 && CUT_NOTE.test(message)) return message
  // redacted before the cut: a secret across it would go out as a first half no later redaction matches
  return `${cutText(redactString(message), MAX_SERVER_MESSAGE_CHARS)}… (the server's message was ${message.length.toLocaleString("en")} characters; cut to its first ${MAX_SERVER_MESSAGE_CHARS.toLocaleString("en")})`
}

/**
 * Characters of any error message the orchestrator answers with (mcp/error-map, the exit of every
 * JSON-RPC error and tool error): room for a bounded server message and what we say around it.
 */
export const MAX_ANSWER_MESSAGE_CHARS = 16_000

/**
 * An error message as it may leave: at most MAX_ANSWER_MESSAGE_CHARS, with a note of its length
 * when cut. A net under the bounds where messages are made: one that quotes what a client sent (a
 * resource URI of a megabyte, a name) must not hand it back whole, into the model's context.
 * Redacted before the cut, as `boundedServerMessage`.
 */
export function boundedAnswerMessage(message: string): string {
  if (message.length <= MAX_ANSWER_MESSAGE_CHARS) return message
  return `${cutText(redactString(message), MAX_ANSWER_MESSAGE_CHARS)}… (the message was ${message.length.toLocaleString("en")} characters; cut to its first ${MAX_ANSWER_MESSAGE_CHARS.toLocaleString("en")})`
}

/**
 * `text` as an error message quotes what a client sent (a name, a URI): whole up to `max`
 * characters, else its start and its length, so a megabyte sent is not a megabyte answered.
 */
export function quotedStart(text: string, max: number): string {
  return text.length <= max ? text : `${cutText(text, max)}… (${text.length.toLocaleString("en")} characters)`
}
