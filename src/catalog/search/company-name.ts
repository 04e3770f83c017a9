/**
 * @module catalog/search/company-name
 * A company's legal form after its name ("acme corp", "globex inc", "initech llc") marks the words
 * before it as that company's name, typed in lowercase or not: an instance the request is about (a
 * customer, an account), not a thing the tools must know ("cancel subscription of acme corp" asks
 * for Stripe's `cancel_subscription`, whatever "corp" is to the tools).
 */

/** Legal forms of a company, as typed after its name (lowercase, without dots). */
const LEGAL_FORMS = new Set("inc corp corporation ltd llc llp plc gmbh".split(" "))

/** True when `words` (lowercase, in order) end with a company's legal form after its name ("acme corp"). */
export function endsCompanyName(words: readonly string[]): boolean {
  return words.length >= 2 && LEGAL_FORMS.has(words.at(-1)!.replace(/\.$/, ""))
}
