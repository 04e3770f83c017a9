/**
 * @module catalog/search/particle
 * A request's own verb before a particle ("zip up the logs folder", "lock up the files", "seal off
 * the bucket"): a phrasal verb the synonym table knows means more than its verb ("kick off the
 * pipeline" runs it, "spin up a branch" creates one: synonyms.ts), and its verb is not the action;
 * one the table does not know is its verb, the particle adding nothing the tools could say
 * (`git_log` answered "zip up the logs folder" strong for "logs": the particle hid the verb).
 */
import { phraseStartingAt } from "./synonyms.ts"

/** Particles that may follow a verb ("zip up", "seal off"). */
const PARTICLES = new Set(["up", "off"])

/**
 * The word after the verb at `at` of the request's raw words `words` that says what it acts on: past
 * a particle that makes no phrasal verb of the table ("zip up the" → the), else the next word
 * ("kick off the" → off, "file a" → a).
 */
export function afterVerb(words: readonly string[], at: number): string | undefined {
  const next = words[at + 1]
  return next !== undefined && PARTICLES.has(next) && !phraseStartingAt(words, at) ? words[at + 2] : next
}
