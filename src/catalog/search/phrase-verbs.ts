/**
 * @module catalog/search/phrase-verbs
 * A verb the request types only inside a phrase naming a thing ("get merge request !42": "merge"
 * names the merge request, it asks no merge) is not asked: a tool whose name or title has that
 * verb outside the phrase too (`merge_merge_request`, its first "merge") does an action the request
 * does not ask for, however well its name's words match. (The reverse, "merge merge request !42",
 * types the verb outside the phrase: index.ts `verbOutsidePhrase` keeps `create_merge_request` weak.)
 */
import { phraseStartingAt } from "./synonyms.ts"
import { isStop } from "./tokenize.ts"

export interface PhraseVerb {
  /** The verb, as typed. */
  verb: string
  /** The phrase holding it (its raw words). */
  phrase: readonly string[]
}

/**
 * The words of `said` (the request's raw words) typed only inside phrases of the table naming a
 * thing, before the phrase's head (its last word: "merge" of "merge request", "kick" of "kick off"
 * is no kick of a member either).
 */
export function verbsOnlyInPhrases(said: readonly string[]): PhraseVerb[] {
  const inside = new Map<string, { phrase: readonly string[]; count: number }>()
  for (let at = 0; at < said.length; at++) {
    const p = phraseStartingAt(said, at)
    // (a phrase of the table with a stop word is a verb's: "open a", "look up", "get rid")
    if (!p || p.some(isStop)) continue
    for (const w of p.slice(0, -1)) inside.set(w, { phrase: p, count: (inside.get(w)?.count ?? 0) + 1 })
  }
  return [...inside].filter(([w, { count }]) => said.filter((s) => s === w).length === count).map(([verb, { phrase }]) => ({ verb, phrase }))
}
