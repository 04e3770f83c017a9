/**
 * @module catalog/search
 * `createToolIndex()`: the tool search index (BM25F over weighted fields, see bm25.ts and
 * fields.ts; queries expanded by query.ts), kept per server so a list change re-indexes only that
 * server's tools. Hits that match only part of the request are marked weak (`weakCheck`); the
 * mark does not change the order (demoting them measured worse on the held-out queries). Measured
 * by `bun run bench -- search` (docs/proxy.md, "Search").
 */
import { collectPacer } from "../../core/index.ts"
import { eventCounts, MEETING_WORDS } from "./calendar-event.ts"
import { Bm25Index } from "./bm25.ts"
import { choiceText, documentFields, FIELDS, splitDescription } from "./fields.ts"
import { afterSubject, askedFamily, asksState, stateParticiples, asksWhatHappened, asksWhatIs, asksRemoval, describedByPast, isActionVerb, isChangeVerb, isGenericVerb, isTimeWord, isReadVerb, namedWithAction, opensWithChange, recordsQuantity, leadingVerb, openingAt, typedVerb, removalKind, toolFamily, undoesVerb, wordRole, writeReadAsThing, type ActionFamily } from "./intent.ts"
import { EXPANSION_WEIGHT, expandQuery, type Concept, type QueryUnit } from "./query.ts"
import { extractLiterals, shapeTerm, WHEN_SHAPE } from "./literals.ts"
import { endpointAsWords } from "./endpoints.ts"
import { verbsOnlyInPhrases } from "./phrase-verbs.ts"
import { actedOn, unnamedObject } from "./unnamed-object.ts"
import { actsOnOtherThing } from "./other-thing.ts"
import { chatAsWords } from "./chat-shorthand.ts"
import { contentsAsRead } from "./contents-question.ts"
import { membersAsList } from "./members-question.ts"
import { doersAsList } from "./doers-question.ts"
import { stateValues, typedState } from "./state-values.ts"
import { existsAsFind } from "./exists-question.ts"
import { anyNewAsAny } from "./any-new.ts"
import { joinSplitPhrasal } from "./split-phrasal.ts"
import { productLast } from "./product-first.ts"
import { spellsNumeronym } from "./numeronym.ts"
import { brandShortForms } from "./brand-short.ts"
import { namedWithChange } from "./name-verb.ts"
import { attributeOfItem, namesOneItem, severalInItem } from "./one-item.ts"
import { PLURAL, readsOne, severalAsked } from "./several.ts"
import { lowerNumberTwins } from "./number-twin.ts"
import { ownAmountHead } from "./own-amount.ts"
import { asksStateNow, namedAsPastRecord } from "./current-state.ts"
import { negatedChange } from "./negated-state.ts"
import { fieldQualifiers, saysAsVerb } from "./field-word.ts"
import { MAKING, nounAsVerb } from "./noun-verb.ts"
import { lackedThings } from "./lacked-thing.ts"
import { handlesPersonal, personalThing } from "./personal-matter.ts"
import { asksOnHost, takesMachine } from "./on-host.ts"
import { nameHead, namedAfterThing, partOfThingAsked } from "./head-thing.ts"
import { changeOnlyAsState } from "./state-filter.ts"
import { mentionsVerbOnly, ownVerbUnsaid, saysMoreThanVerb, verbObject } from "./own-verb.ts"
import { afterVerb } from "./particle.ts"
import { verbBeforeId, verbBeforePlace } from "./bare-id.ts"
import { thingChosen } from "./choices.ts"
import { compoundVerb, saysCompound } from "./compound-verb.ts"
import { outVerb, saysOutVerb } from "./out-verb.ts"
import { namesVerbDone } from "./participle.ts"
import { fieldNames } from "./field-values.ts"
import { answersFromDocs, asksHowTo, livenessSubject, namesService, reportsLiveness } from "./questions.ts"
import { docsNamingTyped, namesDocs } from "./docs-named.ts"
import { deletesOtherThing } from "./removal-thing.ts"
import { askedStates, PENDING_WORDS, stateStem } from "./state-question.ts"
import { familiesNamed } from "./family-named.ts"
import { withoutContext } from "./sentences.ts"
import { endsCompanyName } from "./company-name.ts"
import { ofPhrases, ownerUnknownTo } from "./owner-of.ts"
import { purposeWords } from "./purpose.ts"
import { isProductName, namesWordProduct, spelledOut, synonymsOf } from "./synonyms.ts"
import { messagesPerson, saysMessage } from "./texts-person.ts"
import { actsByOtherVerb } from "./text-verb.ts"
import { isStop, splitWords, stem, tokenize } from "./tokenize.ts"
import { namesAsThing, saysOnlyAsVerb } from "./verb-sense.ts"
import { Vocabulary } from "./vocabulary.ts"
import { DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY_CHARS, type IndexedTool, type SearchHit, type SearchOptions, type ToolIndex } from "./types.ts"

export type { IndexedTool, SearchHit, SearchOptions, ToolIndex } from "./types.ts"
export { DEFAULT_LIMIT, MAX_LIMIT } from "./types.ts"

/**
 * Boosts: a tool whose whole name the query covers (× 1 + nameCoverage × share covered), and the
 * tools of a server the query names ("… on github", "search notion for …": × 1 + serverNamed).
 * Penalties when the query asks to remove nothing (intent.ts): × removal for a tool whose name
 * says it deletes, drops, wipes…; × destructiveHint for one that only declares `destructiveHint`
 * (overwrites, moves, edits) unless the query asks for its action (names every word of its name);
 * × deprecated for a tool whose description or title says it is deprecated (filesystem's
 * `read_file`: "DEPRECATED: Use read_text_file instead") unless the query says "deprecated".
 * × otherAction for a tool whose name's verbs write when the request's verbs only read, or the
 * reverse (intent.ts `toolFamily` / `askedFamily`, from every word of its name, "get" too; its name
 * then counts as not covered): "get the comments on issue 12" is not `add_issue_comment`, which
 * shares both nouns. Not when its name says what a verb of the request means through a synonym no
 * other word brings ("add two numbers": `get-sum`, add → sum).
 * × verbAsThing for a reading tool whose name has, as the thing it reads, the verb a request opens
 * with (intent.ts `leadingVerb`): "reply to the thread" is not `get_thread_replies`, "comment on
 * the card" is not `get_card_comments` (the request does what they list; sharing two words with
 * them, they outscored `reply_to_thread` and `add_comment` at × otherAction). Its name reads
 * once the request's other words are taken out of it: "post" of `list_post_answers` is the thing
 * of "answer the post", not a second verb that made its family neither.
 * A word of a tool's name that only a loose verb's synonym reaches ("list" → show for `git_show`,
 * "retrieve" → fetch for `fetch`) counts as covered × looseSynonym, not wholly: the verb was used
 * loosely, it does not name the tool (a typo's correction counts wholly: "serch" is "search").
 * × onlyWhen for a tool that matches only the request's words of time (intent.ts `isTimeWord`:
 * "what did I finish last week" is not get-project-activity-stats through "week"; it is weak too).
 * × number for each word of a tool's name the request types in the other number ("add a card" is
 * `add_card_to_list` before `add_cards_to_list`: stemmed, they scored the same).
 * First, whatever else the words matched (questions.ts): a tool reporting whether its server
 * answers (`system_ping`, `get_health`) when the request asks whether that server, named as its
 * subject, is up ("is the sonarqube server up?", "can you reach grafana": only the server's name
 * matched, every tool of it tied), and a tool answering from documentation
 * (`search_stripe_documentation`) when the request asks how to do something with its server, named
 * or the only one ("how do I add apple pay to checkout with stripe?" is not `create_payment_link`).
 * The documentation tool is not weak for the things the question names: it is about them.
 * A word of a tool's name that only the words after "for" cover (purpose.ts: "errors in sentry for
 * checkout project" → "project" of `find_projects`) covers it × qualifier: they qualify the thing asked.
 */
export const RANK = { number: 0.97, nameCoverage: 0.5, serverNamed: 0.5, removal: 0.5, destructiveHint: 0.85, coordination: 0.15, deprecated: 0.5, otherAction: 0.7, looseSynonym: 0.75, verbAsThing: 0.5, onlyWhen: 0.5, leadUndone: 0.6, oneItem: 0.8, offHost: 0.5, partNamed: 0.8, qualifier: 0.5, ownerUnknown: 0.8, otherNumber: 0.95, pastRecord: 0.5 }

const DEPRECATED = /\bdeprecated\b/i
/** Tools indexed per step of `settingServer` (≈ 10–30 ms of a loaded machine's time for tools of ~2 KB). */
const SLICE_TOOLS = 50

/** The index terms of an id's shape typed (literals.ts `shapeTerm`: "WEB-42", "FRONTEND-4X2", "octo/api#12"): one item named. */
const ID_SHAPES = new Set((["key", "shortid", "ref", "number"] as const).map((k) => shapeTerm(k)!))
/** Words of a tool's name that say it returns many (`list_project_issues`, `search_all`). */
const MANY = new Set(["list", "all", "search"].map(stem))


/**
 * How many words of a tool's own name the request types in the other number ("card" asked,
 * `add_cards_to_list` named): stemming makes them one term, the number tells one thing from many.
 */
function numberMismatches(typed: readonly string[], name: readonly string[]): number {
  let n = 0
  for (const w of name) {
    const t = stem(w)
    if (typed.some((v) => v !== w && stem(v) === t && PLURAL.test(v) !== PLURAL.test(w))) n++
  }
  return n
}

/** Words after which an -ing form is a verb's, saying how or when ("by pressing", "without saving", "before answering"). */
const GERUND_AFTER = new Set(["by", "while", "without", "before", "after", "when"])

/**
 * `hits` (ranked) with the tools named in `answers` first, at the top score, in their ranked order
 * (name order for those the words did not reach).
 */
function answerFirst(hits: SearchHit[], answers: readonly string[], get: (name: string) => IndexedTool): SearchHit[] {
  if (!answers.length) return hits
  const want = new Set(answers)
  const top = Math.max(hits[0]?.score ?? 0, 0)
  const reached = hits.filter((h) => want.has(h.tool.name))
  const rest = [...want].filter((n) => !reached.some((h) => h.tool.name === n)).sort().map((n) => ({ tool: get(n), score: 0 }))
  return [...[...reached, ...rest].map((h) => ({ ...h, score: top })), ...hits.filter((h) => !want.has(h.tool.name))]
}

/** Fewest tools of a server named with a word for it to be their prefix. */
const MIN_PREFIXED = 3

/** The words at least half of the names (and MIN_PREFIXED of them) have: a server's prefix ("kubectl", "browser"). */
function sharedWords(names: ReadonlyArray<readonly string[]>): Set<string> {
  const count = new Map<string, number>()
  for (const ws of names) for (const w of new Set(ws)) count.set(w, (count.get(w) ?? 0) + 1)
  return new Set([...count].filter(([, n]) => n >= MIN_PREFIXED && n * 2 >= names.length).map(([w]) => w))
}

/** At most this many words or commands listed as missing from a weak hit. */
const MAX_UNMATCHED = 8

/** A query shaped like a tool name: one token with a separator or a camelCase hump. */
const IDENTIFIER = /^(?=\S*(?:[_\-./:]|[a-z][A-Z]))\S+$/

/** The words of a name, lowercase, one space apart ("getHTTPStatus_v2" → "get http status v2"). */
function spellingOf(name: string): string {
  return splitWords(name).join(" ")
}

function clampLimit(n: number | undefined): number {
  if (n === undefined || !Number.isFinite(n)) return DEFAULT_LIMIT
  return Math.max(1, Math.min(MAX_LIMIT, Math.floor(n)))
}

