/**
 * @module catalog/search/exists-question
 * "Is there a …?" asks to find one: its words are stop words, so only the
 * thing was left and the tool reading one by its id ranked with the one searching for them
 * (`get_latest_module_version` above `search_modules` for "is there a terraform module for an s3
 * bucket"). Opening the request or a sentence of it ("is there a", "is there an"), it is read as
 * the search it asks for ("find a …"). Not "are there any …" nor "is there any …": several of a
 * kind, a listing (several.ts), which "find" would make a search for one.
 */

/** "Is there a/an" opening the request or a sentence, a word after it. */
const EXISTS = /(^|[.?!]\s+)is\s+there\s+(a|an)\s+(?=\S)/gi

/** `query` with each "is there a …?" question read as "find a …" (unchanged when it has none). */
export function existsAsFind(query: string): string {
  return query.replace(EXISTS, (_m, lead: string, det: string) => `${lead}find ${det.toLowerCase()} `)
}
