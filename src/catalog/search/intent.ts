/**
 * @module catalog/search/intent
 * Whether a request asks to remove something, and whether a tool removes things. A tool that
 * deletes, drops or wipes what it acts on shares most of its words with the tools that create or
 * read the same objects ("delete_observations" / "add_observations"), so plain word matching ranks
 * it as high as them for any request about those objects. Unless the request asks to remove
 * something, such a tool is ranked lower: offering a destructive tool for "remember a fact" is the
 * worse mistake.
 *
 * Also the role of each word of a request: a verb that changes something ("delete", "move",
 * "send"), a verb used loosely or to look something up ("show", "find", "make", "open"), or else
 * what it is about ("file", "team"). A tool that does none of the changes asked for, or touches
 * none of the things named, is only a weak answer (index.ts).
 */
import { asksWhichWereDone } from "./question-history.ts"
import { americanStem, isStop, stem } from "./tokenize.ts"

/** Verbs that remove or wipe what they act on (a request using one of them asks for removal). */
const REMOVAL_WORDS = "delete remove drop destroy erase purge wipe nuke trash clear truncate uninstall unlink revoke reset forget discard prune unset".split(" ")
const REMOVAL = new Set(REMOVAL_WORDS.map(stem))

/**
 * Actions a request asks for that many services offer and a tool fleet often has no tool for
 * ("approve the merge request", "refund the charge", "archive the channel"): when no tool says it
 * does one of them, every hit is weak (index.ts), not a tool that only shares the object.
 */
const OUTSIDE_WORDS = "approve archive restore publish rotate refund renew invalidate cancel schedule translate transcribe charge print transfer play reserve buy".split(" ")

/**
 * Verbs whose action a request asks for, as typed (the imperative: "modified files" and "request
 * changes" ask for no change): a tool doing none of them does not do what was asked.
 */
// (switching a thing on or off is a change too, and its past a state read: "pause the sync dag" vs
// "which dags are paused", QA 243)
const CHANGE = new Set([...REMOVAL_WORDS, ..."create add write save update edit modify change move rename copy send post merge install upload assign pause unpause enable disable suspend".split(" "), ...OUTSIDE_WORDS])
const CHANGE_STEMS = new Set([...CHANGE].map(stem))

/** Words saying when ("today", "next Friday", "this week"): they name no object and ask for no action. */
const TIME = new Set(
  // (a weekday's short name as people type it, "next fri", "thurs 2pm": not "sun", "sat", "mon",
  // which name other things)
  "today yesterday tomorrow tonight now monday tuesday wednesday thursday friday saturday sunday week weekend month morning evening afternoon tue tues wed thu thur thurs fri"
    .split(" ")
    .map(stem),
)

/** True for a word of time (stemmed): a tool matching only such words is not about what was asked ("how windy is it on Saturday"). */
export function isTimeWord(term: string): boolean {
  return TIME.has(term)
}

/**
 * Verbs that look things up or are used loosely ("make the window bigger", "open a tab"), and
 * words of quantity and time: they name no object and ask for no action.
 */
const LOOSE = new Set([
  ...("show list read view display see look find search query lookup fetch retrieve open make set turn keep put tell know give check go take run execute call do try start stop close help record store mark pull grab browse visit " +
    "many much more most less few several multiple last first latest recent old new current again still already")
    .split(" ")
    .map(stem),
  ...TIME,
])

/**
 * Verbs so general that a tool's name having one says nothing of what it does ("take" of
 * `browser_take_screenshot`, "get", "make", "do", "use"): a request sharing only that word does
 * not name the tool ("how long does it take to drive to Boston").
 */
const GENERIC_VERBS = new Set("take make get do use run have give put go".split(" ").map(stem))

/** True for a generic verb (stemmed): it covers a tool's name only together with another word of it. */
export function isGenericVerb(term: string): boolean {
  return GENERIC_VERBS.has(term)
}

export type WordRole = "change" | "other" | "object"