function byName(a: IndexedTool, b: IndexedTool): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}

/** The field of a tool's description's first sentence (what it says it does). */
const SUMMARY_FIELD = [FIELDS.indexOf("summary")]
/** The field of the values a tool's arguments choose between (fields.ts `choiceText`). */
const CHOICES_FIELD = [FIELDS.indexOf("choices")]
/** Words of a tool's name that stand for whatever its arguments choose ("create_object", "list_resources"). */
const GENERIC = new Set(["object", "item", "resource", "record", "entity", "entry"].map(stem))

/** The field of the products a tool names in their brand's casing ("SQLite", "PostgreSQL": fields.ts `brandWords`). */
const BRANDS_FIELD = [FIELDS.indexOf("brands")]
/** The field of a tool's own name. */
const NAME_FIELD = [FIELDS.indexOf("name")]
/** Fields whose words say what a tool does and what it acts on (the vocabulary a request is checked against). */
const HEAD_FIELDS = (["name", "title", "server"] as const).map((f) => FIELDS.indexOf(f))
/** Where a CLI's own name counts ("docker" of `docker ps`): a tool named after the CLI, not every tool of a server so named. */
const OWN_NAME_FIELDS = (["name", "title"] as const).map((f) => FIELDS.indexOf(f))
/**
 * Fields that say what a tool does: a command's meaning must be there, and some term of the
 * request must be (a hit that matches only in usage advice or argument help is weak).
 */
const DOES_FIELDS = (["name", "title", "server", "summary"] as const).map((f) => FIELDS.indexOf(f))
/** Fields where a tool itself speaks (not its arguments' names or help, which repeat across tools and describe inputs). */
const SAID_FIELDS = (["name", "title", "server", "summary", "description", "choices"] as const).map((f) => FIELDS.indexOf(f))
/** Fields that say what a tool acts on: those that say what it does, and the values its arguments choose between. */
const ACTS_ON_FIELDS = (["name", "title", "server", "summary", "choices"] as const).map((f) => FIELDS.indexOf(f))

/**
 * What every hit is checked against: each command of the query (a tool must do what it does), the
 * actions asked for (a tool must do one of them, whether or not any tool is named after it: when
 * none archives, "archive the channel" has no answer), the things named (a tool must touch one of
 * them) and the products named that no tool mentions (no hit works with them). Things named count only when the tools' own vocabulary (names, titles, server names) has them,
 * themselves or through a synonym: a word no tool uses for what it does or acts on (a name,
 * filler, a typo: "Acme", "inside") asks for nothing a tool could match.
 */
function weakCheck(bm: Bm25Index, query: string, units: readonly QueryUnit[], concepts: readonly Concept[], kinds: readonly number[]): { commands: QueryUnit[]; changes: QueryUnit[]; objects: QueryUnit[]; things: QueryUnit[]; elsewhere: QueryUnit[]; unheard: QueryUnit[]; undone: QueryUnit[]; owners: UnknownOwner[]; amount: QueryUnit[] } {
  // the word or a synonym, not a prefix completion ("sea" → "search" is a guess)
  const known = (u: QueryUnit): boolean => u.concepts.some((i) => [...concepts[i]!].some(([t, w]) => w > EXPANSION_WEIGHT.prefix && bm.hasTermIn(t, HEAD_FIELDS)))
  // (not a field given with its value: "… with id 5", field-values.ts)
  const fields = fieldNames(splitWords(query))
  const objects = units.filter((u) => u.role === "object" && !fields.has(u.text) && (known(u) || foreign(bm, u, concepts)))
  return {
    commands: units.filter((u) => u.role === "command"),
    // an action is asked for whether or not a tool is named after it ("approve", "refund",
    // "archive", "restore" when no tool does them: every hit is weak)
    changes: units.filter((u) => u.role === "change"),
    objects,
    unheard: objects.length || kinds.length ? [] : unheardOf(bm, query, units, concepts),
    undone: undoneVerb(bm, query, units, concepts),
    owners: unknownOwners(bm, query, units, concepts),
    // the head of a question about our own thing or amount ("what's our aws bill", "how much are we
    // spending on …"), when no tool has it anywhere (own-amount.ts)
    amount: units.filter((u) => u.text === ownAmountHead(splitWords(query)) && !u.concepts.some((i) => [...concepts[i]!].some(([t, w]) => w >= EXPANSION_WEIGHT.synonym && bm.hasTerm(t)))),
    // things named in software vocabulary (the synonym table has the word typed: "email",
    // "calendar", "pdf"), whether or not a tool is named after them
    things: units.filter((u) => u.role === "object" && !/\d/.test(u.text) && u.concepts.some((i) => [...concepts[i]!].some(([t, w]) => w === 1 && synonymsOf(t) !== undefined))),
    // a product named that no tool mentions ("… in pagerduty"): no hit works with it
    // (not one the request is about: "projects about terraform")
    elsewhere: units.filter((u) => (u.role === "object" && u.concepts.some((i) => [...concepts[i]!].some(([t, w]) => w === 1 && isProductName(t))) && foreign(bm, u, concepts) && !topicOf(query, u.text) && !deployedAs(query, u.text)) || unconnectedWordProduct(bm, query, u)),
  }
}

/**
 * The words of a request that names nothing the tools know (no tool's name, title or server has a
 * thing it names) and asks for no change or command, that no tool uses anywhere (name,
 * description, arguments; nor a synonym, a typo's correction or a word it starts): its own verb
 * ("book a flight", "water the plants", "proofread my cover letter": no tool does that) or a thing
 * besides loose verbs ("set the thermostat", "check my bank balance": no tool has one). They count
 * as asked for by a tool whose name has nothing the request names (index.ts): `set_active_board`
 * shares only "set" with it, `get_health` one word of its summary. Not a name (a word capitalized
 * inside the request: "Carol", "Denver" name an instance, not something a tool must have), nor a
 * number or the unit after one ("21 degrees", "10 shares").
 */
function unheardOf(bm: Bm25Index, query: string, units: readonly QueryUnit[], concepts: readonly Concept[]): QueryUnit[] {
  const words = splitWords(query)
  // a request of that form: an imperative (not "which street address is at …", "how high above
  // sea level is Denver": a question's words are phrasing the tools need not have)
  const open = words[openingAt(words)]
  if (open === undefined || isStop(open) || units.some((u) => u.role === "command" || u.role === "change")) return []
  const heard = (u: QueryUnit): boolean => u.concepts.some((i) => [...concepts[i]!].some(([t, w]) => w >= EXPANSION_WEIGHT.prefix && bm.hasTerm(t)))
  const names = properNames(query)
  const counted = (w: string): boolean => words.some((v, i) => v === w && !/\d/.test(words[i - 1] ?? "") && !afterSubject(words, i))
  return units.filter((u) => u.role === "object" && !/\d/.test(u.text) && !names.has(u.text) && counted(u.text) && !heard(u))
}

/** A thing whose attribute the request asks for and no tool knows: the attribute (the word before "of") and that thing. */
interface UnknownOwner {
  attribute: QueryUnit
  owner: QueryUnit
}

/**
 * The thing whose part or attribute the request asks for ("what's the price of bitcoin"), the
 * last word of the words after "of", when no tool uses it anywhere (name, description, arguments;
 * nor a synonym, a typo's correction or a word it starts): the tools having the attribute ("price"
 * → `get_cost`) have it for something else, and they are weak. Not a name (capitalized inside the
 * request: "a map of downtown Seattle"), a number or a literal ("branches of acme/api"), nor a
 * word a tool or server uses ("status of payments" with a payments server or tool: that
 * instance), nor a company named with its legal form ("of acme corp"), nor what a thing made shows ("a picture of a fox": an indefinite article).
 */
function unknownOwners(bm: Bm25Index, query: string, units: readonly QueryUnit[], concepts: readonly Concept[]): UnknownOwner[] {
  const names = properNames(query)
  const heard = (u: QueryUnit): boolean => u.concepts.some((i) => [...concepts[i]!].some(([t, w]) => w >= EXPANSION_WEIGHT.prefix && bm.hasTerm(t)))
  const unit = (w: string | undefined): QueryUnit | undefined => units.find((v) => v.text === w)
  const out: UnknownOwner[] = []
  for (const { attribute: word, thing } of ofPhrases(query)) {
    const attribute = unit(word)
    // (a company named with its legal form, "of acme corp", is an instance: company-name.ts)
    if (!attribute || endsCompanyName(thing.map((w) => w.toLowerCase()))) continue
    const owner = unit(thing.at(-1)!.toLowerCase())
    if (owner && owner.role === "object" && !names.has(owner.text) && !/[A-Z]/.test(thing.at(-1)!) && !heard(owner)) out.push({ attribute, owner })
  }
  return out
}

/**
 * Words after a request's opening verb that leave its meaning to what follows: a particle ("tick
 * off the task", "clean up": a phrasal verb means more than its verb), or an indefinite article
 * ("leave a note", "draw a logo": the thing made names the action).
 */
const NOT_OWN_ACTION = new Set(["off", "up", "a", "an"])
/** Words after a request's opening verb that introduce the thing it makes or gives ("file a bug", "return some links"). */
const MADE = new Set(["a", "an", "some", "any"])
/** Weights of a term the word typed is spelled as: itself, its typo's correction, a word it starts. */
const SPELLED = new Set([1, EXPANSION_WEIGHT.typo, EXPANSION_WEIGHT.prefix])
/** Words one letter off a request's verb looked at, at most. */
const MISSPELT = 4

/**
 * The verb a request opens with (intent.ts `leadingVerb`: "compress the attachments", "resize the
 * image", "unsubscribe me") when it is the request's only verb and no tool performs it, whatever
 * things it names: no tool has the word anywhere (name, description, arguments; spelled as a
 * typo's correction or a word it starts, or one letter off), and no tool that says a synonym of
 * it in what it is or does (name, title, summary) has another word of the request ("resize" →
 * size of mongodb's `collection-storage-size`, which has no image). Every hit is then weak: none
 * does what was asked. Not a phrasal verb or one before "a" (NOT_OWN_ACTION), nor a verb some
 * tool uses even loosely ("push my task to Monday", "highlight the clause": the tools say it, the
 * request may use it figuratively), nor one with another verb asked or saying how ("unsubscribe me …
 * by making a filter"), nor a misspelling of a verb a tool is named with ("clik").
 */
function undoneVerb(bm: Bm25Index, query: string, units: readonly QueryUnit[], concepts: readonly Concept[]): QueryUnit[] {
  const words = splitWords(query)
  const at = leadingVerb(words, verbBeforeId(query) || verbBeforePlace(query))
  // another verb of its own: a change or command asked, or how to do it ("… by making a filter")
  if (at < 0 || NOT_OWN_ACTION.has(words[at + 1]!) || units.some((u) => u.role === "change" || u.role === "command") || words.some((w, i) => words[i - 1] === "by" && /ing$/.test(w))) return []
  const verb = units.find((u) => u.text === words[at])
  if (!verb) return []
  const terms = verb.concepts.flatMap((i) => [...concepts[i]!])
  // the word, or a word it starts, where a tool itself speaks (not its arguments' names or help:
  // "compiler options" of an argument compiles nothing); a typo's correction anywhere
  if (terms.some(([t, w]) => SPELLED.has(w) && (w === EXPANSION_WEIGHT.typo ? bm.hasTerm(t) : bm.hasTermIn(t, SAID_FIELDS)))) return []
  // a misspelt verb a tool is named with ("clik" → browser_click)
  if (verb.text.length > 3 && bm.similar(stem(verb.text), 1, MISSPELT).some((t) => bm.hasTermIn(t, HEAD_FIELDS))) return []
  // the tools that have another word of the request the tools know (or its synonym), anywhere
  const others = units.filter((u) => u !== verb).flatMap((u) => u.concepts.flatMap((i) => [...concepts[i]!].filter(([t, w]) => w > EXPANSION_WEIGHT.prefix && bm.hasTerm(t)).map(([t]) => t)))
  const near = new Set(others.flatMap((t) => [...bm.scoreTerm(t).keys()]))
  const done = terms.some(([t, w]) => w > EXPANSION_WEIGHT.prefix && [...bm.scoreTerm(t).keys()].some((name) => bm.docHasTermIn(name, t, DOES_FIELDS) && (!others.length || near.has(name))))
  return done ? [] : [verb]
}

