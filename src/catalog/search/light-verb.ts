/**
 * @module catalog/search/light-verb
 * A light verb before "a"/"an" says nothing of its own: the noun after it is the action ("take a
 * backup of the db", "do a restore", "run a vacuum", "take a snapshot"). That noun is then the
 * thing the request makes, which a tool must name as "make a backup" asks it to
 * (unnamed-object.ts): when none does, no tool does what was asked ("take a backup of the prod
 * postgres db" is no read-only `query`). A noun a tool names still answers ("take a screenshot").
 */

/** Verbs whose meaning, before "a"/"an", is the noun that follows. */
const LIGHT = new Set(["take", "do", "run"])
/** The articles after which the noun is the action. */
const ARTICLES = new Set(["a", "an"])

/** True when `words[at]` is a light verb whose action is the noun after its article ("take a backup"). */
export function lightVerbMakes(words: readonly string[], at: number): boolean {
  return LIGHT.has(words[at] ?? "") && ARTICLES.has(words[at + 1] ?? "")
}
