/**
 * @module catalog/search/record-noun
 * A verb that is also the noun of the record it leaves ("run": a training run, a job's run, a CI
 * run): after a determiner, a possessive or an auxiliary and before an id ("the run", "did run
 * 7hq2m1xz use", "which run", "my last run"), it is that record, not an order to execute. As a
 * verb it brought in execute/exec/trigger: "what hyperparams did run 7hq2m1xz use" ranked a
 * command runner first. As the noun it asks only for runs (QA 298).
 */
/** Verbs whose noun is the record of doing them. */
const RECORD_VERBS = new Set(["run", "runs", "rerun", "reruns"])
/** Words before a noun: determiners, possessives, quantifiers, question words of a thing, ordinals of time. */
const BEFORE_NOUN = new Set("the a an this that these those my our your their his her its which what whose each every last latest previous recent failed finished slowest best".split(" "))
/** Auxiliaries that, with an id after the word, make it the subject of a question ("did run 7hq2 use"). */
const AUXILIARY = new Set("did does do was is were are has have had".split(" "))

/** True when `words[at]` (one of RECORD_VERBS) names the record, not the act (see the module's doc). */
export function recordNounAt(words: readonly string[], at: number): boolean {
  if (!RECORD_VERBS.has(words[at] ?? "")) return false
  const before = words[at - 1]
  if (before === undefined) return false
  if (BEFORE_NOUN.has(before)) return true
  const id = words[at + 1]
  return AUXILIARY.has(before) && id !== undefined && /\d/.test(id)
}

/** The words of a request (as typed, lowercase) that name a record rather than an act. */
export function recordNouns(words: readonly string[]): string[] {
  return [...new Set(words.filter((_, i) => recordNounAt(words, i)))]
}
