/**
 * @module catalog/search/relative-time
 * A span of time said relative to now ("next week", "last month", "next fri", "the past 30 days",
 * "in the next 90 days"): its "next" / "last" says when, like the unit it comes with, and names
 * nothing a tool does. Read as a word, "next" of "whos out next week" matched Greenhouse's
 * `advance_application` ("move an application to the next interview stage") above the tool about
 * who is out. A "next" that is no span ("the next page", "next steps") stays a word.
 */
import { isTimeWord } from "./intent.ts"
import { stem } from "./tokenize.ts"

/** Words that place a span before or after now. */
const RELATIVE = new Set(["next", "last", "past", "coming", "previous", "prior"])
/** Units of a span the time words (intent.ts) do not hold: "next 90 days", "last 2 quarters". */
const UNITS = new Set("day days year years quarter quarters hour hours".split(" "))

/**
 * The positions of `raw` (words as typed, lowercase) that say a span relative to now: each
 * "next" / "last" before a time word, a day's short name or a unit, with a count between
 * ("last 3 months"), and that unit when it is no time word (intent.ts) of its own.
 */
export function relativeSpanWords(raw: readonly string[]): Set<number> {
  const out = new Set<number>()
  for (const [i, w] of raw.entries()) {
    if (!RELATIVE.has(w)) continue
    const j = /^\d+$/.test(raw[i + 1] ?? "") ? i + 2 : i + 1
    const unit = raw[j]
    if (unit === undefined) continue
    if (isTimeWord(stem(unit))) out.add(i)
    else if (UNITS.has(unit)) {
      out.add(i)
      out.add(j)
    }
  }
  return out
}
