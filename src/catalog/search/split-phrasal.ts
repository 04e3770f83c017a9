/**
 * @module catalog/search/split-phrasal
 * A phrasal verb the synonym table knows, typed with its object between its two words ("push the
 * due date of the essay back to monday", "give the graded work back", "turn the new-nav flag off
 * in prod", "kick the nightly build off"), means what it means typed together: the table reads
 * phrases only as adjacent words, so the verb alone was read ("push" → a git push, "give" nothing)
 * and the particle as a loose word ("back" → previous, history). The request opening with the verb
 * (after "please", "can you") and the particle coming within a few words, before a word that starts
 * what follows the object ("to", "for", "in", "on", "at", "by", "from", "with", "until"), is read
 * with the particle moved next to the verb. Particles: back, off, on, up, down, out ("in" is a
 * preposition as often: "log the hours in jira" is no "log in").
 */
import { openingAt } from "./intent.ts"
import { phraseStartingAt } from "./synonyms.ts"

const PARTICLES = new Set(["back", "off", "on", "up", "down", "out"])
/** Words that end the object: what follows it starts there. */
const OBJECT_ENDS = new Set(["to", "for", "in", "at", "by", "from", "with", "until", "till", "and", "then", "so"])
/** How many words the object may have. */
const MAX_OBJECT = 6

/** `query` with a phrasal verb split by its object typed together ("push back the due date … to monday"); unchanged when it has none. */
export function joinSplitPhrasal(query: string): string {
  const tokens = query.split(/\s+/).filter(Boolean)
  const words = tokens.map((t) => t.toLowerCase())
  const at = openingAt(words)
  const verb = words[at]
  if (verb === undefined || PARTICLES.has(words[at + 1] ?? "")) return query
  for (let j = at + 2; j < words.length && j <= at + 1 + MAX_OBJECT; j++) {
    const w = words[j]!
    if (PARTICLES.has(w) && phraseStartingAt([verb, w], 0)?.length === 2) {
      return [...tokens.slice(0, at + 1), tokens[j]!, ...tokens.slice(at + 1, j), ...tokens.slice(j + 1)].join(" ")
    }
    if (OBJECT_ENDS.has(w) || /[.?!,;:]$/.test(w)) return query
  }
  return query
}
