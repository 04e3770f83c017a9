/**
 * @module proxy/log-cap
 * A downstream's log message (`notifications/message`) is bounded before it is forwarded: a log
 * line is for a human, and one of many MiB would reach the client as one message (an SDK stdio
 * client closes its connection on a message over 10 MiB). Data over the bound becomes a string
 * holding its start (redacted before it is cut) and what was cut.
 */
import { cutText, redact, redactString } from "../core/index.ts"

/** Characters of JSON a forwarded log message's `data` may hold. */
export const MAX_LOG_DATA_CHARS = 64 * 1024

/** Characters of a forwarded log message's `logger` name (it names a component; longer ones are cut). */
export const MAX_LOGGER_CHARS = 200

/**
 * Data over `max` is redacted before it is cut (core redaction): the cut could otherwise fall inside
 * a secret, and the part before it no longer matches when the message is redacted on its way out.
 */
export function capLogData(data: unknown, max = MAX_LOG_DATA_CHARS): unknown {
  if (typeof data === "string") return data.length <= max ? data : `${cutText(redactString(data), max)}… [log message cut: ${data.length} characters, at most ${max} are forwarded]`
  if (data === null || typeof data !== "object") return data
  let json: string | undefined
  try {
    json = JSON.stringify(data)
  } catch {
    return "[log data that is not JSON]"
  }
  if (json === undefined || json.length <= max) return data
  return `${cutText(JSON.stringify(redact(data)), max)}… [log message cut: ${json.length} characters of JSON, at most ${max} are forwarded]`
}
