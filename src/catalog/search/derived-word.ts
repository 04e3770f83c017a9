/**
 * @module catalog/search/derived-word
 * Whether a word a tool says is derived from a verb as typed ("remind" → reminders, "delete" →
 * deletion, "compare" → comparison), not one that only shares its stem's letters ("mute", stemmed
 * "mut", → "mutates": `add_issue_note` "mutates visible Sentry issue state" and was read as muting).
 * A derived word holds the verb whole, or, for a verb ending in "e", its letters before the "e"
 * followed by "i" (-ion, -ing, -ison).
 */

/** True when `word` (a term a tool has) is derived from the verb `typed`, as the request typed it. */
export function derivedFrom(typed: string, word: string): boolean {
  if (word.startsWith(typed)) return true
  return typed.endsWith("e") && word.startsWith(`${typed.slice(0, -1)}i`)
}
