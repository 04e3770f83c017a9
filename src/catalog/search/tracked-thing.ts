/**
 * @module catalog/search/tracked-thing
 * The things a tracker keeps (issues, tickets, bugs, PRs, cases, incidents), which "open", "raise",
 * "file" or "submit" before one makes (senses.ts); and one typed bare, with no determiner and no id
 * after it ("open PR from fix/login to main", "file bug about the login page"), made as after "a".
 */

/** Things a tracker keeps, that "open" before "a"/"an" or a count makes ("open a bug", "open 3 tickets"; "open a file" reads). */
export const TRACKED: ReadonlySet<string> = new Set("issue issues ticket tickets bug bugs pr prs case cases incident incidents".split(" "))

/** A tracked thing's plural ("issues", "prs", "cases"). */
const PLURAL = /s$/

/**
 * True when `words[at]` is one tracked thing typed bare, with no determiner and no id after it
 * ("open PR from fix/login to main", "submit merge request for the fix"): one made, as after "a".
 * Not a plural ("open issues labeled bug" lists them) nor one with its id ("open PR 42", "open
 * issue #7" read it).
 */
export function bareTracked(words: readonly string[], at: number): boolean {
  const w = words[at] ?? ""
  const pair = (w === "pull" || w === "merge") && words[at + 1] === "request"
  if (!pair && !(TRACKED.has(w) && !PLURAL.test(w))) return false
  const after = words[at + (pair ? 2 : 1)]
  return after === undefined || !/\d/.test(after)
}
