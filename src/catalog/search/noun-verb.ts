/**
 * @module catalog/search/noun-verb
 * A thing a tool creates, typed as the request's first word with whom or what it is for after it,
 * is used as a verb: "invoice globex for 40 hours" makes an invoice, as "create an invoice for
 * globex" does (before, the tools sending, updating and reading invoices ranked above the one
 * creating it: the request typed no verb). Only when a tool is named with a verb that makes and
 * that thing alone (`create_invoice`, `add_note`), the word is no verb of its own, and what follows
 * is a pronoun or a name the index does not know ("them", "globex"): "invoice 1234",
 * "invoice status", "invoices for acme" name things.
 */
import { isStop } from "./tokenize.ts"

/** Verbs a tool is named with when it makes the thing its name says. */
export const MAKING = new Set(["create", "add", "new", "make"])

/**
 * Pronouns after the thing that say whom it is for ("invoice them for march"). Not a determiner:
 * "tag the card" is a verb of its own before a thing ("tag" makes no tag there).
 */
const POINTER = new Set("them him her everyone".split(" "))

/**
 * The request `words` with the verb of the tool making its first word put before it ("create
 * invoice globex …"), or undefined. `opening`: where the request opens (after "please", "can you");
 * `maker(w)`: the verb of a tool named with a making verb and `w` alone; `verbLike(w)`: a verb of
 * its own; `known(w)`: a word some tool has.
 */
export function nounAsVerb(words: readonly string[], opening: number, maker: (w: string) => string | undefined, verbLike: (w: string) => boolean, known: (w: string) => boolean): string[] | undefined {
  const w = words[opening]
  const next = words[opening + 1]
  if (w === undefined || next === undefined || !/^[a-z]{3,}$/.test(w) || /[^s]s$/.test(w) || isStop(w) || verbLike(w)) return undefined
  if (!POINTER.has(next) && !(/^[a-z]{2,}$/.test(next) && !isStop(next) && !known(next))) return undefined
  const verb = maker(w)
  return verb === undefined ? undefined : [...words.slice(0, opening), verb, ...words.slice(opening)]
}
