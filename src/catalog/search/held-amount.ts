/**
 * @module catalog/search/held-amount
 * A question about what one holds: "how much crypto do i have", "how many shares of tsla do we
 * own", "how are my stocks doing". It reads a balance, the holdings or positions (a portfolio):
 * never an action on the thing named (QA 321: `send_crypto` came first by "crypto" alone, the
 * positions 7th for "stocks"). The words such a record is named with, or none.
 */

/** Verbs of holding after "do i" / "do we" ("how much crypto do i have"). */
const HOLD = new Set(["have", "own", "hold", "got"])
/** Subjects of the holder. */
const HOLDER = new Set(["i", "we"])
/** Verbs of how holdings fare after "how are my …" ("how are my stocks doing"). */
const FARE = new Set(["doing", "performing", "looking"])
/** What a record of one's holdings is called in tools and their descriptions. */
export const HOLDINGS_TERMS = "balance holdings positions portfolio"

/** The words a record of holdings is named with when `words` (lowercase, as typed) asks what one holds or how it fares; "" otherwise. */
export function heldTerms(words: readonly string[]): string {
  if (words[0] !== "how") return ""
  if (words[1] === "much" || words[1] === "many") {
    for (let i = 3; i + 2 < words.length; i++) if ((words[i] === "do" || words[i] === "does") && HOLDER.has(words[i + 1] ?? "") && HOLD.has(words[i + 2] ?? "")) return HOLDINGS_TERMS
    return ""
  }
  return (words[1] === "are" || words[1] === "is") && (words[2] === "my" || words[2] === "our") && FARE.has(words.at(-1) ?? "") ? HOLDINGS_TERMS : ""
}
