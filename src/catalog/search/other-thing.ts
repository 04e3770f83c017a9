/**
 * @module catalog/search/other-thing
 * Per hit, the thing a request's opening verb acts on (unnamed-object.ts `actedOn`): a hit whose
 * name names another thing, and neither its name nor its title this one, does another thing's
 * action, when some tool of the fleet is named after the thing asked ("delete the gitlab project
 * acme/legacy": `delete_label` says "from a project" and takes `project_id`, the project is where
 * the label is, not what it deletes; `get_project` and `update_project` name projects). The
 * request-level rule (no tool names the thing anywhere) does not fire then; this one makes such a
 * hit weak. When no tool is named after it, a thing removed or renamed (one that exists, whose
 * kind must match) that some tool's summary speaks of is not acted on by a hit named after another
 * thing and silent on it ("delete the github organization acme": `delete_repository`; "rename the
 * discord server": `discord_edit_webhook`); a thing made or sent is content and stays unjudged.
 */
import type { Bm25Index } from "./bm25.ts"
import { FIELDS } from "./fields.ts"
import { asksRemoval, isActionVerb, wordRole } from "./intent.ts"
import { EXPANSION_WEIGHT, type Concept, type QueryUnit } from "./query.ts"

/** A tool's name and title: what it says it is. */
const HEAD = (["name", "title"] as const).map((f) => FIELDS.indexOf(f))
const NAME = [FIELDS.indexOf("name")]
const SUMMARY = [FIELDS.indexOf("summary")]
/** Where a tool itself speaks of what it does (not its arguments' names or help). */
const SAID = (["summary", "description", "choices"] as const).map((f) => FIELDS.indexOf(f))

/**
 * True when the tool `name` (its name's words `words`, stemmed; `own` the words all tools of its
 * server are named with) acts on another thing than `thing`: its name or title lacks the thing
 * (nor a synonym), some tool's name has it, and the words of its name that are no verb nor its
 * server's prefix name nothing the request asked (`asked`, every term of the request): a tool
 * named after a thing the request names elsewhere ("add a note to incident 42" →
 * `add_activity_to_incident`) acts on that one. `existing`: the verb removes or renames (see above).
 */
export function actsOnOtherThing(bm: Bm25Index, name: string, words: readonly string[], own: ReadonlySet<string>, thing: QueryUnit, concepts: readonly Concept[], asked: ReadonlySet<string>, existing = false): boolean {
  const terms = thing.concepts.flatMap((i) => [...concepts[i]!].filter(([, w]) => w > EXPANSION_WEIGHT.prefix).map(([t]) => t))
  if (terms.length === 0 || terms.some((t) => bm.docHasTermIn(name, t, HEAD))) return false
  // (no tool named after it: judged only for a thing removed or renamed that some summary speaks
  // of, and a tool whose own words speak of it acts on it)
  if (!terms.some((t) => bm.hasTermIn(t, NAME)) && (!existing || !terms.some((t) => bm.hasTermIn(t, SUMMARY)) || terms.some((t) => bm.docHasTermIn(name, t, SAID)))) return false
  const named = words.filter((w) => !isNameVerb(w) && !own.has(w))
  return named.length > 0 && named.every((w) => !asked.has(w))
}

/** Whether a word of a tool's name (stemmed) is a verb there, not a thing it names. */
export function isNameVerb(w: string): boolean {
  return isActionVerb(w) || asksRemoval([w]) || wordRole(w, w) !== "object"
}
