/**
 * @module catalog/search/current-state
 * A yes-or-no question in the present about a thing's state ("is the garage door open", "are the
 * lights on", "is the market open today") asks the thing's state now. A record of its past
 * changes answers another question ("was it open last night", "show the door's history"):
 * `get_history` came first for "is the garage door open" by its description's "door open/close"
 * (QA 321). Such a tool, named after a record of the past, scores lower there (index.ts), unless the
 * request names that record. (Adding "state" / "current" to the request's words instead brought
 * every tool reading a status forward on other sets: measured, four sets dropped.)
 */

/** Words a present-tense yes-or-no question about a state opens with. */
const PRESENT = new Set(["is", "are", "am"])
/** Words naming a record of the past, as a tool's name writes them (lowercase). */
export const PAST_RECORD = new Set(["history", "log", "logs", "audit", "activity", "timeline"])

/** True when `words` (lowercase, as typed) ask in the present whether a thing is in a state, and name no record of the past. */
export function asksStateNow(words: readonly string[]): boolean {
  return PRESENT.has(words[0] ?? "") && words.length >= 3 && !words.some((w) => PAST_RECORD.has(w))
}

/** True when a tool's name (its words as written) names a record of the past ("get_history", "listAuditLogs"). */
export function namedAsPastRecord(nameWords: readonly string[]): boolean {
  return nameWords.some((w) => PAST_RECORD.has(w.toLowerCase()))
}
