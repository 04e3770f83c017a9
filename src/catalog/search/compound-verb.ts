/**
 * @module catalog/search/compound-verb
 * A request opening with a hyphenated verb ("cherry-pick commit a1b2c3 onto the release branch",
 * "port-forward 8080 to the db pod", "force-push the branch"): the compound is the action, not its
 * words apart (split, "cherry" and "pick" were things, and the release tools answered for
 * "release" and "branch"). A hit that does not say every word of it where it speaks of what it does
 * and takes (own-verb.ts `SAID`: `git_cherry_pick`, `port_forward`, `git_push` with a `force`
 * argument) does something else with the things it shares, and is weak. A compound is a verb when
 * a determiner or pronoun follows it, or an operand (a word with a digit, or a noun and then one:
 * "commit a1b2c3"); not one of a short part ("re-run", "e-mail") or a particle ("follow-up",
 * "check-in"), nor an adjective before a noun ("high-priority issues", "read-only files").
 */
import type { Bm25Index } from "./bm25.ts"
import { AFTER_VERB, openingAt } from "./intent.ts"
import { SAID } from "./own-verb.ts"
import { isStop, rawTokens, stem } from "./tokenize.ts"

/** Two words of three letters or more joined by one hyphen. */
const COMPOUND = /^([a-z]{3,})-([a-z]{3,})$/
/** A word with a digit: an operand ("a1b2c3", "8080", "svc/grafana:3000"). */
export const OPERAND = /\d/

/** The words of the hyphenated verb a request opens with ("cherry-pick …" → cherry, pick), or undefined. */
export function compoundVerb(request: string): string[] | undefined {
  const toks = rawTokens(request)
  const at = openingAt(toks)
  const m = COMPOUND.exec(toks[at] ?? "")
  const next = toks[at + 1]
  if (!m || next === undefined || isStop(m[1]!) || isStop(m[2]!)) return undefined
  const operand = OPERAND.test(next) || next.includes("/") || OPERAND.test(toks[at + 2] ?? "")
  return AFTER_VERB.has(next) || operand ? [m[1]!, m[2]!] : undefined
}

/** True when the tool `name` says every word of the compound verb `words` (stemmed) where it speaks of what it does and takes. */
export function saysCompound(bm: Bm25Index, name: string, words: readonly string[]): boolean {
  return words.every((w) => bm.docHasTermIn(name, stem(w), SAID))
}
