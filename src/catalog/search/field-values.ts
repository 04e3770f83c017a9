/**
 * @module catalog/search/field-values
 * Fields given with their values after "with" ("insert a row into orders with id 5 and total 20",
 * "create a user with age 30"): the word before a value names an argument or a column of the thing
 * the request acts on, not a thing a tool must be named for (`resolve-library-id` has "id" in its
 * name; it inserts no row).
 */

/** Words joining the fields given after "with". */
const JOIN = new Set(["with", "and"])

/**
 * The words of `words` (a request's raw words) that name a field given with a value: right after
 * "with" (or "and" past a "with"), followed by a number.
 */
export function fieldNames(words: readonly string[]): Set<string> {
  const out = new Set<string>()
  const withAt = words.indexOf("with")
  if (withAt < 0) return out
  for (let i = withAt + 1; i + 1 < words.length; i++) {
    if (JOIN.has(words[i - 1]!) && /^[a-z_]+$/.test(words[i]!) && /\d/.test(words[i + 1]!)) out.add(words[i]!)
  }
  return out
}
