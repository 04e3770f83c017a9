/**
 * @module catalog/search/query
 * A user's query → concepts, each a set of weighted index terms: a word typed (weight 1) with its
 * synonyms (synonyms.ts) and, when the index does not know the word, the indexed words it is a
 * prefix of ("repo" → "repository") and the words one typo away ("serch" → "search", with their
 * synonyms). A word of another language the dictionary knows stands for its English word (lexicon.ts:
 * "Datei" → file). A document scores the best of each concept's terms, summed
 * over concepts, so a word with many synonyms counts once, not once per synonym. A shell command
 * (shell.ts) stands for its meaning, one concept per requirement ("mkdir" → create, directory).
 * Two words typed apart that a tool name writes as one ("roll back", "web hook") bring that word in.
 *
 * Also what the query asks for (units): each word typed, each command. A tool that matches no
 * term of a unit the tools' vocabulary knows is only a weak match (index.ts).
 */
import { closest, typosAllowed, type Bm25Index } from "./bm25.ts"
import { doublingSlip } from "./doubling.ts"
import { digraphTypos } from "./digraph.ts"
import { isSiteOnly, SITE_WORDS } from "./site-host.ts"
import { tickerWords } from "./ticker.ts"
import { labelValueWords } from "./label-value.ts"
import { asksBatch, describedByPast, stateParticiples, isTimeWord, wordRole, type WordRole } from "./intent.ts"
import { keyOfOtherKind } from "./kind-named.ts"
import { extractLiterals, fileKindWords, LITERAL_KIND_WORDS, shapesIn, shapeTerm, WHEN_SHAPE } from "./literals.ts"
import { readCommandLine, terminalGroups } from "./shell.ts"
import { runsInTerminal } from "./terminal.ts"
import { mayJoin } from "./joined-particle.ts"
import { FIELDS } from "./fields.ts"
import { isForeignStop, translate, translateFunctionWord } from "./lexicon.ts"
import { contextRanges, withoutContext } from "./sentences.ts"
import { replacesWord, sensesOf } from "./senses.ts"
import { respell, respelt } from "./spelling.ts"
import { isProductName, phraseAt, phraseStartingAt, phraseTerms, productsAsWords, questionPhraseTerms, synonymsOf, synonymWords } from "./synonyms.ts"
import { whoDidTerms } from "./question-history.ts"
import { heldTerms } from "./held-amount.ts"
import { relativeSpanWords } from "./relative-time.ts"
import { americanStem, isStop, splitWords, stem, tokenize } from "./tokenize.ts"

/** Weights of expansions relative to the word typed. */
export const EXPANSION_WEIGHT = { synonym: 0.75, related: 0.75, prefix: 0.5, typo: 0.7, literal: 0.3, literalKind: 0.75 }
/** What a batch is called in tools' names ("create-items-in-bulk", "batch_create_issues", "read_multiple_files"). */
const BATCH = ["bulk", "batch", "multiple"].map(stem)
/** The particles of a phrasal verb's second word ("kick off", "spin up", "turn on", "throw away"). */
const PARTICLES = new Set("off up on out away down back over".split(" "))

/** Words that after "how" ask a question of quantity: the phrase stands for them ("how many" → count). */
const QUANTITY = new Set(["many", "much"])
/** A CLI's own name in its second and later requirements: meets them, adds next to nothing to the score. */
const OWN_NAME_AGAIN = 0.01
/** What the state a question asks about is called in tools' names (`auth_status`, `get_query_status`). */
const STATUS = stem("status")
/** Shortest word expanded by prefix (shorter prefixes match too much). */
const MIN_PREFIX = 3
/** At most this many expansions per word (deterministic: the shortest, then alphabetical). */
const MAX_EXPANSIONS = 4
/** The word of time that says the present, not a date (stemmed). */
const PRESENT = "now"
/** Words of one query looked up as typos, at most (each is a scan of the vocabulary: bound what a long query costs). */
const MAX_TYPO_WORDS = 6
/** Typo corrections from the synonym table's words (fixed vocabulary), by word and typos allowed. */
const synonymTypos = new Map<string, string[]>()
const MAX_SYNONYM_TYPOS = 10_000

