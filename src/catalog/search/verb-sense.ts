/**
 * @module catalog/search/verb-sense
 * A word that is a noun and a verb ("issue", "file", "book", "order"), which a tool's text says
 * only as the verb opening a sentence ("Issue a virtual card to a user"): a synonym of a thing the
 * request names ("bug" → issue) does not reach that tool by it. "file a bug" ranked ramp's
 * `create_virtual_card` first and strong, on a fleet with no issue tracker.
 */

/** Words after a verb opening a sentence: its object's determiner ("Issue a card", "Order the items"). */
const DETERMINER = /^(?:a|an|the|new|one|some)$/i

/**
 * True when `text` has words stemming to `term` and every one opens a sentence with a determiner
 * after it ("Issue a virtual card …"): the term is said there only as a verb.
 */
export function saysOnlyAsVerb(term: string, text: string, stem: (w: string) => string): boolean {
  const sentences = text.split(/(?<=[.!?:;])\s+|\n+/)
  let seen = false
  for (const s of sentences) {
    const words = s.match(/[\p{L}\p{N}]+/gu) ?? []
    for (let i = 0; i < words.length; i++) {
      if (stem(words[i]!.toLowerCase()) !== term) continue
      if (i !== 0 || !DETERMINER.test(words[1] ?? "")) return false
      seen = true
    }
  }
  return seen
}

/**
 * True when a tool's name (`nameStems`, split and stemmed) has `term` only after a verb that reads
 * (`isRead`), as the thing it reads (`get_trigger`, `list_triggers`): an action a phrasal verb asks
 * for ("kick off" → trigger) is no reading of a thing so named. A tool acting on it (`create_score`
 * for "thumbs down" → score) still has it.
 */
export function namesAsThing(term: string, nameStems: readonly string[], isRead: (t: string) => boolean): boolean {
  const at = nameStems.indexOf(term)
  return at > 0 && nameStems.slice(0, at).some(isRead) && !nameStems.slice(at + 1).includes(term)
}
