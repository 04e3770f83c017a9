/**
 * @module catalog/search/out-verb
 * A request opening with a verb and "out" ("pay out my balance to the bank", "cash out the
 * credits", "roll out the new image"): the phrasal verb is the action, written as one word where
 * software names it (payout, rollout, checkout, logout), not its verb alone ("pay" is said by every
 * payment tool: `retrieve_balance` answered "pay out my stripe balance" strong). A hit that does not
 * say the joined word where it speaks of what it does and takes (own-verb.ts `SAID`) does something
 * else, and is weak. Only before a word that follows verbs (a determiner or pronoun) or at the end,
 * not a phrasal verb of the synonym table, nor a verb that reads ("find out the cause" reads), nor
 * one a tool is named with ("fill out the signup form" is the browser's fill: the phrase means the verb).
 */
import type { Bm25Index } from "./bm25.ts"
import { AFTER_VERB, isActionVerb, openingAt } from "./intent.ts"
import { SAID } from "./own-verb.ts"
import { phraseStartingAt } from "./synonyms.ts"
import { isStop, rawTokens, stem } from "./tokenize.ts"

/** The phrasal verb with "out" a request opens with, as typed ("pay out"), or undefined; `namedWith`: whether some tool is named with a word (stemmed). */
export function outVerb(request: string, namedWith: (term: string) => boolean): string | undefined {
  const toks = rawTokens(request)
  const at = openingAt(toks)
  const verb = toks[at]
  const next = toks[at + 2]
  if (verb === undefined || toks[at + 1] !== "out" || !/^[a-z]{3,}$/.test(verb) || isStop(verb) || isActionVerb(stem(verb)) || namedWith(stem(verb))) return undefined
  if (phraseStartingAt(toks, at) || (next !== undefined && !AFTER_VERB.has(next))) return undefined
  return `${verb} out`
}

/** True when the tool `name` says the phrasal verb `phrase` ("pay out") as one word ("payout") where it speaks of what it does and takes. */
export function saysOutVerb(bm: Bm25Index, name: string, phrase: string): boolean {
  return bm.docHasTermIn(name, stem(phrase.replace(" ", "")), SAID)
}