function synonymTypo(term: string, n: number): string[] {
  const key = `${n}:${term}`
  let out = synonymTypos.get(key)
  if (!out) {
    out = closest(term, synonymWords(), n, MAX_EXPANSIONS)
    if (synonymTypos.size >= MAX_SYNONYM_TYPOS) synonymTypos.clear()
    synonymTypos.set(key, out)
  }
  return out
}

export type Concept = Map<string, number>

/** Fields in which a word is the tools' own vocabulary (what they are named after). */
const NAME_FIELDS = (["name", "title", "server"] as const).map((f) => FIELDS.indexOf(f))

/**
 * Fields whose words a typo is corrected to: where a tool itself speaks (name, title, server,
 * description, the values its arguments choose between), not its arguments' names or help, which
 * repeat across tools and describe inputs ("scale" is no typo of "sales" in an invoice type's help).
 */
const TYPO_FIELDS = (["name", "title", "server", "summary", "description", "choices"] as const).map((f) => FIELDS.indexOf(f))

/** The field of a tool's own name. */
const NAME_FIELD = [FIELDS.indexOf("name")]

/** A word of a server's name ("exa", "docker"): that server, not the command of the same name. */
const SERVER_FIELD = [FIELDS.indexOf("server")]

/** One thing the query asks for: a word typed or a command. */
export interface QueryUnit {
  /** As typed ("file", "mkdir"). */
  text: string
  /** Its concepts (indexes into `concepts`): a tool must match a term of each. */
  concepts: number[]
  /**
   * "command": asks for what the command does, always; a word typed: an action asked for
   * ("change"), what the request is about ("object") — each only when the tools' own vocabulary
   * has it (index.ts) — or neither (a loose verb, a word of quantity or time: "other").
   */
  role: "command" | WordRole
  /**
   * A verb asked for that the request also types inside a phrase naming a thing ("merge gitlab
   * merge request !42": "merge request"): that phrase's raw words. A tool does the verb only if its
   * name has it outside the phrase (`create_merge_request` names the thing, it merges nothing).
   */
  phrase?: readonly string[]
}

export interface ExpandedQuery {
  concepts: Concept[]
  units: QueryUnit[]
  /** The concepts that stand for a literal's kind ("#incidents" → channel, "notes.md" → file): things the request names too. */
  kinds: number[]
  /** Words (as typed, lowercase) whose meaning the request settles, with that meaning (senses.ts: "leave" of "leave a comment" → create). */
  senses: ReadonlyMap<string, readonly string[]>
  /**
   * Per concept, the terms that count only where a tool's name or title has them: a CLI's own name
   * ("docker" of `docker ps` is `docker_ps`, not every tool of the Toolkit's gateway server `docker`).
   */
  nameOnly: ReadonlyMap<number, ReadonlySet<string>>
  /**
   * The concepts the request's form adds, no word of it typed as a thing: a question phrase's
   * ("how many" → count, synonyms.ts `questionPhraseTerms`). A tool matching only these and words
   * of time is weak (index.ts `onlyWhen`). (Not what one holds, "how many shares … do i have" →
   * holdings: that is the thing asked.)
   */
  formed: ReadonlySet<number>
  /**
   * The concepts a phrasal verb typed brings in ("kick off" → run, trigger, start; "turn off" →
   * pause, disable): actions, whatever else the same word is (a Honeycomb trigger is an alert).
   */
  acted: ReadonlySet<number>
}

export interface QueryOptions {
  synonyms?: boolean
  prefixes?: boolean
}

/**
 * A short word's typo, where one letter more or less or changed would reach too many others
 * ("book" / "broke"): two neighbouring letters swapped ("sned" → send, "lsit" → list, "raed" →
 * read) or a double letter typed once ("pul" → pull, "isue" → issue, "comit" is long enough
 * already), or a "ck" typed as its "k" ("clik" → click), the stems of those spellings.
 */
