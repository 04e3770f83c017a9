/**
 * @module catalog/search/kind-named
 * An id in an issue key's shape ("ABC-123", "TSHIRT-BLK-M2") that the word before it says is
 * something else: "sku ABC-123", "the part XR-20", "coupon SPRING-25" name a product's, a part's, a
 * coupon's id, not a tracker's issue (QA 307: "how many units of sku ABC-123 do we have left" met
 * Semrush's `site_audit_issues` through the key's "issue"). The word before must be a thing, inside
 * the request (not its first word, which is the verb: "transition ABC-1", "triage OPS-7"), not a
 * verb nor an issue's own name ("ticket ABC-12", "bug OPS-7", "move PROJ-12", "close ABC-1").
 */
import { isTimeWord, wordRole } from "./intent.ts"
import { isStop, splitWords, stem } from "./tokenize.ts"

/** Words that name a tracker's item: an id after them is its key. */
const ISSUE_NOUNS = new Set("issue ticket bug story task epic subtask jira key incident card defect feature request item project".split(" ").map(stem))

/** True when the word before the key-shaped id `id` in `text` names another kind of thing (see the module's doc). */
export function keyOfOtherKind(text: string, id: string): boolean {
  const words = splitWords(text)
  const first = splitWords(id)[0]
  if (first === undefined) return false
  const at = words.indexOf(first)
  if (at < 2) return false
  const before = words[at - 1]!
  const t = stem(before)
  return !isStop(before) && !/\d/.test(before) && !isTimeWord(t) && !ISSUE_NOUNS.has(t) && wordRole(before, t) === "object"
}
