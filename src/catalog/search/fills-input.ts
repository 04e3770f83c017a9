/**
 * @module catalog/search/fills-input
 * A loose verb that places content ("put", "paste", "insert", "drop", "stick") with "in" or "into"
 * and an input of a page or form after it ("put my email in the login form", "paste the code into
 * the search box"): what is placed in an input fills it, or types into it, the content is no thing asked for
 * (sentry's `whoami`, which returns the user's email, ranked first for "put my email in the login
 * form"; `puppeteer_fill` 4th). Not "type" or "enter": they say it already ("type my email into
 * the login box" is the browser's type). A sense of senses.ts.
 */

/** Loose verbs that place content somewhere. */
export const PLACES = new Set("put paste insert drop stick".split(" "))
/** Inputs of a page or form, that content is typed into. */
const INPUTS = new Set("form field input box textbox textarea searchbox searchbar".split(" "))
/** Prepositions of where content goes. */
const INTO = new Set(["in", "into"])
/** Words after the preposition up to the input, at most ("in the login form", "into the big search box"). */
const BEFORE_INPUT = 3

/** True when the verb at `at` of `words` (lowercase, as typed) places content in an input named after "in"/"into". */
export function fillsInput(words: readonly string[], at: number): boolean {
  if (!PLACES.has(words[at] ?? "")) return false
  const into = words.findIndex((w, i) => i > at + 1 && INTO.has(w))
  return into > 0 && words.slice(into + 1, into + 2 + BEFORE_INPUT).some((w) => INPUTS.has(w) || (w.endsWith("s") && INPUTS.has(w.slice(0, -1))))
}
