/**
 * @module catalog/search/bare-id
 * A request opening with a verb of its own before a thing and its id, no determiner between, as
 * typed tersely ("void invoice in_1234 in stripe", "refund charge ch_3Nx9", "pin message 1712"):
 * the verb acts on that item as it does in "void the invoice in_1234" (intent.ts `leadingVerb`
 * wants a word that follows verbs after it), so a hit that does not say it does something else with
 * the item (`finalize_invoice`, `list_invoices` answered "void invoice in_1234" strong). So too a
 * verb before one word and a preposition of where it goes ("invite bob to the github org", "kick
 * sam from the channel", "promote alice to admin"): someone or something moved to or from a place.
 */
import { OPERAND } from "./compound-verb.ts"
import { openingAt } from "./intent.ts"
import { isProductName } from "./synonyms.ts"
import { isStop, rawTokens, stem } from "./tokenize.ts"

/** A plain word of letters, a verb's or a thing's. */
const WORD = /^[a-z]{3,}$/

/** True when the request opens (after "please", "can you") with a word, then a thing's word, then an id (a word with a digit). */
export function verbBeforeId(request: string): boolean {
  const toks = rawTokens(request)
  const at = openingAt(toks)
  const [verb, thing, id] = [toks[at], toks[at + 1], toks[at + 2]]
  return verb !== undefined && thing !== undefined && id !== undefined && WORD.test(verb) && WORD.test(thing) && !isStop(thing) && OPERAND.test(id)
}

/** Prepositions of where the thing a verb acts on goes or leaves ("invite bob to …", "kick sam from …"). */
const WHERE_TO = new Set(["to", "into", "onto", "from"])

/**
 * True when the request opens (after "please", "can you") with a word that is no product's name
 * ("gmail unread from boss" names where), then one thing of letters that is no stop word nor a plural
 * ("select rows from the users table" is a query's), then "to", "into", "onto" or "from".
 */
export function verbBeforePlace(request: string): boolean {
  const toks = rawTokens(request)
  const at = openingAt(toks)
  const [verb, thing, to] = [toks[at], toks[at + 1], toks[at + 2]]
  if (verb === undefined || thing === undefined || to === undefined || !WORD.test(verb) || isProductName(stem(verb))) return false
  return WORD.test(thing) && !isStop(thing) && !/[^s]s$/.test(thing) && WHERE_TO.has(to)
}