/**
 * The words a request asks for, to count how much of it a tool has: not a number, a word of time,
 * a name (capitalized inside the request: "Boston", "Lyon"), nor a loose verb or word of quantity
 * ("turn", "take", "many"; not in a noun's form: "checking" and "savings" name things).
 */
function contentWords(query: string, units: readonly QueryUnit[]): QueryUnit[] {
  const names = properNames(query)
  return units.filter((u) => u.role !== "command" && !/\d/.test(u.text) && !isTimeWord(stem(u.text)) && !names.has(u.text) && !(u.role === "other" && !/(?:ing|s)$/.test(u.text)))
}

/** Words capitalized inside a request, past its first word ("ask Carol", "in Denver"): names. */
function properNames(query: string): Set<string> {
  const out = new Set<string>()
  for (const m of query.matchAll(/(?<=\S\s+)[A-Z][a-z]+\b/g)) out.add(m[0].toLowerCase())
  return out
}

/** Words after which a product named is what the request is about, not where it asks to act. */
const TOPIC = /^(?:about|regarding|re|for|of|on|mentioning|like|than|vs|versus)$/

function topicOf(query: string, word: string): boolean {
  const words = splitWords(query)
  return words.some((w, i) => w === word && i > 0 && TOPIC.test(words[i - 1]!))
}

/** Words for what runs a product's software (a workload, its package): a product named before one is what runs, not where to act. */
const RUNS = new Set("pod pods container containers chart charts helm image images deployment deployments release releases replica replicas statefulset daemonset".split(" "))

/** Whether the product `word` is typed as what runs in a workload ("the redis pod", "the redis helm release"): software deployed, a name. */
function deployedAs(query: string, word: string): boolean {
  const words = splitWords(query)
  return words.some((w, i) => w === word && RUNS.has(words[i + 1] ?? ""))
}

/**
 * A thing the request names that is software vocabulary (the synonym table has the word: "github",
 * "issue", "email", "database", "web") that no tool here mentions: no tool's name, title, server,
 * description or arguments have it or a synonym of it; or a product or service's name no tool
 * mentions ("pagerduty", "zendesk", "twitter": synonyms.ts PRODUCTS). It still counts as asked for: a request
 * about it ("delete a github issue") is answered by none of these tools, and the hits that share
 * only its verb (memory's delete tools) are weak, not answers. A word outside that vocabulary (a
 * project's name, a typo) asks for nothing, as before.
 */
function foreign(bm: Bm25Index, u: QueryUnit, concepts: readonly Concept[]): boolean {
  const terms = u.concepts.flatMap((i) => [...concepts[i]!])
  return terms.some(([t, w]) => w === 1 && (synonymsOf(t) !== undefined || isProductName(t))) && !terms.some(([t, w]) => w > EXPANSION_WEIGHT.prefix && bm.hasTerm(t))
}

/** Fields that say a product is connected: a server named after it, or tools naming it in its brand's casing. */
const PRODUCT_FIELDS = (["server", "brands"] as const).map((f) => FIELDS.indexOf(f))

/**
 * A product whose name is an everyday word too, typed as the product ("create a linear issue",
 * "send a teams message": synonyms.ts `namesWordProduct`), that no server is named after: the tools
 * sharing its everyday word ("team" of github's `get_teams`) do not work with it.
 */
function unconnectedWordProduct(bm: Bm25Index, query: string, u: QueryUnit): boolean {
  const words = splitWords(query)
  return words.some((w, i) => w === u.text && namesWordProduct(words, i)) && !bm.hasTermIn(stem(u.text), PRODUCT_FIELDS)
}

export interface ToolIndexOptions {
  /** Synonyms, phrases and literal handling of queries (default true; off = plain BM25F, to measure what they add). */
  synonyms?: boolean
  /**
   * Called once per document indexed; by default it asks for a concurrent collection every
   * COLLECT_EVERY documents (core/collect-pace: a fleet's build otherwise leaves its lasting
   * structures scattered among its garbage: in the binary, RSS after the first search of 5 000 tools
   * was ~35 MiB higher).
   */
  pace?: () => void
}

