/**
 * @module catalog/search/contents-question
 * "What's in X?" asks to read X: its words are all stop words ("what", "is", "in"), so the request
 * kept only its thing and any tool naming that thing answered, `get_file_info` and
 * `browser_file_upload` above `read_text_file` for "what's in ~/projects/api/.env.example". Opening
 * the request or a sentence of it ("what's in", "whats in", "what is in", "what's inside"), it is
 * read as the reading verb a request to show something opens with ("show what is in …"), the thing
 * still what it reads ("read" made every tool named with it answer "what's in the users collection
 * in mongo?", the filesystem's first).
 */

/** "What's in" / "what is inside" opening the request or a sentence, and a word after it. */
const CONTENTS = /(^|[.?!]\s+)(what\s*'?\s*s|what\s+is)\s+(in|inside)\s+(?=\S)/gi

/** `query` with each "what's in …" question read as "show what is in …" (unchanged when it has none). */
export function contentsAsRead(query: string): string {
  return query.replace(CONTENTS, (_m, lead: string, _w: string, prep: string) => `${lead}show what is ${prep.toLowerCase()} `)
}
