/**
 * @module catalog/search/participle
 * A tool whose name has the verb a request opens with only as a past participle names the things
 * that action was done to (`git_diff_staged` shows what was staged, `find-completed-tasks` lists
 * what was completed, `list_archived_channels`): it does not do the action. "stage src/index.ts",
 * "complete the review task", "archive #old-news" ask for the action (index.ts: another action).
 */
import { stem } from "./tokenize.ts"

/** A verb's bare form as a request opens with it ("stage", "complete"; not "staged", "tasks", "listing"). */
const BARE = /^[a-z]{3,}$/
const INFLECTED = /(?:ed|ing|[^s]s)$/

/**
 * Whether `toolWords` (the raw words of a tool's own name) have the request's opening word `verb`
 * only in its past participle ("staged" for "stage"), not in any other form.
 */
export function namesVerbDone(toolWords: readonly string[], verb: string | undefined): boolean {
  if (verb === undefined || !BARE.test(verb) || INFLECTED.test(verb)) return false
  const t = stem(verb)
  const forms = toolWords.filter((w) => stem(w) === t)
  return forms.length > 0 && forms.every((w) => w !== verb && w.endsWith("ed"))
}
