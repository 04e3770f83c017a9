/**
 * @module catalog/search/text-verb
 * The verb a request opens with, when a tool is named with it ("refund order #1187" →
 * `create-refund`), is that tool's action: a tool named with another change ("cancel-order") that
 * says the verb only in its text ("… refunding the payment and notifying the customer") does it as a
 * side effect of its own action, another action (× otherAction, index.ts). It ranked above the
 * refund tool through "order" in its name (QA 307). A tool whose own summary opens with the verb
 * does it, whatever verb its name has (`fedex_create_pickup`, "Schedule a FedEx courier pickup …",
 * for "schedule a fedex pickup"; QA 358: it ranked below `fedex_cancel_pickup`, which only says
 * "a scheduled pickup"): index.ts checks that before asking this module.
 */
import { asksRemoval, isActionVerb, isChangeVerb } from "./intent.ts"
import { stem } from "./tokenize.ts"

/**
 * A change of its own (refund, cancel, archive, approve…): not a generic write (create, add, update,
 * send: a tool named with one says others in its text as its effect, "Creates or updates …") nor a
 * removal (delete, clear, purge say one another).
 */
function specificChange(verb: string): boolean {
  return isChangeVerb(verb) && !isActionVerb(verb) && !asksRemoval([verb])
}

/**
 * Whether a tool named `nameWords` (as split) does another change than the request's opening verb
 * `verb` (stemmed, a change of its own some tool is named with): its name has a change verb and not
 * `verb`, and its text says `verb` (`saysVerb`).
 */
export function actsByOtherVerb(nameWords: readonly string[], verb: string, saysVerb: boolean): boolean {
  if (!saysVerb || !specificChange(verb)) return false
  const stems = nameWords.map((w) => stem(w.toLowerCase()))
  return !stems.includes(verb) && stems.some((w) => w !== verb && isChangeVerb(w))
}
