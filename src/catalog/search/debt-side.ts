/**
 * @module catalog/search/debt-side
 * Which side of a debt "owe" is on, from who owes whom: "how much do we owe acme", "what I owe
 * the vendor" is what is payable (bills to pay); "who owes us money", "what does globex owe me",
 * "owed to us" is what is receivable (invoices unpaid). "owe" alone brings both (synonyms.ts): in
 * such a request the subject or the object settles it (senses.ts).
 */

const OWE = new Set(["owe", "owes", "owed", "owing"])
/** We as the debtor, before the verb ("we owe", "do i owe", "we still owe"). */
const DEBTOR = new Set(["we", "i"])
/** Us as the creditor, after the verb ("owe us", "owed to me"; not "owe our vendors": they are owed). */
const CREDITOR = new Set(["us", "me"])

/** The word of "owe" as typed and what it means here (payable or receivable), or undefined. */
export function debtSide(words: readonly string[]): { word: string; side: "payable" | "receivable" } | undefined {
  const at = words.findIndex((w) => OWE.has(w))
  if (at < 0) return undefined
  const after = words.slice(at + 1, at + 3).filter((w) => w !== "to")
  if (words.slice(Math.max(0, at - 3), at).some((w) => DEBTOR.has(w))) return { word: words[at]!, side: "payable" }
  if (after.length && CREDITOR.has(after[0]!)) return { word: words[at]!, side: "receivable" }
  return undefined
}
