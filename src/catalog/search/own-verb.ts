/**
 * @module catalog/search/own-verb
 * Per hit, a request's own verb (intent.ts `leadingVerb`: "ban the user troll99 from the discord
 * server", "block the user on github", "export the dashboard as a PDF"): a hit that does not say it
 * — nor a synonym, nor a word derived from it — anywhere it speaks of what it does and takes does
 * something else with the things it shares with the request (`discord_get_server_info` reads the
 * server), and is weak. Not a verb before "a", "an", "some", "any" ("file a bug": the thing made
 * says the action) or a particle ("kick off", "spin up"), nor with a means or a second action
 * said (`saysMoreThanVerb`); nor a tool named after the thing the verb acts on, as typed
 * (`verbObject`: "dump the whole knowledge graph" → `read_graph`; a synonym does not name it:
 * "user" is no `get_team_members`). Judged per hit, whatever the fleet: a tool elsewhere saying the
 * verb (a GitLab issue link that "blocks") does not make `get_team_members` block a user; those
 * not saying it also rank lower then (index.ts `leadUndone`).
 */
import type { Bm25Index } from "./bm25.ts"
import { derivedFrom } from "./derived-word.ts"
import { FIELDS } from "./fields.ts"
import { isStop, splitWords, stem } from "./tokenize.ts"

/** Fields where a tool speaks of what it does and takes (not the shapes or dates its arguments show). */
export const SAID = (["name", "title", "server", "summary", "description", "choices", "argName", "argDesc"] as const).map((f) => FIELDS.indexOf(f))
/** Of those, where the tool speaks of itself, and where of what its arguments take. */
const SPEAKS = (["name", "title", "server", "summary", "description"] as const).map((f) => FIELDS.indexOf(f))
const TAKES = (["choices", "argName", "argDesc"] as const).map((f) => FIELDS.indexOf(f))
/**
 * Words after a verb that leave the action to what follows: the thing it makes ("file a bug") or a
 * particle ("kick off the pipeline", "spin up a branch": a phrasal verb means more than its verb).
 */
const NOT_OWN = new Set(["a", "an", "some", "any", "off", "up"])
/** Words derived from a verb a tool may say instead ("remind" → reminders), at most. */
const DERIVED = 8

/**
 * True when the tool `name` says none of `terms` (the request's own verb, `typed`, stemmed, and its
 * synonyms), nor a word derived from the verb ("remind me" → `add-reminders`, derived-word.ts), and the verb is
 * not before a thing made or a particle (`next`).
 */
export function ownVerbUnsaid(bm: Bm25Index, name: string, typed: string, terms: readonly string[], next: string | undefined, schema?: Record<string, unknown>): boolean {
  if (terms.length === 0 || NOT_OWN.has(next ?? "")) return false
  const verb = stem(typed)
  // (the verb itself only in what its arguments take, as a plural: a count or a sort key, "sort by
  // stars", "followers:>100"; it does not star a repository)
  const says = (t: string): boolean => bm.docHasTermIn(name, t, SPEAKS) || (bm.docHasTermIn(name, t, TAKES) && (t !== verb || !mentionsVerbOnly(schema, verb)))
  return ![...terms, ...bm.completions(verb, DERIVED).filter((w) => derivedFrom(typed, w))].some(says)
}

/**
 * True when the arguments' text has the verb `verb` (stemmed) only as a plural ("stars",
 * "followers:>100"): the tool counts or sorts by what the verb makes, it does not do it; a tool
 * named after the thing the verb acts on is then no exception (`search_repositories` for "star the
 * octo/cli repository").
 */
export function mentionsVerbOnly(schema: Record<string, unknown> | undefined, verb: string): boolean {
  const forms = splitWords(JSON.stringify(schema ?? {})).filter((w) => stem(w) === verb)
  return forms.length > 0 && forms.every((w) => /[^s]s$/.test(w))
}

/** Words ending the thing a verb acts on: a preposition opens what it is done from, to, with. */
const PREPOSITIONS = new Set("from to on in into with as for by at of about via".split(" "))

/** The words after the verb at `at` up to a preposition ("ban the user troll99 from …" → the, user, troll99). */
export function verbObject(words: readonly string[], at: number): string[] {
  if (at < 0) return []
  const end = words.findIndex((w, i) => i > at && PREPOSITIONS.has(w))
  return words.slice(at + 1, end < 0 ? words.length : end)
}

/**
 * Whether a request says more of what to do than its own verb at `at`: how ("… by pressing
 * ctrl+a") or a second action ("group the campaigns by channel and sum the spend", "watch this
 * page and tell me when it changes"): a tool may do the verb through them.
 */
export function saysMoreThanVerb(words: readonly string[], at: number): boolean {
  return words.some((w, i) => i > at && ((words[i - 1] === "by" && /ing$/.test(w)) || (words[i - 1] === "and" && !isStop(w) && !/s$/.test(w))))
}
