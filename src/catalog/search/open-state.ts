/**
 * @module catalog/search/open-state
 * "Open" opening a request right before things in the plural ("open pull requests with the label
 * needs-review", "open issues assigned to me", "open PRs on main") is their state, not a verb: the
 * request lists the things that are open. Read as a verb it asked to make or change them, and
 * `update_pull_request` (its `state` choices open, closed) and `create_pull_request` ranked above
 * `list_pull_requests`. The thing may be two words, its last in the plural ("pull requests",
 * "merge requests"); "open a PR", "open 3 tickets", "open PR 42" keep their senses (senses.ts).
 */
import { PLURAL } from "./several.ts"

/** Words that, before "request(s)", make one thing of two. */
const COMPOUND_HEAD = new Set(["pull", "merge", "feature", "change"])

/** True when `words[at]` is "open" right before a thing typed in the plural (one word or a two-word thing whose last is). */
export function openAsState(words: readonly string[], at: number): boolean {
  if (words[at] !== "open") return false
  const next = words[at + 1] ?? ""
  const thing = COMPOUND_HEAD.has(next) ? (words[at + 2] ?? "") : next
  return PLURAL.test(thing) || thing === "prs" || thing === "mrs"
}