function shortTypos(w: string): string[] {
  if (w.length < 3 || w.length > 4) return []
  const out = new Set<string>()
  for (let i = 0; i + 1 < w.length; i++) if (w[i] !== w[i + 1]) out.add(stem(w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2)))
  for (let i = 1; i < w.length; i++) if (w[i] !== w[i - 1] && w[i] !== w[i + 1] && /[a-z]/.test(w[i]!)) out.add(stem(w.slice(0, i + 1) + w.slice(i)))
  // (or a "ck" typed as its "k": "clik" → click, digraph.ts)
  for (const v of digraphTypos(w)) out.add(stem(v))
  return [...out]
}

/**
 * The words one typo away that a misspelt word `w` (stemmed `t`) is, of those the tools or the
 * synonym table know ("delte", "serch", "mesage"); not of an identifier with digits ("prop4999" is
 * no typo of "prop499").
 */
function typoCorrections(w: string, t: string, index: Bm25Index): string[] {
  // (a short word's plural in "-es" has that word's budget: "taxes" is "tax", no typo of "tags")
  const n = /(?:x|ch|sh|z)es$/.test(w) && t.length < 5 ? 0 : typosAllowed(w.length)
  if (n <= 0) return shortTypos(w).filter((v) => index.hasTermIn(v, TYPO_FIELDS) || synonymsOf(v) !== undefined)
  const near = [...index.similar(t, n, MAX_EXPANSIONS, TYPO_FIELDS), ...synonymTypo(t, n)]
  // (none so near: a double letter typed in the wrong place is one slip, "trigerr" → trigger, doubling.ts)
  return near.length || n > 1 ? near : index.similar(t, 2, MAX_EXPANSIONS, TYPO_FIELDS).filter((v) => doublingSlip(t, v))
}

