/**
 * @module catalog/search/head-thing
 * A tool named after a part of the thing asked, not the thing: the last thing word of its name
 * (its head: `pull_request_review_write` is about reviews, `add_reply_to_pull_request_comment`
 * about comments) is not asked, while a thing word before it is ("open a PR from feature/login":
 * a pull request, which `create_pull_request` is named after). When some tool's name the request
 * covers wholly and that is named after the thing, such a tool ranks below (index.ts).
 */
import { isNameVerb } from "./other-thing.ts"
import { stem } from "./tokenize.ts"

/** Words naming what of a thing a tool reads, not another thing (`quality_gate_status` is about the gate). */
const ATTRIBUTES = new Set("status state info details summary metadata stats count".split(" ").map(stem))

/** Words naming the key a tool finds its thing by (`epics-get-by-id`, `get_issue_by_id`), no thing. */
const KEYS = new Set(["id", "uuid"])

/**
 * The thing a tool's name is about: its last thing word, not a verb, an attribute or a key
 * (`get_issue_status`, `epics-get-by-id` are about the issue, the epics), past the words of its
 * server or prefix (`own`) it opens with (`git_log` is about the log; `connect_to_database` of
 * database-server about the database).
 */
export function nameHead(words: readonly string[], own: ReadonlySet<string>): string | undefined {
  let at = 0
  while (at < words.length - 1 && own.has(words[at]!)) at++
  return words.slice(at).filter((w) => !isNameVerb(w) && !ATTRIBUTES.has(w) && !KEYS.has(w)).at(-1)
}

/**
 * The thing words the request covers (`cover(w) > 0`) before a tool's name ends on a thing word it
 * does not ask (`asked`, every term of it, synonyms too), or none (`words`: the name's words,
 * stemmed; `own` its server's name and prefix words). The name's first word is its verb's place
 * (`draft_email`), an attribute is no other thing.
 */
export function partOfThingAsked(words: readonly string[], own: ReadonlySet<string>, asked: ReadonlySet<string>, cover: (w: string) => number): string[] {
  const things = words.slice(1).filter((w) => !isNameVerb(w) && !own.has(w))
  const head = things.at(-1)
  if (head === undefined || things.length < 2 || ATTRIBUTES.has(head) || asked.has(head)) return []
  return things.slice(0, -1).filter((w) => cover(w) > 0)
}

/** Whether a tool named `words` is named after the thing itself: it has every word of `part`. */
export function namedAfterThing(words: readonly string[], part: readonly string[]): boolean {
  return part.every((w) => words.includes(w))
}
