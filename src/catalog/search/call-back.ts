/**
 * @module catalog/search/call-back
 * "back" after a verb of contact is that verb's particle, not a past thing: "call the customer
 * back", "text me back", "write back to dana", "get back to the client". The word alone means the
 * previous one ("go back", "back to the last page": synonyms.ts brings previous and history), and
 * read so here it made "call the customer back on +1 212 …" a strong ask for a channel's history.
 */

/** Verbs of reaching someone, whose "back" answers them (general English). */
const CONTACT = new Set("call ring phone text write email mail message ping dm reply answer get circle".split(" "))
/** Words that end what a contact verb acts on before its "back" ("call the customer back", not "call about the back office"). */
const BREAKS = new Set("about on in at for from with to of by into".split(" "))

/** True when "back" at `at` in `words` is the particle of a contact verb before it (up to three words of its object between). */
export function contactBack(words: readonly string[], at: number): boolean {
  if (words[at] !== "back") return false
  for (let j = at - 1; j >= 0 && j >= at - 4; j--) {
    const w = words[j]!
    if (CONTACT.has(w)) return true
    if (BREAKS.has(w)) return false
  }
  return false
}