/** What a word of a request (as typed, lowercase, and stemmed) is: an action asked for, what the request is about, or neither. */
export function wordRole(word: string, term: string): WordRole {
  if (CHANGE.has(word)) return "change"
  return CHANGE_STEMS.has(term) || LOOSE.has(term) ? "other" : "object"
}

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

/**
 * Verbs that read and verbs that write, as requests and tool names use them. A request that asks
 * only to read ("get the comments on issue 12") is not answered by a tool whose name says it
 * writes the same thing (`add_issue_comment`), nor a request that asks only to write by a tool
 * that reads; the noun they share made them score alike (index.ts ranks the other family lower).
 * Removal has its own rule (above). "open", "new" and "run" are left out: "open a PR" creates one,
 * "any new errors" reads.
 */
const READ_VERBS = new Set("get read show list view display see fetch retrieve find search query lookup look describe check inspect".split(" ").map(stem))
const WRITE_VERBS = new Set("create add write post send update edit modify set patch put insert upsert append make save".split(" ").map(stem))

export type ActionFamily = "read" | "write"

/**
 * The verb a word of a tool's name says as the one who does it ("reader", "updater", "getter",
 * "writer": netlify's `deploy-services-reader` reads, `deploy-services-updater` writes), else the word.
 */
function agentVerb(w: string, verbs: ReadonlySet<string>): boolean {
  if (verbs.has(w)) return true
  if (!w.endsWith("er") || w.length < 5) return false
  const base = w.slice(0, -2)
  return [base, `${base}e`, base.at(-1) === base.at(-2) ? base.slice(0, -1) : base].some((b) => verbs.has(stem(b)))
}

/**
 * The family of a tool's action: what the verbs of its own name (its words as named, not stemmed)
 * do (`issue_read` → read, `add_issue_comment` → write, `services-reader` → read); undefined for
 * none or both (`API-post-search`). A write verb's plural after a verb that reads is the thing read,
 * not a second action (monday's `get_updates`, `list_posts`, `get_edits`: they read).
 */
export function toolFamily(nameWords: readonly string[]): ActionFamily | undefined {
  const stems = nameWords.map(stem)
  const read = stems.some((w) => agentVerb(w, READ_VERBS))
  const readsThem = (i: number): boolean => /[^s]s$/.test(nameWords[i]!) && stems.slice(0, i).some((w) => READ_VERBS.has(w))
  const write = stems.some((w, i) => agentVerb(w, WRITE_VERBS) && !readsThem(i))
  // both ("API-post-search", "create_or_update_file" reads nothing; "get_or_create_label"): neither
  return read === write ? undefined : read ? "read" : "write"
}

/** Verbs of a tool's name that act on a thing beyond writing it: a position closed, a stock sold. */
const ACTING_VERBS = new Set("close sell liquidate exercise execute".split(" ").map(stem))

/**
 * Whether a tool's own name (its words as named) says it acts and nothing that reads: a change of
 * a request's vocabulary or a trade's verb (`close_position`, `cancel_all_orders`). toolFamily
 * knows only writing verbs; a question asking to read is not answered by such a tool either
 * ("how many shares of tsla do i have" is no `close_position`, whose text says "shares").
 */
export function namedWithAction(nameWords: readonly string[]): boolean {
  const stems = nameWords.map(stem)
  return stems.some((w) => CHANGE_STEMS.has(w) || ACTING_VERBS.has(w)) && !stems.some((w) => agentVerb(w, READ_VERBS))
}

/** True for a verb that reads (a typed word, stemmed). */
export function isReadVerb(term: string): boolean {
  return READ_VERBS.has(term)
}

/** True for a verb that changes what it acts on (a typed word, stemmed): writes, removals, and the actions many services offer (cancel, refund…). */
export function isChangeVerb(term: string): boolean {
  return CHANGE_STEMS.has(term) || WRITE_VERBS.has(term)
}

/** True for a verb that reads or writes (a typed word, stemmed). */
export function isActionVerb(term: string): boolean {
  return READ_VERBS.has(term) || WRITE_VERBS.has(term)
}

