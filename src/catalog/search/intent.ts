/**
 * @module catalog/search/intent
 * Whether a request asks to remove something, and whether a tool removes things. A tool that
 * deletes, drops or wipes what it acts on shares most of its words with the tools that create or
 * read the same objects ("delete_observations" / "add_observations"), so plain word matching ranks
 * it as high as them for any request about those objects. Unless the request asks to remove
 * something, such a tool is ranked lower: offering a destructive tool for "remember a fact" is the
 * worse mistake.
 */
import { stem } from "./tokenize.ts"

/** Verbs that remove or wipe what they act on (a request using one of them asks for removal). */
const REMOVAL = new Set(
  "delete remove drop destroy erase purge wipe clear truncate uninstall unlink revoke reset forget discard prune unset"
    .split(" ")
    .map(stem),
)

/** True when one of the request's terms (typed or brought in by a synonym) is a removal verb. */
export function asksRemoval(terms: Iterable<string>): boolean {
  for (const t of terms) if (REMOVAL.has(t)) return true
  return false
}

/**
 * How a tool removes things: `"name"` when its own name says so (`delete_file`, `drop-table`,
 * `git_reset`) or when it declares `destructiveHint` and its description starts with a removal
 * verb ("Deletes …"); `"hint"` when it only declares `destructiveHint` (tools that overwrite,
 * move or edit, and servers that mark every write destructive); undefined otherwise.
 */
export function removalKind(nameWords: readonly string[], annotations: Record<string, unknown> | undefined, summaryWords: readonly string[]): "name" | "hint" | undefined {
  if (nameWords.some((w) => REMOVAL.has(w))) return "name"
  // MCP: destructiveHint means something only for a tool that is not read-only.
  if (annotations?.destructiveHint !== true || annotations.readOnlyHint === true) return undefined
  const first = summaryWords[0]
  return first !== undefined && REMOVAL.has(first) ? "name" : "hint"
}
