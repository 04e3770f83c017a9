/**
 * @module catalog/search/abbreviations
 * Abbreviations people and tools write for a thing of several words ("PR", "MR", "DM"), read as
 * those words on both sides, request and tool: "show gitlab MR !42"
 * asks for a merge request, which `get_merge_request` names wholly and `mr_discussions` (indexed
 * as "merge request discussions") only in part. Only abbreviations with one meaning across
 * software vocabularies; a plural keeps its plural ("PRs" → "pull requests"). A short form of one
 * word ("repo", "env") stays a synonym (synonyms.ts): read as the word, it changed which tools a
 * request about "this repo" met through arguments named `repo`.
 */
const WORDS: Readonly<Record<string, string>> = {
  pr: "pull request",
  mr: "merge request",
  dm: "direct message",
}
/** The longest key of WORDS. */
const MAX_KEY = Math.max(...Object.keys(WORDS).map((k) => k.length))

/** A word (lowercase) as the words it abbreviates, or undefined for a word that is none. */
export function abbreviated(word: string): string[] | undefined {
  const one = own(word)
  if (one !== undefined) return one.split(" ")
  const many = word.endsWith("s") ? own(word.slice(0, -1)) : undefined
  return many === undefined ? undefined : `${many}s`.replace(/ys$/, "ies").split(" ")
}

/** The table's own entry only: a word of a query or a tool's text such as "constructor" or
 * "toString" read Object.prototype's function (search_tools failed with "t.split is not a function"). */
function own(word: string): string | undefined {
  // (no key is longer: a property look-up of every word of 10 000 tools' texts, long ones
  // included, was an eighth of the time indexing them took)
  if (word.length > MAX_KEY) return undefined
  return Object.hasOwn(WORDS, word) ? WORDS[word] : undefined
}
