/**
 * @module catalog/search/how-much
 * "How much" a thing cost or used over a span ("how much did gpt-4o cost us this week", "how much
 * did the embeddings job use yesterday") asks for a total: an aggregate over that span, not the
 * list of the events it sums (a trace list ranked first; QA 298). Not without a span ("how much
 * does the pro plan cost" is a price), nor without a word of spending; and not when we are the
 * subject ("how much did we spend on dbt cloud"): a question about our own amount, judged by
 * own-amount.ts (weak when no tool has that amount).
 */
import { isTimeWord } from "./intent.ts"
import { ownAmountHead } from "./own-amount.ts"
import { stem } from "./tokenize.ts"

/** Words of what was spent or used: summed over a span, an aggregate. */
const SPENT = new Set("cost costs spend spent spending usage used use bill billed charged".split(" "))
/** A span of time: "this week", "last month", "today", "since monday". */
const SPAN = /\b(?:this|last|past|previous)\s+(?:\d+\s*)?(?:days?|weeks?|months?|quarters?|years?|hours?|sprint)\b|\b(?:today|yesterday|since\b)/i

/** The word of spending of `words` when `text` asks how much over a span, else undefined. */
export function totalOverSpan(text: string, words: readonly string[]): string | undefined {
  const how = words.findIndex((w, i) => w === "how" && words[i + 1] === "much")
  if (how < 0 || ownAmountHead(words) !== undefined) return undefined
  if (!(SPAN.test(text) || words.some((w, i) => i > how + 1 && w !== "now" && isTimeWord(stem(w))))) return undefined
  return words.slice(how + 2).find((w) => SPENT.has(w))
}
