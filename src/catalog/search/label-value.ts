/**
 * @module catalog/search/label-value
 * The name of a label or tag typed after the word that says it is one ("pull requests with the
 * label needs-review", "issues labeled good-first-issue", "cards tagged urgent") is a value the
 * request filters or sets by, not a thing it asks for: "review" of "needs-review" ranked GitHub's
 * `pull_request_review_write` first for "open pull requests with the label needs-review". Its words
 * weigh as a detail (query.ts, as a message's text does). One word or one hyphenated name, quoted or
 * not, right after "label"/"labels"/"labeled"/"labelled"/"tag"/"tags"/"tagged" (an "as", "called"
 * or "named" between), or after the "as" of "tag/label <thing> as"; not a word that ends the request's ask there ("add a label to the issue":
 * "to" is no value), nor a stop word.
 */
import { isStop, splitWords } from "./tokenize.ts"

/**
 * A label or tag given to a thing named between ("tag customer 6203 as vip", "label the lead as
 * hot"): the word after "as" is the value set (yotpo's "VIP tier" of a loyalty reader answered "tag
 * customer 6203 as vip" above the customer's update).
 */
const GIVEN = /\b(?:label|tag)\s+(?:[^\s.,;:!?]+\s+){1,3}?as\s+(?:an?\s+)?(["'`]?)([\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*)\1(?=$|[\s.,;:!?)])/giu
const VALUE = /\b(?:label(?:s|ed|led)?|tag(?:s|ged)?)\s+(?:(?:as|called|named)\s+)?(["'`]?)([\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*)\1(?=$|[\s.,;:!?)])/giu

/** The indices, in `splitWords(text)`, of the words of label or tag names typed after the word saying they are one. */
export function labelValueWords(text: string): Set<number> {
  const out = new Set<number>()
  for (const m of [...text.matchAll(VALUE), ...text.matchAll(GIVEN)]) {
    const value = m[2]!
    const words = splitWords(value)
    if (!words.length || (words.length === 1 && isStop(words[0]!))) continue
    const start = splitWords(text.slice(0, m.index! + m[0].length - value.length - m[1]!.length)).length
    for (let i = 0; i < words.length; i++) out.add(start + i)
  }
  return out
}
