/**
 * @module catalog/search/question-history
 * A question asking which things someone did something to ("what files did i change but not commit
 * yet", "which PRs have we merged this week"): a question word, the things, then an auxiliary of
 * the past and its subject. It reads that history, as a question opening with "who" or "did" does
 * (intent.ts `asksWhatHappened`): its verbs describe the things asked for, they ask no change
 * (`edit_file` ranked first for "change").
 */

/** Words a question about which things opens with. */
const WHICH = new Set(["what", "which"])
/** Auxiliaries of what happened ("did i change", "have we merged", "had they closed"). */
const PAST = new Set(["did", "have", "has", "had"])
/** Subjects of the auxiliary. */
const SUBJECTS = new Set(["i", "we", "you", "they", "he", "she", "someone", "anyone"])
/** Words of the things asked for between the question word and the auxiliary, at most. */
const THINGS = 3

/** True when `words` (the request's words, lowercase) ask which things someone did something to. */
export function asksWhichWereDone(words: readonly string[]): boolean {
  if (!WHICH.has(words[0] ?? "")) return false
  for (let at = 2; at <= THINGS + 1 && at + 1 < words.length; at++) if (PAST.has(words[at]!) && SUBJECTS.has(words[at + 1]!)) return true
  return false
}

/** Past tenses not made with -ed that a question about who did something uses ("who broke the build", "who ran the job"). */
const IRREGULAR_PAST = new Set("did made took wrote ran gave broke set put sent left shut cut hit built brought bought began drew drove threw tore won lost paid sold told undid overwrote rewrote".split(" "))
/** What a record of who did what is called in tools and their descriptions (an audit log, an activity history). */
const AUDIT_TERMS = "history activity audit events log"

/**
 * A question asking who did something, "who" and a verb in the past ("who deleted the s3 bucket",
 * "who disabled mfa for kim", "who broke the build"): it asks the record of what was done (an
 * audit log, an activity history, a trail of events), whatever the verb — as the phrases "who
 * changed", "who edited" do (synonyms.ts). The words such a record is named with, or none.
 */
export function whoDidTerms(words: readonly string[]): string {
  const at = words.indexOf("who")
  if (at < 0 || at > 1) return ""
  const verb = words[at + 1] ?? ""
  return /^[a-z]{3,}ed$/.test(verb) || IRREGULAR_PAST.has(verb) ? AUDIT_TERMS : ""
}