export function createToolIndex(opts: ToolIndexOptions = {}): ToolIndex {
  const bm = new Bm25Index()
  const tools = new Map<string, IndexedTool>()
  const byServer = new Map<string, Set<string>>()
  /** Distinct stemmed words of each tool's own name, and of each server's name. */
  const nameWords = new Map<string, string[]>()
  /** Each tool's own name's words as written, stemmed, stop words too (family-named.ts: `crashlytics_get_issue`, `get_board_labels`). */
  const writtenWords = new Map<string, string[]>()
  /** The multi-word values each tool's arguments take ("WAITING_FOR_REVIEW", state-values.ts). */
  const states = new Map<string, string[][]>()
  /** Each tool's action family, from every word of its own name ("get" too: a stop word for scoring). */
  const families = new Map<string, ActionFamily | undefined>()
  const serverWords = new Map<string, string[]>()
  /** The short forms each server is typed by, from how its tools write its name (brand-short.ts: "bq" of BigQuery, "mongo" of MongoDB). */
  const shortForms = new Map<string, Set<string>>()
  /** Words most of a server's tools are named with ("kubectl" of kubectl_get, kubectl_logs…): a prefix, no thing. */
  const prefixWords = new Map<string, Set<string>>()
  /** The first word of each tool's summary (what it says it does: "Returns …", "Get …"). */
  const summaryVerb = new Map<string, string>()
  /** Tools that remove things, and how we know (intent.ts). */
  const removal = new Map<string, "name" | "hint">()
  /** The words, as written, of what each tool is and acts on (its server's name and its own, title, first sentence, argument choices). */
  const ownWords = new Map<string, readonly string[]>()
  /** Tools that say they are deprecated. */
  const deprecated = new Set<string>()
  /**
   * Servers every tool of which says "deprecated": a note about the server ("This CircleCI MCP
   * server is deprecated"), not a tool with a successor beside it. The mark ranks a tool below its
   * successor; here it ranked every one of them below other servers' tools for their own words.
   * With another server named ("… on k8s") the mark still counts: what is asked is that server's.
   */
  const deprecatedServers = new Set<string>()
  /** Exposed names by the words of their exposed name and of their own name ("get me" → github__get_me): a list, mostly of one. */
  const spelled = new Map<string, string[]>()
  /** The one instance of each word the per-tool lists above hold (vocabulary.ts). */
  const vocab = new Vocabulary()
  const pace = opts.pace ?? collectPacer()
  /** Every word list kept per tool (for the vocabulary's rebuild). */
  const liveWords = function* (): Iterable<readonly string[]> {
    yield* nameWords.values()
    yield* writtenWords.values()
    yield* ownWords.values()
    for (const s of states.values()) yield* s
  }
  const spellings = (t: IndexedTool): string[] => [...new Set([spellingOf(t.name), spellingOf(t.tool)])].filter(Boolean)
  const unspell = (t: IndexedTool): void => {
    for (const w of spellings(t)) {
      const list = spelled.get(w)
      const at = list?.indexOf(t.name) ?? -1
      if (at >= 0) list!.splice(at, 1)
      if (list?.length === 0) spelled.delete(w)
    }
  }

  const dropName = (name: string): void => {
    const old = tools.get(name)
    if (!old) return
    byServer.get(old.server)?.delete(name)
    unspell(old)
    tools.delete(name)
    const released = (nameWords.get(name)?.length ?? 0) + (writtenWords.get(name)?.length ?? 0) + (ownWords.get(name)?.length ?? 0) + (states.get(name) ?? []).reduce((n, s) => n + s.length, 0)
    nameWords.delete(name)
    writtenWords.delete(name)
    states.delete(name)
    families.delete(name)
    summaryVerb.delete(name)
    ownWords.delete(name)
    removal.delete(name)
    deprecated.delete(name)
    bm.remove(name)
    vocab.release(released, liveWords)
  }

  const removeServer = (server: string): void => {
    const names = byServer.get(server)
    if (!names) return
    for (const n of [...names]) dropName(n)
    byServer.delete(server)
    serverWords.delete(server)
    shortForms.delete(server)
    prefixWords.delete(server)
    deprecatedServers.delete(server)
  }

  /**
   * A server named by a word only its own tools use ("slack", "gitlab", "notion"): a request naming
   * it asks for that product. Not an everyday word that names a server too ("time", "memory",
   * "fetch", "git"): other servers' tools use it, or it is a verb or in the synonym table.
   */
  const ownName = (server: string): boolean =>
    (serverWords.get(server) ?? []).every((w) => wordRole(w, w) === "object" && synonymsOf(w) === undefined && [...bm.scoreTerm(w).keys()].every((n) => tools.get(n)?.server === server))

  /**
   * The servers whose name is a brand and one of its products ("google-calendar", "aws-s3") that a
   * request names by the brand with another product ("add a row to the google sheet", "invoke the
   * aws lambda"), typing no other word of their name: the word after the brand (stemmed) and the
   * pair as typed, by server. Not a server whose tools are named with the brand's word (git-cyanheads'
   * `git_commit`: "git commit" is theirs).
   */
  const brandsOtherProduct = (ask: string): Map<string, { product: string; text: string }> => {
    const out = new Map<string, { product: string; text: string }>()
    const words = splitWords(ask)
    const typed = new Set(words.map(stem))
    for (const [server, sw] of serverWords) {
      const [brand, ...rest] = sw
      if (brand === undefined || !rest.length || !typed.has(brand) || rest.some((w) => typed.has(w))) continue
      if ((prefixWords.get(server)?.has(brand) ?? false) || [...(byServer.get(server) ?? [])].some((n) => bm.docHasTermIn(n, brand, NAME_FIELD))) continue
      const at = words.findIndex((w, i) => stem(w) === brand && words[i + 1] !== undefined && !isStop(words[i + 1]!))
      if (at >= 0) out.set(server, { product: stem(words[at + 1]!), text: `${words[at]} ${words[at + 1]}` })
    }
    return out
  }

  /**
   * The servers a product typed names (`typed`: stemmed words as typed; synonyms.ts PRODUCTS, not
   * "SignUp"): the one server whose tools name it in their own words in its brand's casing
   * (fields.ts `brandWords`), when no other server's tools have the word anywhere.
   */
  const brandNamed = (typed: ReadonlySet<string>): Set<string> => {
    const out = new Set<string>()
    for (const t of typed) {
      if (!isProductName(t)) continue
      const docs = [...bm.scoreTerm(t).keys()]
      const servers = new Set(docs.map((n) => tools.get(n)?.server))
      const [server] = servers
      if (servers.size === 1 && server !== undefined && docs.some((n) => bm.docHasTermIn(n, t, BRANDS_FIELD))) out.add(server)
    }
    return out
  }

  /**
   * The words of the request a tool lacks when it has, in what it is or acts on (ACTS_ON_FIELDS),
   * only one of three or more of them (`content`: not a loose verb, a number, a word of time, a
   * name), and that one is the request's verb (a change asked, as typed) or a word whose
   * stem only it shares (its name says "live", the request "living"; a word's other number counts
   * as the word, and a verb's -ing saying how or when, "by pressing", is the verb); or a noun in
   * -ing(s) reached only through its stem's synonyms ("savings" → save → write). Empty otherwise.
   */
  const collision = (name: string, content: readonly QueryUnit[], terms: readonly Concept[], said: readonly string[]): QueryUnit[] => {
    if (content.length < 3) return []
    const acts = (i: number): boolean => [...terms[i]!].some(([t, w]) => w > EXPANSION_WEIGHT.prefix && bm.docHasTermIn(name, t, ACTS_ON_FIELDS))
    const matched = content.filter((u) => u.concepts.some(acts))
    if (matched.length !== 1) return []
    const u = matched[0]!
    // nothing else of the request there (a phrase's meaning, a literal's kind)
    if (terms.some((_, i) => !u.concepts.includes(i) && acts(i))) return []
    const t = stem(u.text)
    // (its verb as typed: "transfer", not "send" through `post`)
    const verb = u.role === "change" && bm.docHasTermIn(name, t, ACTS_ON_FIELDS)
    const own = ownWords.get(name) ?? []
    const asWritten = own.some((v) => stem(v) === t && (v === u.text || v === `${u.text}s` || u.text === `${v}s` || v === `${u.text}es` || u.text === `${v}es`))
    // (a verb's -ing saying how or when is that verb: "by pressing ctrl+a" → `press_key`)
    const how = /ing$/.test(u.text) && said.some((w, i) => w === u.text && GERUND_AFTER.has(said[i - 1] ?? ""))
    const stemOnly = !asWritten && !how && u.concepts.some((i) => bm.docHasTermIn(name, t, ACTS_ON_FIELDS) && terms[i]!.get(t) === 1)
    // a noun in -ing(s) reached only through its stem's synonyms ("savings" → save → `write_apex`)
    const nounSynonym = !how && /ings?$/.test(u.text) && !bm.docHasTermIn(name, t, ACTS_ON_FIELDS)
    return verb || stemOnly || nounSynonym ? content.filter((v) => v !== u) : []
  }

  /**
   * `typed` with each word that is one server's short form and no word of the index ("bq" of
   * BigQuery, brand-short.ts) written as that server's name: typed so, it finds that server's tools
   * as its name does (it only marked the server named, and "what datasets we got in bq" found
   * none of BigQuery's tools, only Airflow's datasets).
   */
  const withServerNames = (typed: string): string =>
    typed.replace(/[\p{L}\p{N}]+/gu, (m) => {
      const w = m.toLowerCase()
      if (bm.hasTerm(stem(w))) return m
      const servers = [...shortForms].filter(([, forms]) => forms.has(w)).map(([s]) => s)
      return servers.length === 1 ? servers[0]! : m
    })

  /** A tool's own name's words as written, its server's prefix and name aside (`create_invoice` of quickbooks). */
  const ownAction = (tool: IndexedTool): string[] => {
    const skip = new Set([...(prefixWords.get(tool.server) ?? []), ...(serverWords.get(tool.server) ?? [])])
    return splitWords(tool.tool).filter((x) => !skip.has(stem(x)))
  }

  /**
   * The verb of a tool named with a making verb and thing `w` alone, its server's prefix aside
   * (`create_invoice` → "create" for "invoice"), or undefined.
   */
  const maker = (w: string): string | undefined => {
    const t = stem(w)
    for (const tool of tools.values()) {
      const rest = ownAction(tool)
      if (rest.length === 2 && MAKING.has(rest[0]!) && stem(rest[1]!) === t) return rest[0]
    }
    return undefined
  }

  /** `typed` with the making verb put before a thing used as its verb ("invoice globex …", noun-verb.ts). */
  const withMakingVerb = (typed: string): string => {
    const words = splitWords(typed)
    const asked = nounAsVerb(words, openingAt(words), maker, (w) => wordRole(w, stem(w)) !== "object" || isReadVerb(stem(w)) || isActionVerb(stem(w)), (w) => bm.hasTerm(stem(w)))
    if (!asked) return typed
    const w = words[openingAt(words)]!
    return typed.replace(new RegExp(`\\b${w}\\b`, "i"), `${asked[openingAt(words)]} ${w}`)
  }

  const rank = (typedQuery: string, so: SearchOptions): SearchHit[] => {
    const query = withMakingVerb(withServerNames(typedQuery))
    const limit = clampLimit(so.limit)
    const accept = (name: string): boolean => {
      const t = tools.get(name)
      if (!t) return false
      if (so.server !== undefined && t.server !== so.server) return false
      return so.filter ? so.filter(t) : true
    }
    const { concepts: terms, units, kinds, senses, nameOnly, formed, acted } = expandQuery(query, bm, { synonyms: opts.synonyms ?? true })
    /** Whether document `doc` has concept `i`'s term `t` in `fields` (a CLI's own name only in its name or title: query.ts `nameOnly`). */
    const hasIn = (doc: string, i: number, t: string, fields: readonly number[]): boolean => bm.docHasTermIn(doc, t, nameOnly.get(i)?.has(t) ? OWN_NAME_FIELDS : fields)
    // the request's ask, without the sentences that give it context (sentences.ts): its verbs and
    // its question are the ones that say what to do
    const ask = withoutContext(query)
    let hits: SearchHit[]
    if (terms.length === 0) {
      // Nothing to rank by (empty or only stop words): the tools in name order, so a query by
      // server alone still lists that server's tools.
      hits = [...tools.values()].filter((t) => accept(t.name)).map((tool) => ({ tool, score: 0 }))
    } else {
      const total = new Map<string, number>()
      /** Per document: how many of the words typed it matches (through any of their terms). */
      const matched = new Map<string, number>()
      /** Per concept: the documents matching one of its terms. */
      const conceptDocs: Array<ReadonlyMap<string, number>> = []
      let typedConcepts = 0
      // the word each concept stands for, as typed (a meeting word's "event" is a calendar's: calendar-event.ts)
      const meetingConcepts = new Set(units.filter((u) => MEETING_WORDS.has(u.text) || senses.get(u.text)?.includes("event")).flatMap((u) => u.concepts))
      const calendarServers = new Map<string, boolean>()
      /** Whether a tool's server says calendar word `t` in one of its tools. */
      const serverSays = (name: string, t: string): boolean => {
        const server = tools.get(name)?.server ?? ""
        const key = `${server}\0${t}`
        let v = calendarServers.get(key)
        if (v === undefined) calendarServers.set(key, (v = [...bm.scoreTerm(t).keys()].some((d) => tools.get(d)?.server === server && bm.docHasTermIn(d, t, SAID_FIELDS))))
        return v
      }
      /** The concepts of things the request names (a word typed as an object): their synonyms are nouns. */
      const thingConcepts = new Set(units.filter((u) => u.role === "object").flatMap((u) => u.concepts))
      for (const [ci, concept] of terms.entries()) {
        const isTyped = [...concept.values()].includes(1)
        if (isTyped) typedConcepts++
        // Best term of the concept per document (a synonym never adds to the word it stands for).
        const best = new Map<string, number>()
        for (const [term, w] of concept) {
          for (const [name, s] of bm.scoreTerm(term)) {
            if (nameOnly.get(ci)?.has(term) && !bm.docHasTermIn(name, term, OWN_NAME_FIELDS)) continue
            if (!eventCounts(meetingConcepts.has(ci), term, (t) => serverSays(name, t))) continue
            // (a thing's synonym that a tool says only as a verb, "Issue a virtual card", names nothing it has: verb-sense.ts)
            if (w < 1 && w !== EXPANSION_WEIGHT.typo && thingConcepts.has(ci) && !bm.docHasTermIn(name, term, NAME_FIELD) && saysOnlyAsVerb(term, tools.get(name)!.description ?? "", stem)) continue
            // (a phrasal verb's synonym that a tool's name has as the thing it reads, "kick off a
            // build" → trigger, `get_trigger` of alerts: no action of that tool, verb-sense.ts namesAsThing)
            if (w < 1 && w !== EXPANSION_WEIGHT.typo && acted.has(ci) && !thingConcepts.has(ci) && namesAsThing(term, splitWords(tools.get(name)!.tool).map(stem), isReadVerb)) continue
            const v = w * s
            if (v > (best.get(name) ?? 0)) best.set(name, v)
          }
        }
        // a short form spelled out ("aov" = average order value): a tool saying every word of the
        // phrase says it, and scores their sum (synonyms.ts `spelledOut`)
        for (const [term, w] of concept) {
          const phrase = w === 1 ? spelledOut(term) : undefined
          if (!phrase || !phrase.every((t) => concept.has(t))) continue
          const scores = phrase.map((t) => bm.scoreTerm(t))
          for (const [name, s] of scores[0]!) {
            if (!scores.every((m) => m.has(name))) continue
            const v = phrase.reduce((sum, t, i) => sum + concept.get(t)! * (i === 0 ? s : scores[i]!.get(name)!), 0)
            if (v > (best.get(name) ?? 0)) best.set(name, v)
          }
        }
        conceptDocs.push(best)
        for (const [name, v] of best) {
          total.set(name, (total.get(name) ?? 0) + v)
          if (isTyped) matched.set(name, (matched.get(name) ?? 0) + 1)
        }
      }
      // Name coverage: a tool whose own name the query spells out (all of "create_repository"
      // asked for) beats one that shares a single word with it.
      const asked = new Set<string>()
      for (const c of terms) for (const t of c.keys()) asked.add(t)
      // the terms only an identifier of words brings ("events" of the task `load_events`, literals.ts
      // NAMES): they name one item, and cover no word of a tool's name (`get_event_logs`); a link's
      // words still do ("…/pull/9" is a pull request)
      const heaviest = new Map<string, number>()
      for (const c of terms) for (const [t, w] of c) heaviest.set(t, Math.max(w, heaviest.get(t) ?? 0))
      const idWords = extractLiterals(query).literals.filter((l) => (l.kind === "id" || l.kind === "qualified") && !/\d/.test(l.text)).flatMap((l) => tokenize(l.text))
      const literalOnly = new Set(idWords.filter((t) => (heaviest.get(t) ?? 0) <= EXPANSION_WEIGHT.literal))
      // the terms that cover a word of a tool's name wholly: all but a loose verb's synonyms
      const loose = new Set(units.filter((u) => u.role === "other").flatMap((u) => u.concepts))
      const covering = new Set<string>()
      terms.forEach((c, i) => {
        for (const [t, w] of c) if (w === 1 || w === EXPANSION_WEIGHT.typo || !loose.has(i)) covering.add(t)
      })
      // the terms only the words after "for" bring (purpose.ts): a name word they cover is the qualifier's
      const purpose = purposeWords(splitWords(withoutContext(query)))
      const purposeConcepts = new Set(units.filter((u) => purpose.has(u.text)).flatMap((u) => u.concepts))
      const mainTerms = new Set(terms.flatMap((c, i) => (purposeConcepts.has(i) ? [] : [...c.keys()])))
      const qualifierOnly = (t: string): boolean => purposeConcepts.size > 0 && !mainTerms.has(t) && terms.some((c, i) => purposeConcepts.has(i) && c.has(t))
      const typed = new Set<string>()
      // (a CLI's own name is no server named: "docker ps" asks no tool of the Toolkit's `docker`)
      for (const [i, c] of terms.entries()) for (const [t, w] of c) if (w === 1 && !nameOnly.get(i)?.has(t)) typed.add(t)
      const named = new Set<string>()
      for (const [server, words] of serverWords) if (words.length && words.every((w) => typed.has(w))) named.add(server)
      // a server called by one word, typed as its numeronym ("k8s" for kubernetes, numeronym.ts)
      // (as typed: stemming makes "k8s" "k8")
      const askWords = splitWords(ask)
      for (const server of serverWords.keys()) if (askWords.some((w) => spellsNumeronym(w, server.toLowerCase()))) named.add(server)
      // a server typed by a short form of its brand's name ("bq" for BigQuery, "mongo" for MongoDB: brand-short.ts)
      for (const [server, forms] of shortForms) if (askWords.some((w) => forms.has(w))) named.add(server)
      // a product only one server's tools name, in its brand's casing ("PostgreSQL", "SQLite" of a
      // server called "warehouse"): typed, it names that server as its name would
      const byBrand = brandNamed(typed)
      for (const server of byBrand) named.add(server)
      // a product inside a server, typed by the word its family of tools opens with ("crashlytics"
      // of firebase's `crashlytics_…`): those tools as if their server were named (family-named.ts)
      const familyNamed = familiesNamed(
        [...tools.values()].filter((t) => !named.has(t.server)).map((t) => ({ name: t.name, server: t.server, words: writtenWords.get(t.name) ?? [] })),
        typed,
        serverWords,
        (w, server) => wordRole(w, w) === "object" && !isActionVerb(w) && !isReadVerb(w) && synonymsOf(w) === undefined && [...bm.scoreTerm(w).keys()].every((n) => tools.get(n)?.server === server),
      )
      // whether a server named as the question's subject answers ("is the sonarqube server up?")
      const subject = livenessSubject(ask)
      const askedAlive = new Set(subject ? [...serverWords].filter(([, ws]) => namesService(subject, ws)).map(([s]) => s) : [])
      // how to do something with a server named, or the only one ("how do I … with stripe?")
      // (or, with documentation named anywhere as where the answer is, "… check the docs", "the docs
      // should say", any server's)
      // (or a docs tool names, in its own words, the library typed: "… lora with peft", docs-named.ts)
      const docsNaming = (): Set<string> =>
        docsNamingTyped(
          typed,
          (t) => [...bm.scoreTerm(t).keys()].filter((n) => bm.docHasTermIn(n, t, SAID_FIELDS)),
          (n) => answersFromDocs(tools.get(n)!.tool, tools.get(n)!.title) && families.get(n) !== "write",
          (n) => tools.get(n)!.server,
          (t) => wordRole(t, t) === "object" && !isActionVerb(t) && !isReadVerb(t),
        )
      const howTo = asksHowTo(ask) ? (named.size ? named : byServer.size === 1 || namesDocs(query) ? new Set(byServer.keys()) : docsNaming()) : new Set<string>()
      /** Tools answering a how-to question from their server's documentation. */
      const fromDocs = new Set<string>()
      // a word whose meaning the request settles stands for that meaning ("drop a note" writes one:
      // no removal asked, the delete tools stay below; "leave a comment" adds one)
      const settled = new Set([...senses.keys()].map(stem))
      const removing = asksRemoval([...asked].filter((t) => !settled.has(t)))
      const wantsDeprecated = asked.has(stem("deprecated"))
      // the verbs as typed, stop words too ("get", "show" are stop words for scoring); a request
      // opening with a verb of its own ("reply to the thread saying I'll take a look") asks for
      // that verb's action, whatever the words after it read or write
      const said = splitWords(ask)
      // (each with the meaning the request settles: "leave a comment" is "create a comment")
      const meant = said.map((w) => senses.get(w)?.[0] ?? w)
      // (or before a thing and its id: "void invoice in_1234", bare-id.ts)
      const lead = leadingVerb(meant, verbBeforeId(ask) || verbBeforePlace(ask))
      // (a quantity of work or time after its verb: it records that, it writes: "log 2 hours")
      // (a question about what happened reads: "who edited the page" is no `update_page`)
      // (read in the request's own words, its literals taken out: "…/pull/57 what changed here" opens with "what")
      const literals = extractLiterals(ask)
      const plain = splitWords(literals.rest)
      const happened = asksWhatHappened(plain)
      // (a verb typed in the past describing the things asked for, "merged pull requests", "invoices
      // created this month": a tool named with it, and not reading, does that action, not asked)
      // (or said as not done yet, "files i changed but not commit yet": negated-state.ts)
      const undone = negatedChange(plain, (w) => !isStop(w) && !isReadVerb(stem(w)))
      const described = new Set([...describedByPast(plain), ...(undone !== undefined ? [stem(undone)] : [])])
      // (a word qualifying a field, "kevin's hire date", that a tool's name has as its action:
      // field-word.ts; that tool earns no score by it, it shared "hire" with the request only as a verb)
      // (its name opens with the word, its description says it as a verb done: "as hired")
      const qualifiers = new Set(fieldQualifiers(plain).map(stem))
      const qualifierConcepts = units.filter((u) => qualifiers.has(stem(u.text))).flatMap((u) => u.concepts)
      const actsAsQualifier = (name: string): boolean => {
        if (!qualifiers.size || families.get(name) === "read") return false
        const tool = tools.get(name)!
        const rest = ownAction(tool)
        return rest.length > 1 && qualifiers.has(stem(rest[0]!)) && saysAsVerb(rest[0]!.toLowerCase(), `${tool.title ?? ""} ${tool.description ?? ""}`)
      }
      const qualifierScore = (name: string): number => (actsAsQualifier(name) ? qualifierConcepts.reduce((n, i) => n + (conceptDocs[i]!.get(name) ?? 0), 0) : 0)
      // (a thing said as lacking filters a list: "expenses without a receipt", lacked-thing.ts)
      const lacked = new Set(lackedThings(plain).map(stem))
      const stateVerbs = new Set(asksState(plain) ? [...described, ...stateParticiples(plain)] : [])
      // (the verb whose state a question asks, "did the nda get signed yet", "who still needs to sign":
      // a tool doing something that says the verb only in its text, of the things not in that state
      // yet, reports no status: state-question.ts)
      const statesAsked = askedStates(plain)
      const actsOnPending = (name: string): boolean =>
        statesAsked.length > 0 && families.get(name) !== "read" && !splitWords(tools.get(name)!.tool).some((w) => statesAsked.includes(stem(w))) && statesAsked.some((t) => bm.docHasTermIn(name, t, SAID_FIELDS))
      // (and the words saying that state, "signed yet", earn it nothing: they are the state of its things)
      const stateConcepts = units.filter((u) => statesAsked.includes(stateStem(u.text)) || PENDING_WORDS.has(u.text)).flatMap((u) => u.concepts)
      const pendingScore = (name: string): number => (actsOnPending(name) ? stateConcepts.reduce((n, i) => n + (conceptDocs[i]!.get(name) ?? 0), 0) : 0)
      // (a sense the request settles to a verb that reads or writes says which: "tag the sticky
      // note" labels it, modifies it; get-sticky-note-item reads)
      const settledFamily = askedFamily([...senses.values()].flat().map(stem))
      // (with no verb, an attribute of one item named by its id asks to read it: "status of issue #204")
      const family = happened ? "read" : settledFamily ?? (lead >= 0 ? undefined : askedFamily(meant.map(stem), meant) ?? (recordsQuantity(said) || (opensWithChange(meant) && !meant.some((w) => isReadVerb(stem(w)))) ? "write" : attributeOfItem(said, units, literals.literals) || asksWhatIs(plain) ? "read" : undefined))
      const questionReads = asksWhatIs(plain)
      // that verb as a thing a reading tool lists ("reply" → get_thread_replies, "comment" →
      // get_card_comments): the request does it, it does not read those
      const leadThing = lead >= 0 ? stem(said[lead]!) : undefined
      // the word the request opens with, as typed (its verb, when it is an imperative)
      const opening = said[openingAt(said)]
      // that verb's terms (the word and its synonyms), when a tool's name, title or server has one
      const leadUnit = lead >= 0 ? units.find((u) => u.text === said[lead]) : undefined
      const leadTerms = (leadUnit?.concepts ?? []).flatMap((i) => [...terms[i]!].filter(([, w]) => w > EXPANSION_WEIGHT.prefix).map(([t]) => t))
      // (not before "a", "some": "file a bug", "return some links" name the thing made, not the verb)
      // (the word the request opens with, stemmed, when it is a change some tool is named with: text-verb.ts)
      const openStem = opening !== undefined ? stem(opening) : undefined
      const leadNamed = openStem !== undefined && !happened && isChangeVerb(openStem) && bm.hasTermIn(openStem, NAME_FIELD) ? openStem : undefined
      const leadDone = !MADE.has(said[lead + 1] ?? "") && leadTerms.some((t) => bm.hasTermIn(t, HEAD_FIELDS))
      // the verb typed, when a tool is named with it ("tag the card": attach-tag) and the request
      // settles it to a sense that is itself or its synonym ("tag" → label, modify; not "push my
      // appointment to Friday", which moves a meeting: no git push): a tool matching it only through
      // what it means (label → modify → update: update-card-item) does another action, and the
      // meaning's words cover no word of a tool's name (update-tag does not outrank attach-tag by "update")
      const typedAt = typedVerb(said)
      const typedWord = typedAt >= 0 ? said[typedAt]! : undefined
      const typedSense = typedWord !== undefined ? senses.get(typedWord)?.[0] : undefined
      const ownVerb = typedWord !== undefined && typedSense !== undefined && (stem(typedSense) === stem(typedWord) || synonymsOf(stem(typedWord))?.has(stem(typedSense)) === true) && bm.hasTermIn(stem(typedWord), NAME_FIELD) ? stem(typedWord) : undefined
      const ownUnit = ownVerb !== undefined ? units.find((u) => u.text === typedWord) : undefined
      const ownMeaning = (ownUnit?.concepts ?? []).flatMap((i) => [...terms[i]!].filter(([t, w]) => t !== ownVerb && w > EXPANSION_WEIGHT.prefix).map(([t]) => t))
      const meaningOnly = new Set(ownMeaning)
      /** The request's other words: after its own verb, things ("answer the post"), not verbs. */
      const leadRest = new Set(lead >= 0 ? said.filter((_, i) => i !== lead).map(stem) : [])
      // what a verb of the request means and no other word brings ("add" → sum, "modified" → info)
      const verbMeans = new Set<string>()
      const otherMeans = new Set<string>()
      // (a write verb's plural after a verb that reads is a thing: "show the posts" asks no posting)
      const readThings = new Set(units.filter((u) => said.some((w, i) => w === u.text && writeReadAsThing(said, i))).flatMap((u) => u.concepts))
      for (const [i, c] of terms.entries()) for (const t of c.keys()) (!readThings.has(i) && [...c].some(([v, w]) => w === 1 && isActionVerb(v)) ? verbMeans : otherMeans).add(t)
      for (const t of otherMeans) verbMeans.delete(t)
      // the verbs typed only inside a phrase naming a thing ("get merge request": phrase-verbs.ts)
      const phraseOnly = verbsOnlyInPhrases(said)
      // the request's words of time ("today", "next Friday"): a tool matching only them is not
      // about what was asked ("what did I finish last week" → get-project-activity-stats by "week")
      // (a date or a time of day typed, "on 2025-03-14", "at 10am", is one too: its concept is `#when` alone)
      const timeUnits = units.filter((u) => isTimeWord(stem(u.text)))
      const timeConcepts = new Set([...timeUnits.flatMap((u) => u.concepts), ...terms.flatMap((c, i) => (c.size === 1 && c.has(WHEN_SHAPE) ? [i] : []))])
      // (or only them and the words the request's form adds, "how many" → count: formed, query.ts;
      // "how many steps did i walk today" is no `get_transactions` by count and date)
      const onlyWhen = (name: string): boolean => timeConcepts.size + formed.size > 0 && units.length > timeUnits.length && conceptDocs.every((docs, i) => !docs.has(name) || timeConcepts.has(i) || formed.has(i))
      // one item named by its id, no plural typed and no listing asked ("show me ticket WEB-42"):
      // a tool returning many of them (its name lists, or has the thing asked for in the plural:
      // `list_project_issues`, not `get_issue_details`) is not what was asked,
      // whatever "show" ≈ list made of its name
      // (or named by a link to its page, its kind and number, or "this": one-item.ts)
      const itemNamed = terms.some((c) => [...c.keys()].some((t) => ID_SHAPES.has(t))) || namesOneItem(plain, literals.literals)
      const oneItem = itemNamed && !units.some((u) => PLURAL.test(u.text) || MANY.has(stem(u.text)))
      // several of a thing asked, no item named, nothing changed ("any open issues labeled bug?",
      // several.ts): a listing, which a tool's name listing them says, not one reading one item
      // (an item named that holds the things asked in the plural, "artifacts of build 88", names none of them)
      const several = severalAsked(units, plain, itemNamed && !(terms.every((c) => ![...c.keys()].some((t) => ID_SHAPES.has(t))) && severalInItem(plain, PLURAL)), family)
      // (their stems as typed or corrected: "isues" is issues)
      const severalThings = new Set(units.filter((u) => several.includes(u.text)).flatMap((u) => u.concepts.flatMap((i) => [...terms[i]!].filter(([, w]) => w === 1 || w === EXPANSION_WEIGHT.typo).map(([t]) => t))))
      /** The things the request names, as typed (stemmed): what a generic reader's arguments may choose. */
      const thingsTyped = units.filter((u) => u.role === "object").flatMap((u) => u.concepts.flatMap((i) => [...terms[i]!].filter(([t, w]) => w === 1 && !isActionVerb(t)).map(([t]) => t)))
      /**
       * What a generic reader whose arguments choose a thing typed lacks of a tool named after it:
       * per concept of those things, the best score a tool having it in its name gets, less its own.
       */
      const asNamed = (name: string): number => {
        let add = 0
        terms.forEach((c, i) => {
          if (![...c].some(([t, w]) => w === 1 && thingsTyped.includes(t) && bm.docHasTermIn(name, t, CHOICES_FIELD))) return
          let best = 0
          for (const [doc, v] of conceptDocs[i]!) if (v > best && [...c.keys()].some((t) => bm.docHasTermIn(doc, t, NAME_FIELD))) best = v
          add += Math.max(0, best - (conceptDocs[i]!.get(name) ?? 0))
        })
        return add
      }
      /**
       * What a tool whose options take a state the request types in words ("still waiting for
       * review?" and `WAITING_FOR_REVIEW`, state-values.ts) lacks: per concept of that state's words,
       * the best score any tool gets, less its own. It filters by that state: it answers as well.
       */
      const stateWords = new Map<string, readonly string[]>()
      for (const name of total.keys()) {
        const v = typedState(ask, states.get(name) ?? [])
        if (v) stateWords.set(name, v)
      }
      const asState = (name: string): number => {
        const v = stateWords.get(name)
        if (!v) return 0
        let add = 0
        terms.forEach((c, i) => {
          if (![...c].some(([t, w]) => w === 1 && v.includes(t))) return
          let best = 0
          for (const d of conceptDocs[i]!.values()) best = Math.max(best, d)
          add += Math.max(0, best - (conceptDocs[i]!.get(name) ?? 0))
        })
        return add
      }
      // a request ending on a machine ("memory usage on web-01"): a tool taking none answers
      // something else, when some tool takes one (on-host.ts)
      const onHost = asksOnHost(ask) && [...total.keys()].some((n) => takesMachine(tools.get(n)!))
      hits = []
      /** Tools that read the request's own verb as a thing (`get_rum_page_performance` for "page whoever is on call"): they do not do it. */
      const readsVerbAsThing = new Set<string>()
      /** Tools whose whole name the request covers (not by a generic verb alone). */
      const wholly = new Set<string>()
      /** Tools named after a part of the thing asked (head-thing.ts): "review" of `pull_request_review_write`. */
      const partNamed = new Map<string, string[]>()
      // (a removal asked: a delete tool whose server never says the thing the verb acts on, the first
      // thing word after its verb, when another delete tool's server says it, deletes another thing: removal-thing.ts)
      const removedUnit = removing ? units.find((u, i) => u.role === "object" && units.slice(0, i).some((v) => v.role === "change")) : undefined
      const removedTerms = (removedUnit?.concepts ?? []).flatMap((i) => [...terms[i]!].filter(([t, w]) => w === 1 && !isActionVerb(t)).map(([t]) => t))
      const deleting = removing ? [...total.keys()].filter((n) => removal.get(n) === "name") : []
      const otherDeleted = deletesOtherThing(deleting, removedTerms, (n) => tools.get(n)!.server, (server, t) => [...bm.scoreTerm(t).keys()].some((n) => tools.get(n)!.server === server && bm.docHasTermIn(n, t, SAID_FIELDS)))
      // (and when no delete tool says that thing itself, the ones left delete it as their server's
      // word for what they remove: "vectors" of a vector store are the points `delete_points` deletes)
      const deletesServersThing = otherDeleted.size > 0 && !deleting.some((n) => removedTerms.some((t) => bm.docHasTermIn(n, t, SAID_FIELDS)))
      for (const [name, matchScore] of total) {
        // Filters apply after scoring: scores come from the whole index, so a tool ranks the
        // same whatever toolset asks.
        if (!accept(name)) continue
        const words = nameWords.get(name) ?? []
        // a generic word of its name ("objects") stands for the choice typed ("contact" of
        // hubspot's batch-create-objects, whose objectType takes contacts, deals…)
        const chose = (w: string): boolean => GENERIC.has(w) && [...typed].some((t) => bm.docHasTermIn(name, t, CHOICES_FIELD))
        // a tool whose name says it writes what the request asks to read (or the reverse): the
        // words of its name the request shares do not make it the tool asked for
        // (a tool named with an action that is no writing verb acts too, for a question asking what is:
        // `close_position` for "how many shares of tsla do i have", intent.ts namedWithAction; not
        // for a request that reads by a loose word, "cancel my call, customer no-showed")
        const fam = family && (families.get(name) ?? (family === "read" && questionReads && namedWithAction(ownAction(tools.get(name)!)) ? "write" : undefined))
        // (its family from its name's words the request does not name as things: "post" of
        // list_post_answers is the thing of "answer the post", not a verb of that tool)
        // (the thing named in its name, or in what its first sentence says it reads: asana's
        // `get_task_stories`, "Get comments and stories for a task", for "comment on the task")
        const verbAsThing = leadThing !== undefined && (words.includes(leadThing) || (bm.docHasTermIn(name, leadThing, SUMMARY_FIELD) && summaryVerb.get(name) !== leadThing)) && toolFamily(splitWords(tools.get(name)!.tool).filter((w) => !leadRest.has(stem(w)))) === "read"
        if (verbAsThing) readsVerbAsThing.add(name)
        // the request's own verb, which some tool says it does and this one does not ("email the
        // weekly report to the team": `get_teams` shares only "team" with it)
        const leadUndone = leadDone && !leadTerms.some((t) => bm.docHasTermIn(name, t, DOES_FIELDS))
        // (its verb what the request's means, "add two numbers" → get-sum, unless the request asks
        // what happened: "who edited the page" is not `update_page`, edit → update)
        // (named with what the typed verb means and not with the verb: "tag the card" is not update-card-item)
        const byMeaning = ownVerb !== undefined && !bm.docHasTermIn(name, ownVerb, DOES_FIELDS) && ownMeaning.some((t) => bm.docHasTermIn(name, t, HEAD_FIELDS))
        // (a question about a state asks neither for its verb nor for its opposite: "is the user
        // suspended" is no `unsuspend_user`, "is mfa enabled" no `disable_factor`)
        const doesDescribed = described.size + stateVerbs.size > 0 && families.get(name) !== "read" && words.some((w) => described.has(stem(w)) || undoesVerb(w, stateVerbs))
        // (or it does a verb the request typed only inside a phrase naming a thing: `merge_merge_request` for "get merge request")
        const phraseAction = phraseOnly.some((p) => verbOutsidePhrase(tools.get(name)!, p.verb, p.phrase))
        // (or it names the request's opening verb only as done to its things: `git_diff_staged` for "stage src/index.ts", participle.ts)
        const verbDone = !happened && namesVerbDone(splitWords(tools.get(name)!.tool), opening)
        // (or it acts on a thing the request says is lacking, and the request types no other word of its name: `upload_receipt` for "expenses without a receipt")
        const actsOnLacked = lacked.size > 0 && families.get(name) !== "read" && words.some((w) => lacked.has(w)) && words.every((w) => lacked.has(w) || !typed.has(w))
        // (or it is named with another change and says the request's opening verb only in its text,
        // when a tool is named with that verb: `cancel-order` "… refunding the payment" for "refund order #1187", text-verb.ts)
        // (not a tool whose own summary opens with that verb: `create_pickup` "Schedule a courier pickup" schedules one)
        const sideVerb = leadNamed !== undefined && summaryVerb.get(name) !== leadNamed && actsByOtherVerb(splitWords(tools.get(name)!.tool), leadNamed, bm.docHasTermIn(name, leadNamed, SAID_FIELDS))
        const otherAction = actsOnLacked || sideVerb || actsAsQualifier(name) || (fam !== undefined && fam !== family && (happened || !words.some((w) => verbMeans.has(w)))) || verbAsThing || byMeaning || doesDescribed || phraseAction || verbDone || otherDeleted.has(name) || actsOnPending(name)
        // (nor does "show" ≈ list cover its name's "list")
        // (several asked: a listing word of a name having the thing asked says it, `list_issues`)
        const listsThem = several.length > 0 && words.some((w) => severalThings.has(w))
        const cover = (w: string): number => (meaningOnly.has(w) || literalOnly.has(w) || (oneItem && MANY.has(w)) ? 0 : listsThem && MANY.has(w) && !asked.has(w) ? RANK.looseSynonym : qualifierOnly(w) ? RANK.qualifier : covering.has(w) || chose(w) ? 1 : asked.has(w) ? RANK.looseSynonym : 0)
        // a generic verb of its name ("take" of browser_take_screenshot) covers it only with
        // another word of its name: "how long does it take to drive" asks for no screenshot
        const namesIt = words.some((w) => !isGenericVerb(w) && cover(w) > 0)
        // a generic reader, named with no thing of its own ("kubectl_get": its server's prefix and a
        // verb that reads, the request's), whose arguments choose the thing the request names
        // ("pods" of its resourceType): its name says what the request asks, as `get_pods` would
        const getter = !otherAction && families.get(name) === "read" && (family === "read" || family === undefined) && words.every((w) => (isReadVerb(w) && cover(w) > 0) || (prefixWords.get(tools.get(name)!.server)?.has(w) ?? false)) && thingsTyped.some((t) => bm.docHasTermIn(name, t, CHOICES_FIELD))
        // (it reads the thing as a tool named after it would: its concept scores as in the best name having it)
        const score = (getter ? matchScore + asNamed(name) : matchScore) + asState(name) - qualifierScore(name) - pendingScore(name)
        const covered = getter ? 1 : words.length && !otherAction && namesIt ? words.reduce((n, w) => n + cover(w), 0) / words.length : 0
        if (covered === 1) wholly.add(name)
        const server = tools.get(name)!.server
        const part = partOfThingAsked(words, new Set([...(prefixWords.get(server) ?? []), ...(serverWords.get(server) ?? [])]), asked, cover)
        if (part.length) partNamed.set(name, part)
        const tool = tools.get(name)!
        const coord = typedConcepts > 1 ? 1 + RANK.coordination * (((matched.get(name) ?? 0) - 1) / (typedConcepts - 1)) : 1
        const boost = coord * (1 + RANK.nameCoverage * covered) * (named.has(tool.server) || familyNamed.has(name) ? 1 + RANK.serverNamed : 1)
        const kind = removing ? undefined : removal.get(name)
        const penalty = (kind === "name" ? RANK.removal : kind === "hint" && covered < 1 ? RANK.destructiveHint : 1) * (!wantsDeprecated && deprecated.has(name) && !(deprecatedServers.has(tool.server) && (named.size === 0 || named.has(tool.server))) ? RANK.deprecated : 1)
        const number = RANK.number ** numberMismatches(said, splitWords(tool.tool))
        const many = (oneItem && splitWords(tool.tool).some((w) => MANY.has(stem(w)) || (PLURAL.test(w) && asked.has(stem(w))))) || (several.length && readsOne(splitWords(tool.tool), severalThings, stem, isReadVerb, MANY)) ? RANK.oneItem : 1
        hits.push({ tool, score: score * boost * penalty * number * many * (onlyWhen(name) ? RANK.onlyWhen : 1) * (verbAsThing ? RANK.verbAsThing : otherAction ? RANK.otherAction : 1) * (leadUndone ? RANK.leadUndone : 1) * (onHost && !takesMachine(tool) ? RANK.offHost : 1) })
      }
      // (named after an attribute asked of a thing it does not know, when another so named knows it:
      // "the logs of api pod" → Loki's `find_error_pattern_logs` below `kubectl_logs`, owner-of.ts)
      const unitOf = (w: string): QueryUnit | undefined => units.find((u) => u.text === w)
      // (the word as typed, stemmed: a synonym's tools do not know the thing by it)
      const typedTerms = (w: string): string[] => (unitOf(w)?.concepts ?? []).flatMap((i) => [...terms[i]!].filter(([, v]) => v === 1).map(([t]) => t))
      const knownBy = (w: string): string[] => (unitOf(w)?.role === "object" ? typedTerms(w).flatMap((t) => [...bm.scoreTerm(t).keys()]) : [])
      const unknowing = ownerUnknownTo(
        ask,
        hits.map((h) => h.tool.name),
        (name, w) => typedTerms(w).some((t) => bm.docHasTermIn(name, t, NAME_FIELD)),
        (name, w) => knownBy(w).includes(name),
        (name) => tools.get(name)!.server,
      )
      for (const h of hits) if (unknowing.has(h.tool.name)) h.score *= RANK.ownerUnknown
      // (when a tool is named after the thing itself: `create_pull_request` for "open a PR")
      for (const h of hits) {
        const part = partNamed.get(h.tool.name)
        if (part && [...wholly].some((n) => namedAfterThing(nameWords.get(n) ?? [], part))) h.score *= RANK.partNamed
      }
      // (whether a thing is in a state now, "is the garage door open": a record of its past changes,
      // `get_history`, answers another question, unless the request names that record; current-state.ts)
      if (asksStateNow(plain)) for (const h of hits) if (namedAsPastRecord(splitWords(h.tool.tool))) h.score *= RANK.pastRecord
      // (a near twin in the number typed, `get_dag_runs` for "recent runs of …": this one is the other thing, number-twin.ts)
      lowerNumberTwins(hits, (name) => tools.get(name)!.tool, said, RANK.otherNumber, splitWords)
      hits.sort((a, b) => b.score - a.score || byName(a.tool, b.tool))
      // the tools answering the question as asked, first (their own order kept), whatever else its words matched
      const inScope = (servers: ReadonlySet<string>, is: (t: IndexedTool) => boolean): string[] => [...servers].flatMap((s) => [...(byServer.get(s) ?? [])].filter((n) => accept(n) && is(tools.get(n)!)))
      // (one that reads: `create_doc`, `delete_docs` write documents, they answer no question)
      for (const n of inScope(howTo, (t) => answersFromDocs(t.tool, t.title) && families.get(t.name) !== "write" && !removal.has(t.name))) fromDocs.add(n)
      hits = answerFirst(hits, [...inScope(askedAlive, (t) => reportsLiveness(t.tool, serverWords.get(t.server) ?? [])), ...fromDocs], (n) => tools.get(n)!)
      hits = hits.slice(0, limit)
      // Marks do not change the order: only the hits returned are checked.
      const check = weakCheck(bm, ask, units, terms, kinds)
      const unnamed = unnamedObject(bm, ask, units, terms)
      const texted = messagesPerson(senses, units)
      // (the thing its verb acts on, which a tool named after another thing does not act on)
      const thing = unnamed.length ? undefined : actedOn(bm, ask, units, terms)
      // the concepts of the request's verbs (changes asked for, loose verbs)
      const verbConcepts = new Set(units.filter((u) => u.role === "change" || u.role === "other").flatMap((u) => u.concepts))
      const scope = [...named].filter((sv) => byBrand.has(sv) || ownName(sv)).sort()
      // the terms of the things the request names (its words that are not verbs, with synonyms)
      const thingTerms = new Set(units.filter((u) => u.role === "object").flatMap((u) => u.concepts.flatMap((i) => [...terms[i]!].filter(([, w]) => w > EXPANSION_WEIGHT.prefix).map(([t]) => t))))
      const content = contentWords(ask, units)
      // the thing the request's own verb acts on, its words up to a preposition ("ban the user …
      // from the server"): a tool named after it, as typed, is about what was asked (`read_graph`
      // for "dump the whole knowledge graph", own-verb.ts; a synonym's name is another thing's:
      // "block the user" → `get_team_members`)
      // (its head, the last thing word: "zip up the logs folder" is a folder, `git_log` is named after
      // logs; a tool whose name is about another thing, `find_alert_rules` for "the alerts", is not
      // about it, head-thing.ts `nameHead`)
      const leadThingTerms = new Set(verbObject(said, lead).flatMap((w) => units.filter((u) => u.role === "object" && u.text === w)).slice(-1).flatMap((u) => u.concepts.flatMap((i) => [...terms[i]!].filter(([, w]) => w === 1).map(([t]) => t))))
      const moreThanVerb = saysMoreThanVerb(said, lead)
      const namesLeadThing = (name: string): boolean => {
        const server = tools.get(name)!.server
        const head = nameHead(nameWords.get(name) ?? [], new Set([...(prefixWords.get(server) ?? []), ...(serverWords.get(server) ?? [])]))
        return head !== undefined && leadThingTerms.has(head)
      }
      const otherProduct = brandsOtherProduct(ask)
      // the hyphenated verb the request opens with ("cherry-pick …", compound-verb.ts)
      const compound = compoundVerb(ask)
      // the phrasal verb with "out" it opens with ("pay out …", out-verb.ts)
      const outPhrase = outVerb(ask, (t) => bm.hasTermIn(t, NAME_FIELD))
      // a thing said to be personal ("my personal tax return"): the asker's own, not an organisation's (personal-matter.ts)
      const personal = personalThing(splitWords(ask))
      for (const hit of hits) {
        const name = hit.tool.name
        // (its documentation answers whatever the question names)
        if (fromDocs.has(name)) continue
        const has = (u: QueryUnit): boolean => u.concepts.every((i) => conceptDocs[i]!.has(name))
        const does = (u: QueryUnit): boolean => u.concepts.every((i) => [...terms[i]!.keys()].some((t) => hasIn(name, i, t, DOES_FIELDS)))
        const names = (u: QueryUnit): boolean => u.concepts.some((i) => [...terms[i]!].some(([t, w]) => w > EXPANSION_WEIGHT.prefix && bm.docHasTermIn(name, t, DOES_FIELDS)))
        let missing = check.commands.filter((u) => !does(u)).map((u) => u.text)
        // (a verb also typed inside a phrase naming a thing, "merge … merge request", is done by a
        // tool whose name has it outside that phrase: `create_merge_request` merges nothing)
        // (said by the tool itself, or by its arguments as an action: `list_projects`' `archived`
        // filter archives nothing, state-filter.ts)
        const says = (u: QueryUnit): boolean => u.concepts.every((i) => [...terms[i]!.keys()].some((t) => hasIn(name, i, t, SAID_FIELDS)))
        const asState = (u: QueryUnit): boolean => changeOnlyAsState(hit.tool, new Set(u.concepts.flatMap((i) => [...terms[i]!].filter(([, w]) => w > EXPANSION_WEIGHT.prefix).map(([t]) => t))))
        const doesChange = (u: QueryUnit): boolean => has(u) && (says(u) || !asState(u)) && (!u.phrase || verbOutsidePhrase(hit.tool, u.text, u.phrase))
        if (check.changes.length && !check.changes.some(doesChange)) for (const u of check.changes) missing.push(u.text)
        // a literal's kind is a thing named too ("what did people say in #incidents": a channel)
        if (check.objects.length && !check.objects.some(has) && !kinds.some((i) => conceptDocs[i]!.has(name))) for (const u of check.objects) missing.push(u.text)
        // only the request's verbs in what it is or does ("send an email" → slack_post_message,
        // "create a calendar event" → monitor_create): the thing asked about is not what it acts
        // on. Not a tool the verb names wholly ("fetch a webpage" → fetch).
        // (nor a tool filtering by a state the request types: it acts on the things in that state)
        if (check.things.length && !wholly.has(name) && !stateWords.has(name) && !terms.some((c, i) => !verbConcepts.has(i) && [...c].some(([t, w]) => w > EXPANSION_WEIGHT.prefix && bm.docHasTermIn(name, t, ACTS_ON_FIELDS)))) {
          for (const u of check.things) if (!missing.includes(u.text)) missing.push(u.text)
        }
        // a server the request names ("… in slack", "on gitlab") by a word only its tools use: a
        // tool of another server answers a different request
        if (scope.length && !scope.includes(hit.tool.server)) missing.push(...scope)
        for (const u of check.elsewhere) if (!missing.includes(u.text)) missing.push(u.text)
        // its server's brand typed with another of the brand's products ("the google sheet" for google-calendar)
        // (unless it acts on another thing the request names: "a meeting with a google meet link" is a calendar event)
        const pair = otherProduct.get(hit.tool.server)
        const actsOnOther = (p: { text: string }): boolean => {
          const own = new Set(units.filter((u) => p.text.split(" ").includes(u.text)).flatMap((u) => u.concepts))
          return terms.some((c, i) => !verbConcepts.has(i) && !own.has(i) && [...c].some(([t, w]) => w > EXPANSION_WEIGHT.prefix && !isActionVerb(t) && bm.docHasTermIn(name, t, ACTS_ON_FIELDS)))
        }
        if (pair && !bm.docHasTermIn(name, pair.product, ACTS_ON_FIELDS) && !actsOnOther(pair) && !missing.includes(pair.text)) missing.push(pair.text)
        // matched through the request's words of time alone ("how windy is it on Saturday" →
        // find-tasks-by-date through Saturday → date): when is asked, not what
        if (onlyWhen(name)) for (const u of units) if (!timeUnits.includes(u) && !missing.includes(u.text)) missing.push(u.text)
        // a word no tool uses, asked of a tool not named after anything the request names
        if (check.unheard.length && !(nameWords.get(name) ?? []).some((w) => thingTerms.has(w))) for (const u of check.unheard) if (!missing.includes(u.text)) missing.push(u.text)
        // the thing whose attribute is asked, which no tool knows ("the price of bitcoin")
        // (a tool having that attribute has it for something else; one matched by other words is not judged)
        for (const { attribute, owner } of check.owners) if (has(attribute) && !missing.includes(owner.text)) missing.push(owner.text)
        // the request's own verb, which no tool performs ("compress this PNG")
        for (const u of check.undone) if (!missing.includes(u.text)) missing.push(u.text)
        for (const u of check.amount) if (!missing.includes(u.text)) missing.push(u.text)
        // the request's own verb, which this tool has only as a thing it reads ("page whoever is on
        // call" → `get_rum_page_performance`: a word after a reading verb of a name is its noun)
        if (leadUnit && readsVerbAsThing.has(name) && !missing.includes(leadUnit.text)) missing.push(leadUnit.text)
        // the thing its verb acts on, which no tool names ("create an invite link")
        for (const u of unnamed) if (!missing.includes(u.text)) missing.push(u.text)
        // a message to a person ("text my brother …"), which a tool sending a campaign or a review
        // request does not send (texts-person.ts)
        if (texted && !saysMessage(bm, name, DOES_FIELDS, NAME_FIELD) && !missing.includes(texted.text)) missing.push(texted.text)
        // the request's own verb, which this tool does not say it does ("ban the user … from the
        // discord server" → `discord_get_server_info`, own-verb.ts)
        if (leadUnit && !moreThanVerb && (!namesLeadThing(name) || namedWithChange(nameWords.get(name) ?? []) || mentionsVerbOnly(hit.tool.inputSchema, stem(said[lead]!))) && ownVerbUnsaid(bm, name, said[lead]!, leadTerms, afterVerb(said, lead), hit.tool.inputSchema) && !missing.includes(leadUnit.text)) missing.push(leadUnit.text)
        // the hyphenated verb the request opens with, which this tool does not say ("cherry-pick" → the release tools)
        if (compound && !saysCompound(bm, name, compound) && !missing.includes(compound.join("-"))) missing.push(compound.join("-"))
        // the phrasal verb with "out" it opens with, which this tool does not say as one word ("pay out" → `retrieve_balance`)
        if (outPhrase && !saysOutVerb(bm, name, outPhrase) && !missing.includes(outPhrase)) missing.push(outPhrase)
        // a personal thing, which this tool does not say it handles anywhere (payroll's tax tools for "my personal tax return")
        if (personal && !handlesPersonal(JSON.stringify([name, hit.tool.description ?? "", hit.tool.inputSchema ?? {}]), personal, stem(personal.thing)) && !missing.includes(personal.word)) missing.push(personal.word)
        // the thing its verb acts on, which this tool's name does not name though another tool's does
        // ("delete the gitlab project" → `delete_label`, other-thing.ts)
        if (thing && !thing.known && actsOnOtherThing(bm, name, nameWords.get(name) ?? [], prefixWords.get(hit.tool.server) ?? new Set(), thing.unit, terms, asked, thing.existing) && !missing.includes(thing.unit.text)) missing.push(thing.unit.text)
        // matched only in its usage advice or argument help ("order a pizza" → a tool with a sort
        // `order` argument): nothing it is or does was asked for. Any term counts here: a word
        // typed, a synonym, a phrase's or a command's meaning, a literal's kind; not a literal's
        // own text nor a prefix guess.
        // (a thing typed among the values its arguments choose is one it acts on: `ssh_monitor`'s
        // `type` cpu, memory, disk for "memory usage on web-01", choices.ts)
        if (!missing.length && units.length && !terms.some((c) => [...c].some(([t, w]) => w > EXPANSION_WEIGHT.prefix && bm.docHasTermIn(name, t, DOES_FIELDS))) && !thingChosen(bm, name, units, terms) && !stateWords.has(name)) for (const u of units) missing.push(u.text)
        // one of three or more words of the request in what it is or acts on, through its verb alone
        // or a word its stem merely shares ("living" → `get_live_data`, "transfer $500 from checking to
        // savings" → `transfer_cycle_issues`): nothing else of the request is there
        if (!missing.length) for (const u of collision(name, content, terms, said)) missing.push(u.text)
        if (deletesServersThing && removedUnit && removal.get(name) === "name" && !otherDeleted.has(name)) missing = missing.filter((t) => t !== removedUnit.text)
        if (missing.length) {
          hit.weak = true
          hit.unmatched = missing.slice(0, MAX_UNMATCHED)
        }
      }
      return hits
    }
    hits.sort((a, b) => b.score - a.score || byName(a.tool, b.tool))
    return hits.slice(0, limit)
  }

  /** Whether one word names a server of the index: its whole name, or a short form of its brand's (brand-short.ts). */
  const namesServer = (word: string): boolean => {
    const t = tokenize(word)
    return [...serverWords].some(([s, ws]) => (t.length === 1 && ws.length === 1 && ws[0] === t[0]) || (shortForms.get(s)?.has(word) ?? false))
  }

  /** Tools an identifier names in another spelling: its words, or its words after a prefix. */
  const spelledAs = (q: string): IndexedTool[] => {
    const words = splitWords(q)
    for (let from = 0; from < words.length; from++) {
      const hit = spelled.get(words.slice(from).join(" "))
      if (hit) return [...hit].sort().map((n) => tools.get(n)!)
    }
    return []
  }

  /**
   * Tools a longer request names by an identifier typed inside it ("call the get_logs tool with
   * service checkout", "use `github__get_me`"), in the order typed: the exact exposed name, or one
   * spelling all the words, two or more, of an exposed or own name (after a client's `…__` prefix).
   * Not a word of one piece ("fetch": a verb too; "~/projects" is a path), nor a name's tail
   * ("pull_request" is no tool `request`).
   */
  const namedInside = (q: string): IndexedTool[] => {
    const toks = q.split(/\s+/).map((t) => t.replace(/^[`"'(\[]+|[`"')\].,;:!?]+$/g, ""))
    if (toks.length < 2) return []
    return toks.flatMap((t) => {
      if (!IDENTIFIER.test(t) || t.includes("/")) return []
      const exact = tools.get(t)
      if (exact) return [exact]
      const own = t.slice(t.lastIndexOf("__") + 2)
      const hit = [t, own].map(spellingOf).filter((w) => w.includes(" ")).map((w) => spelled.get(w)).find((h) => h !== undefined)
      return hit ? [...hit].sort().map((n) => tools.get(n)!) : []
    })
  }


  /** `setServer` in slices of SLICE_TOOLS tools (types.ts `settingServer`). */
  function* settingServer(server: string, list: readonly IndexedTool[]): Generator<void> {
    removeServer(server)
    const names = new Set<string>()
    let n = 0
    for (const t of list) {
      // (a slice at a time: a list of 10 000 tools took seconds, every other server's calls waiting)
      if (++n % SLICE_TOOLS === 0) yield
      // A tool is indexed under the server it is being set for, whatever it claims.
      const doc: IndexedTool = t.server === server ? t : { ...t, server }
      dropName(doc.name)
      tools.set(doc.name, doc)
      for (const w of spellings(doc)) {
        const list = spelled.get(w)
        if (!list) spelled.set(w, [doc.name])
        else if (!list.includes(doc.name)) list.push(doc.name)
      }
      names.add(doc.name)
      const fields = documentFields(doc)
      // (interned: every tool's tokenizing made its own copy of "get", "list", "issue"…)
      nameWords.set(doc.name, vocab.internAll(fields.name, true))
      writtenWords.set(doc.name, vocab.internAll(splitWords(doc.tool).map(stem)))
      const values = stateValues(doc.inputSchema)
      if (values.length) states.set(doc.name, values.map((v) => vocab.internAll(v)))
      const family = toolFamily(splitWords(doc.tool))
      if (family) families.set(doc.name, family)
      // the summary as documentFields tokenized it (the description's first sentence)
      const opens = splitWords(splitDescription(doc.description ?? "")[0])[0]
      if (opens !== undefined) summaryVerb.set(doc.name, vocab.intern(stem(opens)))
      ownWords.set(doc.name, vocab.internAll(splitWords(`${doc.server} ${doc.tool} ${doc.title ?? ""} ${splitDescription(doc.description ?? "")[0]} ${choiceText(doc.inputSchema)}`), true))
      const kind = removalKind(fields.name, doc.annotations, fields.summary)
      if (kind) removal.set(doc.name, kind)
      if (DEPRECATED.test(doc.description ?? "") || DEPRECATED.test(doc.title ?? "")) deprecated.add(doc.name)
      bm.add(doc.name, fields)
      pace()
    }
    if (names.size) {
      byServer.set(server, names)
      serverWords.set(server, [...new Set(tokenize(server))])
      shortForms.set(server, brandShortForms(server, list.flatMap((t) => [t.title ?? "", t.description ?? ""])))
      prefixWords.set(server, sharedWords([...names].map((n) => nameWords.get(n) ?? [])))
      if ([...names].every((n) => deprecated.has(n))) deprecatedServers.add(server)
    }
  }

  return {
    setServer(server, list) {
      const steps = settingServer(server, list)
      while (!steps.next().done) {
        // (all at once)
      }
    },
    settingServer,
    removeServer,
    search(whole, so: SearchOptions = {}) {
      // (a longer query is ranked on its start: the work is on the main thread, types.ts MAX_QUERY_CHARS)
      const query = whole.length > MAX_QUERY_CHARS ? whole.slice(0, MAX_QUERY_CHARS) : whole
      // (an HTTP call of a REST API is read as the words it stands for: endpoints.ts; chat
      // shorthand too: "can u move …", chat-shorthand.ts; "what's in X?" reads X, contents-question.ts;
      // "who's in X?" lists X's members, members-question.ts)
      // (a product's name opening it, then a verb: "terraform apply the …" is "apply the … in terraform", product-first.ts)
      const words = productLast(chatAsWords(endpointAsWords(query)), namesServer)
      // (a reading of phrases, as the synonym table is: off with it)
      // ("is there a …?" finds one, exists-question.ts)
      const hits = rank(opts.synonyms === false ? words : existsAsFind(doersAsList(membersAsList(contentsAsRead(anyNewAsAny(joinSplitPhrasal(words)))))), so)
      // A tool's name typed (copied from a list, a log or an earlier answer, or guessed): that tool
      // first, as a full match, whatever the ranking made of its words (a deprecated tool's penalty
      // put \`fs__read_file\` below three others on its own name; \`get_me\` is only stop words).
      // The exact exposed name, else an identifier spelling the words of an exposed or own name
      // (\`github_get_me\`, \`getMe\`, \`read-file\`, a client's prefix \`mcp__github__get_me\`).
      const q = query.trim()
      const named = [tools.get(q), ...(IDENTIFIER.test(q) ? spelledAs(q) : []), ...namedInside(q)].filter((t): t is IndexedTool => t !== undefined && (so.server === undefined || t.server === so.server) && (!so.filter || so.filter(t)))
      if (!named.length) return hits
      const first = [...new Set(named)]
      const top = Math.max(hits[0]?.score ?? 0, 0)
      const rest = hits.filter((h) => !first.includes(h.tool))
      return [...first.map((tool) => ({ tool, score: top })), ...rest].slice(0, clampLimit(so.limit))
    },
    get: (name) => tools.get(name),
    get size() {
      return tools.size
    },
  }
}

/**
 * Whether a tool's name or title has the verb `verb` outside the phrase `phrase` (raw words):
 * `merge_pull_request` merges, `create_merge_request` names a merge request and merges nothing.
 */
function verbOutsidePhrase(tool: IndexedTool, verb: string, phrase: readonly string[]): boolean {
  const v = stem(verb)
  const p = phrase.map(stem)
  return [tool.tool, tool.title ?? ""].some((text) => {
    const words = splitWords(text).map(stem)
    return words.some((w, i) => w === v && !p.some((_, k) => p.every((q, j) => words[i - k + j] === q)))
  })
}
