/**
 * @module catalog/search/state-question
 * The verb whose state a question asks, past the "is X done" of intent.ts `asksState`: "did the
 * acme nda get signed yet", "has the offer been accepted", "who still needs to sign the msa", "who
 * hasn't signed". Such a question asks for a status. A tool that does something to the things not
 * in that state yet (DocuSign's `resend_envelope`, "to recipients who have not signed yet";
 * `create_recipient_view`, "so a recipient can sign") says the verb only as the state of what it
 * acts on: it answers no status question, and came first by "signed yet".
 */
import { americanStem, stem } from "./tokenize.ts"

/** Words a yes-or-no question about a thing's state opens with. */
const OPENS = new Set("did does do has have had is are was were".split(" "))
/** Words a participle of a state follows ("get signed", "been approved"). */
const PASSIVE = new Set("get got gets been is are was were".split(" "))
/** Words before the verb a "who" question asks the pending state of ("who still needs to sign"). */
const PENDING = new Set("needs need hasnt havent hasn't haven't didnt didn't not yet".split(" "))

/** Words saying a state is still pending ("signed yet", "still needs"). */
export const PENDING_WORDS = new Set("yet still".split(" "))

/** A verb as `askedStates` gives it (stemmed, in American spelling). */
export const stateStem = (w: string): string => americanStem(w) ?? stem(w)

/** The verbs (stemmed) whose state `words` (a request's words, lower case) asks; empty when it asks none. */
export function askedStates(words: readonly string[]): string[] {
  if (OPENS.has(words[0] ?? "")) {
    return words.filter((w, i) => i > 1 && PASSIVE.has(words[i - 1]!) && /^[a-z]{2,}[^e]ed$/.test(w)).map(stateStem)
  }
  if (words[0] === "who") {
    const at = words.findIndex((w) => PENDING.has(w))
    if (at < 0) return []
    const verb = words[at + 1] === "to" ? words[at + 2] : words[at + 1]
    return verb && /^[a-z]{3,}$/.test(verb) ? [stateStem(verb)] : []
  }
  return []
}