/**
 * The one family a request's typed words ask for; undefined when they ask for none or both ("find
 * the contact and add a note"). With the words as typed (`words`, one for each stem of `typed`), a
 * write verb's plural after a verb that reads is the thing read, as in a tool's name ("read the
 * posts in the forum", "show the replies": they read, as `list_posts` does).
 */
export function askedFamily(typed: readonly string[], words?: readonly string[]): ActionFamily | undefined {
  let read = false
  let write = false
  typed.forEach((t, i) => {
    if (READ_VERBS.has(t)) read = true
    if (WRITE_VERBS.has(t) && !(words !== undefined && writeReadAsThing(words, i))) write = true
  })
  return read === write ? undefined : read ? "read" : "write"
}

/** True when `words[i]` is a write verb's plural after a verb that reads: the thing read ("show the posts", "read the replies"). */
export function writeReadAsThing(words: readonly string[], i: number): boolean {
  const w = words[i] ?? ""
  return /[^s]s$/.test(w) && WRITE_VERBS.has(stem(w)) && words.slice(0, i).some((v) => READ_VERBS.has(stem(v)))
}

/**
 * True when a request opens (after "please", "can you") with a verb, as typed, that changes what it
 * acts on and is no read or write verb of its own ("merge cells A1 to C1", "move the item to Done",
 * "deploy my site", "rename the sheet"): it writes, so `get_merged_cells` does not answer it for the
 * noun they share. Removal has its own rule; a plural or other form ("merges", "moved") is no imperative.
 */
export function opensWithChange(words: readonly string[]): boolean {
  const w = words[openingAt(words)]
  return w !== undefined && CHANGE.has(w) && !REMOVAL.has(stem(w)) && !READ_VERBS.has(stem(w))
}

/** Words a request may open with before its verb ("please reply…", "can you comment…", "pls open…", "hey can you…"). */
const POLITE = new Set("please pls plz hey can could would will you kindly just".split(" "))
/** Where a request's own words start, past "please", "can you" (its verb, when it is an imperative). */
export function openingAt(words: readonly string[]): number {
  let at = 0
  while (at < words.length && POLITE.has(words[at]!)) at++
  return at
}

/** Pronouns a verb follows ("what did I finish", "what I told you"): the word after one is no thing named. */
const SUBJECTS = new Set("i we you they he she".split(" "))

/** True when `words[at]` follows a subject pronoun: a verb of the request's own sentence, not a thing it names. */
export function afterSubject(words: readonly string[], at: number): boolean {
  return at > 0 && SUBJECTS.has(words[at - 1]!)
}

/**
 * Words that follow a verb and not a noun: a determiner or pronoun it acts on ("reply the", "tick
 * off my", "message everyone"), or a particle ("reply to", "comment on", "tick off"). Not "of",
 * "for", "from", "in", "with" ("history of the card", "directions from the office"), nor a number
 * ("issue 42").
 */
export const AFTER_VERB: ReadonlySet<string> = new Set("the a an this that these those my our your his her their its me us him them it everyone everybody whoever whomever someone somebody anyone anybody all each every some to on off up".split(" "))

/**
 * The position of a request's own verb when it is one no list here knows ("reply to the thread",
 * "comment on the card", "remind me", "broadcast the sale"): the request opens with it (after
 * "please", "can you") and a word that follows verbs follows it, or a thing and its id (`beforeId`,
 * bare-id.ts: "void invoice in_1234"). Not a plural ("comments on issue
 * 12" names a thing), nor a verb that reads, writes or is used loosely (their own rules apply).
 * -1 when there is none.
 */
export function leadingVerb(words: readonly string[], beforeId = false): number {
  const at = openingAt(words)
  const w = words[at]
  const next = words[at + 1]
  if (w === undefined || next === undefined || !(AFTER_VERB.has(next) || beforeId) || !/^[a-z]{3,}$/.test(w) || isStop(w)) return -1
  if (/[^s]s$/.test(w)) return -1
  const t = stem(w)
  if (CHANGE.has(w) || CHANGE_STEMS.has(t) || LOOSE.has(t) || READ_VERBS.has(t) || WRITE_VERBS.has(t)) return -1
  return at
}

