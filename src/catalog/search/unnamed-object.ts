/**
 * @module catalog/search/unnamed-object
 * The thing a request's opening verb acts on matters more than the verb: when no tool names it
 * anywhere (name, description, arguments; nor a synonym, a typo's correction or a word it starts),
 * no tool does what was asked, however many tools share the verb ("create an invite link for the
 * discord server" is no `discord_create_category`, "ban the spammer" no `discord_login`). Every
 * hit is then weak (index.ts).
 */
import type { Bm25Index } from "./bm25.ts"
import { FIELDS } from "./fields.ts"
import { afterSubject, askedFamily, asksRemoval, isTimeWord, openingAt } from "./intent.ts"
import { EXPANSION_WEIGHT, type Concept, type QueryUnit } from "./query.ts"
import { lightVerbMakes } from "./light-verb.ts"
import { isStop, splitWords, stem } from "./tokenize.ts"

/** Fields naming a tool: its name and title. */
const HEAD_FIELDS = (["name", "title"] as const).map((f) => FIELDS.indexOf(f))
/** Fields naming a tool's server. */
const SERVER_FIELD = [FIELDS.indexOf("server")]

/** Words that end the words naming a thing: prepositions the stop words lack, pronouns of everyone. */
const ENDS = new Set("behind around near under over above below across between via called named titled mentioning everyone everybody everything someone something anything".split(" "))

/**
 * Verbs whose object is content, not a kind of thing: what is searched for ("find pharmacies near
 * me") or put into a thing named after it ("append a checklist to the page").
 */
const CONTENT_VERBS = new Set("find search query lookup look append insert put".split(" ").map(stem))

/** Words between a verb and the thing it acts on ("create an invite", "delete my old notes"). */
const DETERMINERS = new Set("the a an this that these those my our your his her their its some any all every each".split(" "))

/**
 * The word naming the thing the request's opening verb acts on (the last of the plain words after
 * the verb and its determiners, up to a stop word or anything not a plain word: "the quarterly
 * numbers" are numbers) when no tool has it anywhere. Only when the request opens with a verb (a change or a verb no list knows: not a
 * question, a command line or a plain noun phrase) that is one of creating, reading, writing or
 * removing, which any thing can be the object of. Not a capitalized name ("invite Bob"), a
 * word with digits, nor a word of time.
 */
export function unnamedObject(bm: Bm25Index, query: string, units: readonly QueryUnit[], concepts: readonly Concept[]): QueryUnit[] {
  const o = actedOn(bm, query, units, concepts)
  return o && !o.known && !o.bySynonym && !heardIn(bm, concepts, o.unit) ? [o.unit] : []
}

/** Whether a unit's word (or a synonym, a correction, a word it starts) is a term of the index. */
function heardIn(bm: Bm25Index, concepts: readonly Concept[], u: QueryUnit): boolean {
  return u.concepts.some((i) => [...concepts[i]!].some(([t, w]) => w >= EXPANSION_WEIGHT.prefix && bm.hasTerm(t)))
}

/** The thing a request's opening verb acts on (see `unnamedObject`). */
export interface ActedOn {
  /** The unit of the last word of the words naming it ("project" of "the gitlab project acme/legacy"). */
  unit: QueryUnit
  /** Whether a word before it is a thing the tools know other than a server's name ("shard allocation"). */
  known: boolean
  /** Whether the verb writes only through a synonym ("rename" → edit): no tool naming the thing then says nothing of every hit. */
  bySynonym: boolean
  /** Whether the verb removes or renames a thing that exists ("delete the github organization acme", "rename the discord server"): its kind must match. */
  existing: boolean
}

/**
 * The thing a request opening with a verb of creating, reading, writing or removing acts on, as
 * `unnamedObject` reads it; undefined when it opens otherwise or names no plain thing.
 */
