/**
 * @module catalog/search/negated-state
 * A change said as not done yet ("what files did i change but not commit yet", "which branches have
 * i not pushed yet", "PRs not yet merged") describes the state the things are in, it asks for no
 * change: the verb means their status there (senses.ts), so `git_commit` is not asked and
 * `git_status` is. Only "not" (or "never"), a pronoun or "yet"/"been" between, then a word that is
 * no stop word and no verb that reads, with "yet" said ("do not delete the branch" asks, "is not
 * working" is no state of a change).
 */

/** Words that may stand between the negation and its verb ("did not i commit", "have not yet pushed"). */
const BETWEEN = new Set("i we you they he she it yet been ever".split(" "))

/** The verb (as typed) of `words` said as not done yet, when `verbLike` takes it for a verb, else undefined. */
export function negatedChange(words: readonly string[], verbLike: (w: string) => boolean): string | undefined {
  if (!words.includes("yet")) return undefined
  for (let i = 0; i < words.length; i++) {
    if (words[i] !== "not" && words[i] !== "never") continue
    let j = i + 1
    while (j < words.length && j <= i + 3 && BETWEEN.has(words[j]!)) j++
    const verb = words[j]
    if (verb !== undefined && verbLike(verb)) return verb
  }
  return undefined
}