/**
 * The position of the verb a request opens with, as typed, whatever its kind ("tag the card", "merge
 * the branch", "close the issue"): the opening word (after "please", "can you"), a word that follows
 * verbs after it, not a plural ("comments on issue 12" names a thing). -1 when there is none.
 */
export function typedVerb(words: readonly string[]): number {
  const at = openingAt(words)
  const w = words[at]
  if (w === undefined || !AFTER_VERB.has(words[at + 1] ?? "") || !/^[a-z]{3,}$/.test(w) || isStop(w) || /[^s]s$/.test(w)) return -1
  return at
}

/** Units a request counts work or time in ("2 hours", "45m", "3 points"). */
const UNIT = /^(?:h|hrs?|hours?|m|mins?|minutes?|d|days?|w|weeks?|points?|pts)$/

/**
 * True when a request opens with a verb of its own followed by a quantity of work or time ("log 45
 * minutes on PROJ-9", "log 2h against PROJ-12", "record 3 hours"): it records that amount, so it
 * writes, whatever the noun its verb also is (`get_worklog` shares "log" with it, `add_worklog` does it).
 */
export function recordsQuantity(words: readonly string[]): boolean {
  const at = openingAt(words)
  const w = words[at]
  if (w === undefined || !/^[a-z]{3,}$/.test(w) || isStop(w) || LOOSE.has(stem(w)) || READ_VERBS.has(stem(w))) return false
  const n = words[at + 1] ?? ""
  const m = /^(\d+(?:\.\d+)?)([a-z]*)$/.exec(n)
  if (!m) return false
  return m[2] ? UNIT.test(m[2]) : UNIT.test(words[at + 2] ?? "")
}

/** Words a question about what happened opens with ("who edited the page", "did the email bounce", "has it been merged"). */
const ASKS_WHAT_HAPPENED = new Set("who whom whose did was were has had".split(" "))

/**
 * True when a request is a question about what happened or who did it ("who changed the board
 * yesterday", "who edited the release notes page", "did the reset email bounce?"): it reads that
 * history, whatever its verbs write (`update_page` shares "edit" and "page" with it, it answers nothing).
 */
export function asksWhatHappened(words: readonly string[]): boolean {
  return ASKS_WHAT_HAPPENED.has(words[0] ?? "") || asksWhichWereDone(words) || describedByPast(words).length > 0
}

/** Words a question asking what a thing is, or which, or where, or whether some exist, opens with ("whats the db password", "which apps is she in", "any new messages"). */
const ASKS_WHAT = new Set(["what", "whats", "which", "where", "wheres", "any", "anything"])
/** Words after "how" that make it ask what a thing is ("how much crypto do i have", "how many steps", "how are my stocks doing"), not how to do something. */
const HOW_WHAT = new Set(["much", "many", "are", "is", "s", "was", "were"])

/**
 * True when a request is a question asking what, which or where something is, with no verb of its
 * own that changes or writes ("whats the prod db password in vault", "which groups is dana in"):
 * it reads that thing (`write_secret` shares "password" and "vault" with it and answers nothing).
 * Not when a verb it typed writes or changes ("what should i rename it to", "which file did i
 * edit": the latter is `asksWhatHappened`).
 */
export function asksWhatIs(words: readonly string[]): boolean {
  if (ASKS_WHAT.has(words[0] ?? "") || (words[0] === "how" && HOW_WHAT.has(words[1] ?? ""))) return !words.some((w, i) => { const t = americanStem(w) ?? stem(w); return !judgedAt(words, i) && (CHANGE.has(w) || CHANGE_STEMS.has(t) || WRITE_VERBS.has(t)) })
  return asksState(words)
}

/** Words judging whether an action may be done ("safe to remove", "ok to delete", "ready to merge"). */
const JUDGED = new Set(["safe", "ok", "okay", "ready", "fine"])

