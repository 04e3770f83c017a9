/**
 * @module catalog/search/number-of
 * A tool whose first sentence opens by reading "the number of" something (Redis' `dbsize`, "Get
 * the number of keys stored in the Redis database"; "Returns the total number of …") counts them, as a tool
 * saying "count" does: "how many keys are in redis?" asks for a count ("how many" → count,
 * synonyms.ts) and found every tool naming keys but the one counting them. The count is a word of
 * its summary, where the phrase stands; the request's "how many" is left as it was ("number"
 * among its words dropped other sets: a number is many things).
 */
import { stem } from "./tokenize.ts"

/** A summary opening by reading "the (total) number of" something ("Get the number of keys", "Returns the total number of …"; not "reducing the number of vertices"). */
const NUMBER_OF = /^\s*(?:gets?|returns?|retrieves?|fetch(?:es)?|shows?)\s+(?:the\s+)?(?:total\s+)?number\s+of\s+[a-z]/i

/** The terms a tool's summary adds for what it says as a number of things: "count" when it does. */
export function countTerms(summary: string): string[] {
  return NUMBER_OF.test(summary) ? [stem("count")] : []
}
