/**
 * @module catalog/search/name-verb
 * A tool named with a verb that makes, writes or removes (`create_project`, `update_issue`,
 * `delete_label`) does that to the thing it is named after, not a verb of the request's own ("mute
 * the noisy project in sentry": `create_project` is named after the project, and the exemption of a
 * tool named after the thing asked, own-verb.ts, made it a strong answer). A reader named after the
 * thing still answers such a verb ("dump the whole knowledge graph" → `read_graph`).
 */
import { askedFamily, asksRemoval } from "./intent.ts"

/** True when a word of a tool's name (`words`, stemmed) is a verb that makes, writes or removes. */
export function namedWithChange(words: readonly string[]): boolean {
  return words.some((w) => askedFamily([w]) === "write" || asksRemoval([w]))
}