/**
 * True when `words[i]` is the verb a question judges ("which flags are safe to remove", "is it ok
 * to delete the bucket"): right after "safe/ok/ready … to". The question asks whether it may be
 * done, a state (a flag's lifecycle, "removal readiness"), not for it done: the tool deleting is no
 * answer.
 */
function judgedAt(words: readonly string[], i: number): boolean {
  return i >= 2 && words[i - 1] === "to" && JUDGED.has(words[i - 2]!)
}

/** Words a yes-or-no question about a state opens with ("am i logged in", "is mfa enabled for kim", "are the dags paused"). */
const ASKS_STATE = new Set(["am", "is", "are"])

/**
 * True when a request is a yes-or-no question about the state of something ("am i logged into
 * snyk", "is mfa enabled for kim", "is the bucket public"): it asks for a status, it does no
 * action — `snyk_logout` and `enable_pki` share its participle's verb and answer nothing. Not when
 * it types a verb that changes in its base form ("is it possible to delete the bucket", "is there a
 * way to rename it": that asks for the change).
 */
export function asksState(words: readonly string[]): boolean {
  if (!ASKS_STATE.has(words[0] ?? "")) return false
  return !words.some((w, i) => (CHANGE.has(w) || WRITE_VERBS.has(w)) && !/ed$/.test(w) && !judgedAt(words, i))
}

/**
 * The participles (stemmed) of a yes-or-no question about a state ("am i logged into snyk" → log,
 * "is the laptop locked" → lock): they say the state asked about, not an action asked for. Empty
 * for any other request.
 */
export function stateParticiples(words: readonly string[]): string[] {
  return asksState(words) ? words.filter((w) => /^[a-z]{2,}[^e]ed$/.test(w)).map((w) => americanStem(w) ?? stem(w)) : []
}

/** Prefixes that make a verb its opposite or its redoing ("unsuspend", "reactivate", "deactivate", "disconnect"). */
const UNDOING = /^(?:un|re|de|dis)(?=[a-z]{3})/

/**
 * Whether `word` (of a tool's name) is one of `verbs` (stems) undone or done again: "unsuspend" of
 * "suspend", "deactivate" of "activate", "disable" of "enable" (en- and dis- trade places). A
 * question about a state asks for neither the action nor its opposite: "is the user suspended" is
 * `get_user`, not `unsuspend_user`.
 */
export function undoesVerb(word: string, verbs: ReadonlySet<string>): boolean {
  if (!UNDOING.test(word)) return false
  const rest = word.replace(UNDOING, "")
  if (verbs.has(stem(rest)) || verbs.has(americanStem(rest) ?? "")) return true
  return word.startsWith("dis") && [...verbs].some((v) => v.startsWith("en") && stem(rest) === v.slice(2))
}

/** A verb that changes or writes, by its stem. */
const changes = (t: string): boolean => CHANGE_STEMS.has(t) || WRITE_VERBS.has(t)
/** Words before a past participle that make it a state ("issues were created", "PRs that got merged"). */
const PASSIVE = new Set("is are was were been being get got gets".split(" "))
/** Words that end what a request asks and start what it says ("comment that the fix is merged"). */
const SAYS = new Set("that saying stating telling".split(" "))

/**
 * The verbs (stemmed) of a request whose only verbs that change something are typed in the past and describe the
 * things it asks about: opening it ("merged pull requests last week", "show the deleted files"),
 * after a plural ("invoices created this month", "pull requests assigned to me"), or after
 * "is"/"were"/"got" ("which issues were created today"). The request reads those things, done
 * already, as a question about what happened does (`merge_pull_request` does nothing asked). Not
 * when a verb that changes is also typed as an action ("merge the approved PR"), nor in what the
 * request says ("comment that the fix is merged"), nor after a verb of its own ("stage the
 * modified files"). Empty otherwise.
 */
