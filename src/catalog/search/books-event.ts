/**
 * @module catalog/search/books-event
 * A reserving verb ("book", "reserve") before a span of time ("book 30 min with dana", "book an hour
 * with the team", "reserve 45 minutes for the review") or a meeting named ("book a meeting with
 * sam", "book the 1:1"; the meeting words are senses.ts') takes time with people: it schedules an
 * event, made in a calendar, not a reservation (a table for four, a room tonight stay reserved).
 */

import { isTimeWord } from "./intent.ts"
import { verbObject } from "./own-verb.ts"
import { stem } from "./tokenize.ts"

/** A span of time right after the verb, with or without "a"/"an": "30 min", "an hour", "a half-hour", "45-minute". */
const SPAN = /^\s*(?:(?:a|an)\s+)?(?:\d+(?:\.\d+)?\s*-?\s*(?:m|mins?|minutes?|h|hrs?|hours?)\b|(?:half[- ])?hour\b)/i

/** The verbs that reserve. */
export const RESERVE_VERBS: ReadonlySet<string> = new Set(["book", "reserve"])

/**
 * True when the reserving verb at `at` of `words` (the request's words, lowercase) schedules an
 * event: a span of time follows it in `text`, or what it acts on (its words up to a preposition) is
 * a meeting (`eventWord`), only words of time after it ("a meeting tomorrow"; not "a meeting room",
 * a room), or the request names a meeting by its shape (`eventShape`: "the 1:1").
 */
export function booksEvent(text: string, words: readonly string[], at: number, eventWord: (w: string) => boolean, eventShape: boolean): boolean {
  const verb = words[at]
  if (verb === undefined || !RESERVE_VERBS.has(verb)) return false
  const from = text.toLowerCase().search(new RegExp(`\\b${verb}\\b`))
  if (from >= 0 && SPAN.test(text.slice(from + verb.length))) return true
  const thing = verbObject(words, at)
  const k = thing.findIndex(eventWord)
  return eventShape || (k >= 0 && thing.slice(k + 1).every((w) => isTimeWord(stem(w)) || /\d/.test(w)))
}
