/**
 * @module catalog/search/own-amount
 * A question about one of our own things or amounts: "what's our aws bill this month", "whats my
 * quota", "how much are we spending on bigquery", "how much money do we have left". Its head (the
 * last word of the thing after "our"/"my", or what "how much" asks of) is the whole question: a
 * tool that knows the product named ("aws", "bigquery") but has no such thing answers another
 * question, so when no tool has the head anywhere, every hit is weak (index.ts). Only these
 * question forms: an imperative's unknown words are judged elsewhere ("tail logs for api-7d9f4 pod"),
 * and a question about the world ("whats 3pm PST in berlin time") names no thing of ours.
 */

/** Words that end the thing asked about: prepositions, time and filler. */
const ENDS = new Set("in on for at from of by with this last next today yesterday tomorrow now rn so far per to".split(" "))
/** Subjects after "how much" that say who spends ("how much are we spending"). */
const SUBJECT = new Set(["we", "i", "you", "they"])
const BE = new Set(["is", "are", "was", "were", "do", "does", "did", "have", "has", "will"])

/** The head word (as typed, lowercase) of such a question in `words` (lowercase, as typed), or undefined. */
export function ownAmountHead(words: readonly string[]): string | undefined {
  const w = words.map((x) => x.replace(/'s$/, ""))
  // ("whats", "what's" and "what is" alike: splitWords reads the first two as "what s")
  const what = w[0] === "whats" || w[0] === "what" ? (w[0] === "what" && (BE.has(w[1] ?? "") || w[1] === "s") ? 2 : 1) : -1
  if (what > 0 && (w[what] === "our" || w[what] === "my")) return lastOfThing(w, what + 1)
  if (w[0] === "how" && w[1] === "much") {
    // "how much are we spending …": the verb after the subject is what is counted
    if (BE.has(w[2] ?? "") && SUBJECT.has(w[3] ?? "")) return w[4]
    // "how much money …": the thing after it
    return w[2] !== undefined && !BE.has(w[2]) ? w[2] : undefined
  }
  return undefined
}

/** The last word of the thing starting at `from`, before a preposition, a time word or the end. */
function lastOfThing(w: readonly string[], from: number): string | undefined {
  let last: string | undefined
  for (let i = from; i < w.length && !ENDS.has(w[i]!); i++) last = w[i]
  return last
}