export function describedByPast(words: readonly string[]): string[] {
  const past: string[] = []
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!
    // (not a relative clause after a plural thing, "the dags that are paused", "issues that were
    // closed": it says which things, as "paused dags" does)
    if (i > 1 && SAYS.has(w) && !(w === "that" && PASSIVE.has(words[i + 1] ?? "") && /^[a-z]{2,}[^s]s$/.test(words[i - 1] ?? ""))) break
    const t = americanStem(w) ?? stem(w)
    if (!changes(t)) continue
    if (!/[^e]ed$/.test(w) || t === w) return []
    const before = words.slice(0, i)
    const prev = words[i - 1] ?? ""
    const describes =
      PASSIVE.has(prev) ||
      // (a question about a thing's state: "is mfa enabled for kim", "are the old keys deleted")
      asksState(words) ||
      before.every((b) => isStop(b) || READ_VERBS.has(stem(b)) || LOOSE.has(stem(b))) ||
      /^[a-z]{2,}[^s]s$/.test(prev) ||
      nounOfThings(before)
    if (!describes) return []
    past.push(t)
  }
  return past
}

/**
 * Whether the words before a past participle end with a noun of a request naming the things it
 * asks about (a plural before: "issues labelled bug assigned to me", "pull requests from the mobile
 * team merged last week"): the participle selects them too. Not after a verb ("stage the
 * modified files" is answered above), a stop word or a number.
 */
function nounOfThings(before: readonly string[]): boolean {
  const prev = before.at(-1)
  if (prev === undefined || isStop(prev) || /\d/.test(prev)) return false
  const verb = (w: string): boolean => { const t = americanStem(w) ?? stem(w); return changes(t) || READ_VERBS.has(t) || LOOSE.has(t) }
  return !verb(prev) && before.some((w) => /^[a-z]{2,}[^s]s$/.test(w)) && before.every((w) => isStop(w) || !verb(w) || /[^e]ed$/.test(w))
}

/** Counts written as words ("three bugs", "a dozen notes"). */
const COUNT_WORDS = new Set("two three four five six seven eight nine ten eleven twelve fifteen twenty thirty fifty hundred dozen".split(" "))

/** True for a count above one, in digits or as a word ("4", "four", "a dozen"'s "dozen"). */
export function isCount(word: string): boolean {
  return /^\d+$/.test(word) ? Number(word) > 1 : COUNT_WORDS.has(word)
}
/** Words that make a count after a verb a bound on what is read ("the last 5 commits", "top 10"), not a batch. */
const BOUND = new Set("last first top next latest recent previous".split(" "))
/** Words between a verb and its count ("delete these 5 emails"). */
const POINTING = new Set("these those the all".split(" "))

/**
 * True when a request asks for many things in one go: "at once", "in bulk", "in one go", "in a
 * batch", or its opening verb (one that reads, writes or removes) is followed by a count above one
 * of a plural thing ("create 20 sticky notes", "open three bugs", "delete these 5 emails"; not
 * "show the last 5 commits": a bound; not "log 2 hours": a quantity).
 * The tools named for batches (bulk, batch, multiple) then answer it.
 */
export function asksBatch(words: readonly string[]): boolean {
  for (let i = 0; i + 1 < words.length; i++) {
    const [a, b, c] = [words[i], words[i + 1], words[i + 2]]
    if ((a === "at" && b === "once") || (a === "in" && (b === "bulk" || b === "batch" || b === "batches" || (b === "one" && c === "go")))) return true
  }
  const verb = stem(words[openingAt(words)] ?? "")
  if (!(CHANGE_STEMS.has(verb) || WRITE_VERBS.has(verb) || READ_VERBS.has(verb) || verb === "open")) return false
  let at = openingAt(words) + 1
  while (POINTING.has(words[at] ?? "")) at++
  const n = words[at]
  if (n === undefined || BOUND.has(words[at - 1] ?? "")) return false
  const count = isCount(n)
  // a plural thing among the next two words ("20 sticky notes", "three bugs"; not "2 hours": a quantity)
  return count && words.slice(at + 1, at + 3).some((w) => /^[a-z]{3,}(?<![siu])s$/.test(w) && !UNIT.test(w))
}
