/**
 * @module catalog/search/bare-id
 * A request opening with a verb of its own before a thing and its id, no determiner between, as
 * typed tersely ("void invoice in_1234 in stripe", "refund charge ch_3Nx9", "pin message 1712"):
 * the verb acts on that item as it does in "void the invoice in_1234" (intent.ts `leadingVerb`
 * wants a word that follows verbs after it), so a hit that does not say it does something else with
 * the item (`finalize_invoice`, `list_invoices` answered "void invoice in_1234" strong).
 */
import { OPERAND } from "./compound-verb.ts"
import { openingAt } from "./intent.ts"
import { isStop, rawTokens } from "./tokenize.ts"

/** A plain word of letters, a verb's or a thing's. */
const WORD = /^[a-z]{3,}$/

/** True when the request opens (after "please", "can you") with a word, then a thing's word, then an id (a word with a digit). */
export function verbBeforeId(request: string): boolean {
  const toks = rawTokens(request)
  const at = openingAt(toks)
  const [verb, thing, id] = [toks[at], toks[at + 1], toks[at + 2]]
  return verb !== undefined && thing !== undefined && id !== undefined && WORD.test(verb) && WORD.test(thing) && !isStop(thing) && OPERAND.test(id)
}