/** The words of a URL's host but its top-level domain and "www" ("https://acme.atlassian.net/x" → acme, atlassian). */
function hostWords(url: string): string[] {
  const host = /^(?:[a-z]+:\/\/)?([^/:?#\s]+)/i.exec(url)?.[1] ?? ""
  return host.split(".").slice(0, -1).filter((w) => w.toLowerCase() !== "www").flatMap((w) => tokenize(w))
}

/** Words after which a request quotes what to say ("comment saying it is fixed"). */
const SAYING = new Set(["saying", "stating", "telling"])
/** Words that open a clause after "that": its subject ("that the fix is merged", "that we shipped"), not a relative clause's verb ("issues that mention login"). */
const CLAUSE_SUBJECT = new Set("the it we i they he she this our my his her its".split(" "))

/** Verbs that say, write or record something besides those writing a text: a "that" clause after them is what they say ("notify the team that the deploy is done"). */
const SAYS_TO = new Set("notify remind announce inform warn email ping text dm ask know log record remember".split(" ").map(stem))

/**
 * Where the text of a message the request writes starts: after "saying", or after "that" opening
 * a clause with its own subject past the request's first words, after a verb that says, writes or
 * records ("leave a comment on #12 that the fix is merged"), or right after that verb whatever
 * follows ("remember that Alice prefers dark mode"). Elsewhere such a clause says which
 * things ("what's changed that I haven't staged yet", "the files that we touched"): its words are
 * the request's. The length of `raw` when there is none.
 */
function contentAt(raw: readonly string[]): number {
  const says = (w: string): boolean => WRITES_TEXT.has(stem(w)) || SAYS_TO.has(stem(w))
  // (what someone is told to do: "remind me to call mom at 6", "ask the team to review it")
  const bid = biddenAt(raw) ?? topicAt(raw)
  if (bid !== undefined) return bid
  for (let i = 1; i + 1 < raw.length; i++) {
    // (right after such a verb, whatever its subject: "remember that Alice prefers dark mode")
    if (raw[i] === "that" && says(raw[i - 1]!)) return i + 1
    if (i < 2) continue
    if (SAYING.has(raw[i]!)) return i + 1
    if (raw[i] === "that" && CLAUSE_SUBJECT.has(raw[i + 1]!) && raw.slice(0, i).some(says)) return i + 1
  }
  return raw.length
}

/** Verbs that bid a person do something ("remind me to …", "tell bob to …", "ask the team to …"). */
const BIDS = new Set("remind tell ask nudge ping".split(" "))
/** Words before a person's word that make one person of two ("the team", "my wife"). */
const PERSON_DETERMINER = new Set("the my our his her their".split(" "))

/**
 * Where what a request bids someone do starts: it opens with a verb bidding a person (BIDS), then
 * the person (one word, or two after "the" / "my" …), then "to" and a word ("remind me to call mom
 * at 6"). Those words are what the reminder or the message says, not the request's own action: read
 * as the request's, "call" brought a tool calling services above the one making a reminder (QA 321).
 * Undefined when the request opens otherwise ("email the report to bob": "email" bids no one).
 */
function biddenAt(raw: readonly string[]): number | undefined {
  if (!BIDS.has(raw[0] ?? "")) return undefined
  const at = PERSON_DETERMINER.has(raw[1] ?? "") ? 3 : 2
  return raw[at] === "to" && raw[at + 1] !== undefined && raw[at - 1] !== "it" ? at + 1 : undefined
}

/** Verbs opening a search for things by what they are about ("find a podcast about history"). */
const SEEKS = new Set("find search look recommend suggest".split(" "))

/**
 * Where the topic of a search starts: a request opening with a verb that seeks (SEEKS), the things
 * sought, then "about" ("find a podcast about history", "search for songs about rain"). The topic
 * is what to search for, a value, not a thing a tool is about: read as the request's, "history"
 * brought `get_history` above the search (QA 321). Undefined when no thing comes before "about".
 */
function topicAt(raw: readonly string[]): number | undefined {
  if (!SEEKS.has(raw[0] ?? "")) return undefined
  const at = raw.indexOf("about", 2)
  return at > 0 && raw[at + 1] !== undefined ? at + 1 : undefined
}

/** Words of a request writing a text ("comment", "reply", "post"): a colon after them introduces what it says. */
const WRITES_TEXT = new Set("comment reply message note post send say tell write answer respond".split(" ").map(stem))

/**
 * Where the text a request writes starts when a colon introduces it past the request's first words
 * and a word writing a text ("comment on OPS-7: waiting for vendor", "add a comment: fixed in build
 * 412"): the words after it are what to say (not "declare an incident: payments down", whose words
 * say what it is, nor "run this apex: …"). Infinity when there is none.
 */
function afterColon(rest: string): number {
  const m = /:\s/.exec(rest)
  if (!m) return Infinity
  const before = splitWords(rest.slice(0, m.index))
  return before.length >= 2 && before.some((w) => WRITES_TEXT.has(stem(w))) ? before.length : Infinity
}

export function expandQuery(query: string, index: Bm25Index, opts: QueryOptions = {}): ExpandedQuery {
  const useSyn = opts.synonyms ?? true
  const usePrefix = opts.prefixes ?? true
  // a request in another language: its words stand for English ones (a word tools are named with
  // stays English: "liste", "execute"), its articles and prepositions are stop words, and none of
  // them is a shell command ("la liste du dossier" is no `du`)
  const english = new Map<string, string>()
  if (useSyn) for (const w of splitWords(query)) if (!isStop(w) && !index.hasTermIn(stem(w), NAME_FIELDS) && !synonymsOf(stem(w))) {
    const en = translate(w)
    if (en) english.set(w, en)
  }
  const shellText = english.size ? query.split(/\s+/).filter((tok) => !isForeignStop(tok)).join(" ") : query
  const cmd = useSyn ? readCommandLine(shellText, (w) => index.hasTermIn(stem(w), SERVER_FIELD), (w) => index.hasTermIn(stem(w), NAME_FIELD), (w) => index.hasTerm(stem(w))) : { rest: query, units: [], operands: [], extra: [] }
  // an identifier of words a tool's name has all of ("use send_email", "cherry-pick") stays words
  const namesTool = (id: string): boolean => {
    const ws = tokenize(id)
    return !ws.length || [...index.scoreTerm(ws[0]!).keys()].some((d) => ws.every((t) => index.docHasTermIn(d, t, NAME_FIELD)))
  }
  const extracted = useSyn ? extractLiterals(cmd.rest, namesTool) : { rest: query, literals: [] }
  const literals = extracted.literals
  // (a product's name in its brand's casing, when no tool is named with it, is one word: "GitHub"
  // is github, not "git hub", a product not connected)
  const rest = useSyn ? productsAsWords(extracted.rest, (t) => index.hasTermIn(t, NAME_FIELDS)) : extracted.rest
  const raw = splitWords(rest)
  // the name of a label or tag typed after the word saying it is one ("with the label needs-review"): a value, a detail (label-value.ts)
  const labelValues = useSyn ? labelValueWords(rest) : new Set<number>()
  const concepts: Concept[] = []
  const units: QueryUnit[] = []
  const kinds: number[] = []
  const formed = new Set<number>()
  const acted = new Set<number>()
  const typed = new Set<string>()
  let typoWords = 0
  /** A word that is, or starts, a word of a server's name ("slack", "mongo" of mongodb). */
  const namesServer = (t: string): boolean => index.hasTermIn(t, SERVER_FIELD) || (t.length >= MIN_PREFIX && index.completions(t, MAX_EXPANSIONS).some((v) => index.hasTermIn(v, SERVER_FIELD)))
  /**
   * A word neither the tools nor the synonym table know (a name, a typo, another language). Not a
   * product's name (synonyms.ts PRODUCTS): "slack" with no Slack connected is that product, not a
   * typo of "stack" (a hit then shares its other words only: index.ts `foreign`).
   */
  const unknown = (t: string): boolean => !index.hasTerm(t) && !synonymsOf(t) && !isProductName(t)
  // (a ticker typed where a trade names what it trades, "sell 20 shares of amd": a value too, ticker.ts)
  if (useSyn) for (const i of tickerWords(rest, (w) => unknown(stem(w)))) labelValues.add(i)
  /** A word's typo corrections ("delte", "serch", "mesage"), of the first words so misspelt (see `typoCorrections`). */
  const corrected = new Map<string, readonly string[]>()
  const corrections = (w: string, t: string): readonly string[] => {
    let near = corrected.get(t)
    if (!near) corrected.set(t, (near = unknown(t) && !/\d/.test(t) && typoWords++ < MAX_TYPO_WORDS ? typoCorrections(w, t, index) : []))
    return near
  }
  // phrases and senses read the words as meant ("create a pul request", "open an isue")
  const fixes = useSyn ? respelt(raw.filter((w) => !isStop(w) && !english.has(w)), (w) => corrections(w, americanStem(w) ?? stem(w))) : new Map<string, string>()
  const meantRaw = raw.map((w) => fixes.get(w) ?? w)
  const said = useSyn ? Math.min(contentAt(raw), afterColon(rest)) : raw.length
  const stateParts = new Set(useSyn ? stateParticiples(raw) : [])
  const described = new Set(useSyn ? [...describedByPast(raw), ...stateParts] : [])
  // the words of sentences that give context to another's ask ("We had an outage … pull the
  // messages from #incidents"): what happened, not what to do; a server they name still names it
  const context = new Set<number>()
  if (useSyn) for (const r of contextRanges(rest)) for (let i = splitWords(rest.slice(0, r.start)).length; i < splitWords(rest.slice(0, r.end)).length; i++) context.add(i)
  // words whose meaning the request settles ("cancel the standup": delete; "star the email": label)
  const senses = useSyn ? sensesOf(respell(withoutContext(cmd.rest), fixes)) : new Map<string, string[]>()
  // "next" / "last" of a span relative to now ("next week", "the past 30 days") says when, nothing more (relative-time.ts)
  const spanWords = useSyn ? relativeSpanWords(raw) : new Set<number>()
  for (const [at, w] of raw.entries()) {
    if (isStop(w) || (english.size && !english.has(w) && isForeignStop(w))) continue
    if (spanWords.has(at)) continue
    // "how many" asks for a count (its phrase), not for tools named "…-many" (insert-many)
    if (QUANTITY.has(w) && raw[at - 1] === "how") continue
    const word = english.get(w) ?? w
    if (isStop(word)) continue
    // (a British spelling is its American one: "cancelling" is cancel_subscription's "cancel")
    const t = americanStem(word) ?? stem(word)
    // a sentence of context asks for nothing: only a server it names counts ("… happened in
    // Slack", "… in a Mongo collection")
    if (context.has(at) && !namesServer(t)) continue
    if (typed.has(t)) continue
    typed.add(t)
    // a translated word keeps itself too (a tool described in that language has it)
    const c: Concept = new Map([[t, 1], [stem(w), 1]])
    // (a British spelling keeps itself too: "cancelled_issues" is a tool's own word)
    if (t !== stem(word)) c.set(stem(word), 1)
    const addSynonyms = (of: string, scale: number): void => {
      for (const [s, rel] of synonymsOf(of) ?? []) if (!c.has(s)) c.set(s, scale * (rel === "same" ? EXPANSION_WEIGHT.synonym : EXPANSION_WEIGHT.related))
    }
    // a word whose sense the request settles stands for that meaning, with the meaning's synonyms
    // (not its other senses': "sync" of "a 30 min sync" is no update)
    const meant = senses.get(fixes.get(w) ?? w)
    // a sense of no words is a particle of the verb before it ("call the customer back"): it asks nothing
    if (meant?.length === 0) continue
    // (a word meaning only itself is a noun there, not its verb: "did run 7hq2m1xz use" is a run,
    // no execute; record-noun.ts)
    const asNoun = meant?.length === 1 && stem(meant[0]!) === t
    // (a sense that stands instead of the word: "order a new chair" buys one, no order record is named)
    if (meant && replacesWord(meant)) c.clear()
    for (const m of meant ?? []) {
      const s = stem(m)
      c.set(s, 1)
      if (!asNoun) addSynonyms(s, 1)
    }
    if (useSyn && !meant) addSynonyms(t, 1)
    // a word of time ("tomorrow", "Friday", "next week") says when: the tools that take a date or a time
    // ("now", "right now" say the present: a state as it is, no date to pass — "which dags are paused rn")
    if (useSyn && isTimeWord(t) && t !== PRESENT) c.set(WHEN_SHAPE, EXPANSION_WEIGHT.related)
    // a change verb opening a phrase that names a thing ("approve the merge request") asks for no change
    let role = asNoun ? "object" : wordRole(word, t)
    // a word meaning an action ("book" of "book a table for four" reserves, "raise" of "raise the
    // priority" updates) asks for it: a tool that does not is weak (no tool reserves: no answer)
    const action = meant?.[0]
    if (action !== undefined && wordRole(action, stem(action)) === "change") role = "change"
    if (role === "change" && useSyn && phraseAt(meantRaw, at)) role = "object"
    if (useSyn) {
      for (const v of corrections(w, t)) {
        if (!c.has(v)) c.set(v, EXPANSION_WEIGHT.typo)
        addSynonyms(v, EXPANSION_WEIGHT.typo)
        if (role === "object") role = wordRole("", v)
      }
    }
    if (usePrefix && !index.hasTerm(t) && t.length >= MIN_PREFIX) {
      for (const v of index.completions(t, MAX_EXPANSIONS)) if (!c.has(v)) c.set(v, EXPANSION_WEIGHT.prefix)
    }
    // the text of a message being written ("… saying it is fixed", "… that the fix is merged"):
    // what it says, not what to do
    // (and a verb typed in the past that says which things: "merged pull requests", "invoices
    // created this month" ask for the things, not for that action)
    if (at >= said || labelValues.has(at) || (described.has(t) && w !== t)) {
      for (const [k, v] of c) c.set(k, v * EXPANSION_WEIGHT.literal)
      role = "other"
      // (the state a yes-or-no question asks about is a status: "am i logged into snyk" → auth_status)
      if (stateParts.has(t)) c.set(STATUS, EXPANSION_WEIGHT.related)
    }
    const phrase = role === "change" && useSyn ? phraseHolding(meantRaw, meantRaw[at]!) : undefined
    units.push({ text: w, concepts: [concepts.length], role, ...(phrase ? { phrase } : {}) })
    concepts.push(c)
  }
  const nameOnly = new Map<number, Set<string>>()
  for (const u of cmd.units) {
    const ids: number[] = []
    // a command line no tool performs ("docker ps" with no container tool, "terraform plan", "df
    // -h" beside an SSH server): a line to run, in a terminal if a tool runs commands
    const toTerminal = runsInTerminal(u, index)
    const groups = toTerminal ? terminalGroups() : u.groups
    // (its subcommand's words then say what the line does, not what a tool must: "plan", "deploy")
    if (toTerminal) for (const w of units) if (w.role !== "command" && u.words?.includes(w.text)) w.role = "other"
    groups.forEach((g, i) => {
      ids.push(concepts.length)
      const c: Concept = new Map(g.map((t) => [t, 1]))
      // a CLI's own name meets each requirement, but scores once ("kubectl" → kubectl_logs), and
      // only in a tool's name or title (a server so named is not the CLI: the Toolkit's `docker`)
      for (const t of u.own ?? []) {
        if (c.has(t)) continue
        c.set(t, i === 0 ? 1 : OWN_NAME_AGAIN)
        nameOnly.set(concepts.length, new Set([...(nameOnly.get(concepts.length) ?? []), t]))
      }
      concepts.push(c)
    })
    units.push({ text: u.text, concepts: ids, role: "command" })
  }
  if (useSyn) {
    const seen = new Set(typed)
    const add = (t: string, w: number): boolean => {
      if (seen.has(t)) return false
      seen.add(t)
      concepts.push(new Map([[t, w]]))
      return true
    }
    for (const t of cmd.extra) add(t, EXPANSION_WEIGHT.related)
    // (a request in another language, read in English: "quelle heure est-il" asks what "what time is it" asks)
    const phraseWords = english.size ? meantRaw.map((w) => english.get(w) ?? translateFunctionWord(w) ?? w) : meantRaw
    const asked = new Set(questionPhraseTerms(phraseWords))
    const phrasal = new Set(phraseTerms(phraseWords, (p) => p.length === 2 && PARTICLES.has(p[1]!)))
    for (const t of phraseTerms(phraseWords)) {
      if (!add(t, EXPANSION_WEIGHT.related)) continue
      if (asked.has(t)) formed.add(concepts.length - 1)
      if (phrasal.has(t)) acted.add(concepts.length - 1)
    }
    // (who did something: its record, an audit log or an activity history, question-history.ts)
    // (unless the phrase table says what that verb's record is: "who edited" → a page's history)
    // (one concept, a record's name: only a tool named for one has it, not `review_write`'s "event" argument)
    // (nor for an item given by its address or key, "who reviewed github.com/…/pull/9": its own page says)
    const itemNamed = literals.some((l) => l.kind === "url" || l.kind === "ref" || l.kind === "key")
    const record = itemNamed || meantRaw.some((w, i) => w === "who" && phraseAt(meantRaw, i)) ? [] : tokenize(whoDidTerms(meantRaw)).filter((t) => !seen.has(t))
    if (record.length) {
      nameOnly.set(concepts.length, new Set(record))
      concepts.push(new Map(record.map((t) => [t, EXPANSION_WEIGHT.related])))
    }
    // (what one holds, "how much crypto do i have": its balance, holdings, positions; held-amount.ts)
    const held = tokenize(heldTerms(meantRaw)).filter((t) => !seen.has(t))
    if (held.length) concepts.push(new Map(held.map((t) => [t, EXPANSION_WEIGHT.related])))
    // many things in one go ("create 20 sticky notes", "… at once"): the tools named for batches
    if (asksBatch(raw)) concepts.push(new Map(BATCH.map((t) => [t, EXPANSION_WEIGHT.related])))
    // two words typed apart that a tool's name writes as one ("roll back" → rollback, "web hook" →
    // webhook, "data base" → database), a verb and its particle too ("roll out" → rollout, joined-particle.ts)
    for (let i = 0; i + 1 < raw.length; i++) {
      const joined = stem(raw[i]! + raw[i + 1]!)
      if (mayJoin(raw[i]!, raw[i + 1]!) && index.hasTermIn(joined, NAME_FIELDS)) add(joined, 1)
    }
    const args = extractLiterals(cmd.operands.join(" "))
    for (const found of [...literals, ...args.literals]) {
      // (a key-shaped id the word before names as another thing's, "sku ABC-123": its id, no issue; kind-named.ts)
      const l: typeof found = (found.kind === "key" || found.kind === "shortid") && keyOfOtherKind(cmd.rest, found.text) ? { ...found, kind: "id" } : found
      for (const t of tokenize(LITERAL_KIND_WORDS[l.kind])) if (add(t, EXPANSION_WEIGHT.literalKind)) kinds.push(concepts.length - 1)
      // a file's kind by its extension ("report.xlsx": a spreadsheet), one concept (its words are one
      // kind), as typed: the extension was, and it names the kind
      const fileKind = l.kind === "file" || l.kind === "path" ? tokenize(fileKindWords(l.text)).filter((t) => !seen.has(t)) : []
      if (fileKind.length) {
        for (const t of fileKind) seen.add(t)
        kinds.push(concepts.length)
        concepts.push(new Map(fileKind.map((t) => [t, 1])))
      }
      // a URL's host that is a server's name ("acme.atlassian.net", "linear.app", "www.figma.com"):
      // it names that server, as typing the name would (its tools are the ones that read the link)
      for (const t of l.kind === "url" ? hostWords(l.text) : []) if (index.hasTermIn(t, SERVER_FIELD)) add(t, EXPANSION_WEIGHT.literalKind)
      // (a host alone is a whole website: "list every url on docs.acme.io", site-host.ts)
      if (l.kind === "url" && isSiteOnly(l.text) && SITE_WORDS.every((t) => !seen.has(stem(t)))) {
        kinds.push(concepts.length)
        concepts.push(new Map(SITE_WORDS.map((t) => [stem(t), EXPANSION_WEIGHT.literalKind])))
        for (const t of SITE_WORDS) seen.add(stem(t))
      }
      // (and an id in its path is that item: ".../browse/OPS-7" is issue OPS-7, the tools taking such a key)
      for (const t of l.kind === "url" ? shapesIn(l.text) : []) add(t, EXPANSION_WEIGHT.literalKind)
      // an id's shape ("PROJ-42", "FRONTEND-4X2", "octo/api#12"): the tools whose argument help shows it
      const shape = shapeTerm(l.kind)
      if (shape) add(shape, EXPANSION_WEIGHT.literalKind)
      for (const t of tokenize(l.text)) add(t, EXPANSION_WEIGHT.literal)
    }
    for (const t of tokenize(args.rest)) add(t, EXPANSION_WEIGHT.literal)
  }
  return { concepts, units, kinds, senses, nameOnly, formed, acted }
}

/** The phrase of the table, typed somewhere in the request's raw words, that holds the word `w` ("merge" in "… merge request"). */
function phraseHolding(rawWords: readonly string[], w: string): readonly string[] | undefined {
  for (let at = 0; at < rawWords.length; at++) {
    const p = phraseStartingAt(rawWords, at)
    if (p?.includes(w)) return p
  }
  return undefined
}