export function actedOn(bm: Bm25Index, query: string, units: readonly QueryUnit[], concepts: readonly Concept[]): ActedOn | undefined {
  if (units.some((u) => u.role === "command")) return undefined
  const toks = query.trim().split(/\s+/)
  const words = splitWords(query)
  const at = openingAt(words)
  const verb = units.find((u) => u.text === words[at])
  // the request opens with its verb, typed in lowercase letters alone ("create …", not "GET /v1/…"),
  // one that says nothing of the thing (create, add, get, list, delete…): a verb of its own says
  // what is done to any content ("email the weekly report", "highlight the clause", "draw a logo")
  const t = stem(words[at] ?? "")
  // (or a verb whose synonym writes: "rename" edits; its thing is judged per hit only, other-thing.ts)
  // (or a light verb whose action is the noun after its article: "take a backup", light-verb.ts)
  const own = askedFamily([t]) !== undefined || asksRemoval([t]) || lightVerbMakes(words, at)
  const bySynonym = !own && verb !== undefined && verb.concepts.some((i) => [...concepts[i]!].some(([s, w]) => w > EXPANSION_WEIGHT.prefix && askedFamily([s]) === "write"))
  if (!verb || toks[at] !== words[at] || CONTENT_VERBS.has(t) || !(own || bySynonym)) return undefined
  const heard = (u: QueryUnit): boolean => heardIn(bm, concepts, u)
  // (a tool named after it, its word or a synonym: "platform" a description speaks of names no kind of thing)
  const named = (u: QueryUnit): boolean => u.concepts.some((c) => [...concepts[c]!].some(([k, w]) => w > EXPANSION_WEIGHT.prefix && bm.hasTermIn(k, HEAD_FIELDS)))
  let i = at + 1
  while (i < toks.length && DETERMINERS.has(toks[i]!.toLowerCase())) i++
  const phrase: string[] = []
  for (; i < toks.length; i++) {
    const tok = toks[i]!
    // a plain lowercase word (a name is capitalized, a literal has digits or punctuation), up to a
    // stop word, a preposition, a participle or a word of time ("a branch called hotfix")
    if (!/^[a-z]+$/.test(tok) || isStop(tok) || ENDS.has(tok) || (phrase.length > 0 && /(?:ing|ed)$/.test(tok)) || isTimeWord(stem(tok)) || afterSubject(words, words.indexOf(tok))) break
    phrase.push(tok)
  }
  // (a literal inside the phrase, "the local report.xlsx file": the literal is the thing)
  if (i < toks.length && !/^[a-z]+$/.test(toks[i]!) && /^[a-z]+$/.test(toks[i + 1] ?? "") && !isStop(toks[i + 1]!)) return undefined
  // the phrase's last word: the words before it say which one ("the quarterly numbers"), unless one
  // of them is a thing the tools know ("shard allocation" is of shards) other than a server's name
  // (a word no tool is named after, after a thing one is, names it, typed in lowercase: "the github
  // organization acme" is an organization, "the gitlab group platform" a group, though a
  // description says "platform")
  const serverWord = (m: QueryUnit): boolean => m.concepts.some((c) => [...concepts[c]!.keys()].some((k) => bm.hasTermIn(k, SERVER_FIELD)))
  const unitOf = (w: string | undefined) => units.find((v) => v.text === w)
  const before = unitOf(phrase.at(-2))
  const last = unitOf(phrase.at(-1))
  if (last && before && !named(last) && named(before) && !serverWord(before)) phrase.pop()
  const u = units.find((v) => v.text === phrase.at(-1))
  const known = phrase.slice(0, -1).some((w) => {
    const m = units.find((v) => v.text === w)
    return m !== undefined && heard(m) && !m.concepts.some((c) => [...concepts[c]!.keys()].some((t) => bm.hasTermIn(t, SERVER_FIELD)))
  })
  return u && u.role === "object" ? { unit: u, known, bySynonym, existing: asksRemoval([t]) || bySynonym } : undefined
}
