/**
 * @module catalog/search/declined
 * A figure that went down, said with a verb that elsewhere removes a thing: "why did the eval
 * drop", "accuracy dropped after the merge", "why has latency tanked", "the drop in recall". The
 * verb has the figure as its subject (a word between an auxiliary and it, or a noun before its past
 * form with no object after), or is a noun ("a drop in …"): nothing is deleted, a figure is
 * asked to be compared over time or across runs. "drop the table", "we dropped the index", "drop
 * me a line" keep their sense (a person as the subject, or an object after the verb).
 */

/** Verbs of going down whose base form also removes or discards a thing. */
const DECLINES = new Set("drop drops dropped dip dipped tank tanked fall fell plummet plummeted plunge plunged crater cratered regress regressed".split(" "))
/** Their past forms, which say it of a subject typed before them ("accuracy dropped"). */
const PAST = new Set("dropped dipped tanked fell plummeted plunged cratered regressed".split(" "))
/** Auxiliaries a question puts before the subject ("why did the eval drop", "has recall dropped"). */
const AUXILIARIES = new Set("did does do has have had is was".split(" "))
/** Subjects that do the removing ("we dropped the table"), and words that open an object after the verb. */
const PERSONS = new Set("i we you they he she someone somebody who".split(" "))
const OBJECT_OPENERS = new Set("the a an this that these those my our your his her their its it them all every me us him".split(" "))

/** The word (as typed) that says a figure went down, or undefined. */
export function declineAt(words: readonly string[]): string | undefined {
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!
    if (!DECLINES.has(w)) continue
    const next = words[i + 1]
    if (next !== undefined && OBJECT_OPENERS.has(next)) continue
    const before = words.slice(0, i)
    // "a drop in recall", "the dip in signups": the noun
    if ((words[i - 1] === "a" || words[i - 1] === "the") && next === "in") return w
    // "why did the eval drop", "has recall dropped": an auxiliary, then a subject that is no person
    const aux = before.findLastIndex((b) => AUXILIARIES.has(b))
    if (aux >= 0 && aux < i - 1 && !before.slice(aux + 1).some((b) => PERSONS.has(b))) return w
    // "accuracy dropped after the merge": a past form after a subject that is no person
    if (PAST.has(w) && !PERSONS.has(words[i - 1]!) && !before.some((b) => PERSONS.has(b))) return w
  }
  return undefined
}
