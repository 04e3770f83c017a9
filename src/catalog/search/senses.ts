/**
 * @module catalog/search/senses
 * What a word means where it stands, when the words around it say so (general English, no tool
 * names): "cancel the standup" deletes an event (cancel alone is no delete: "cancel my
 * subscription"); "cancel the ups label", "cancel the envelope" voids a thing issued for value or
 * signature; "push my appointment to Friday" moves it in time, it updates it (no git push);
 * "a 30 min sync" is a meeting (no sync of data); "star the email", "tag the message" change its
 * labels (not "star the repo": LABELLED); "break the task into subtasks" splits it, making the parts; "book a table for four at
 * 7pm" reserves one (a party size or a time: no "book" of a library); "raise the priority", "bump
 * the version", "lower the volume to 20" change a value, they update it ("raise an issue" makes
 * one); "open localhost:3000/login" goes there, it navigates (web-address.ts); "put my email in the
 * login form" fills an input (fills-input.ts). Each such word stands for
 * its meaning in that request (query.ts: the meaning's words at full weight, with their synonyms,
 * the word itself kept, its other senses' synonyms dropped).
 */
import { isCount, isReadVerb, isTimeWord, openingAt } from "./intent.ts"
import { negatedChange } from "./negated-state.ts"
import { fillsInput, PLACES } from "./fills-input.ts"
import { extractLiterals } from "./literals.ts"
import { verbObject } from "./own-verb.ts"
import { OPENS, opensAddress } from "./web-address.ts"
import { bareTracked, TRACKED } from "./tracked-thing.ts"
import { openAsState } from "./open-state.ts"
import { booksEvent, RESERVE_VERBS } from "./books-event.ts"
import { asksTimeConversion } from "./time-conversion.ts"
import { MEASURES, measuredOverSpan } from "./metric-range.ts"
import { americanStem, isStop, splitWords, stem } from "./tokenize.ts"
import { contactBack } from "./call-back.ts"
import { grantsRole, ROLES } from "./grants-role.ts"
import { ownQueueAt, QUEUED_WORK } from "./my-queue.ts"
import { debtSide } from "./debt-side.ts"
import { declineAt } from "./declined.ts"
import { recordNouns } from "./record-noun.ts"
import { totalOverSpan } from "./how-much.ts"

/** Things that happen at a time with people: an event in a calendar. */
const EVENT_NOUNS = new Set("meeting standup sync call appointment interview event huddle".split(" "))
/** Written as symbols or several words: "1:1", "one-on-one", "stand-up". */
const EVENT_SHAPES = /(?:^|[\s(])(?:1:1|one[- ]on[- ]one|stand[- ]up)(?=$|[\s.,;:!?)])/i
/** Things issued for value or for signature that are voided, not deleted, when called off: "cancel the ups label", "cancel the envelope", "cancel invoice 1042". */
const VOIDABLE = new Set("label labels envelope envelopes invoice invoices cheque cheques waybill waybills postage".split(" "))
/** Verbs that move an event in time when a "to <day or date>" follows ("push the meeting to Friday"; "push the retro to Friday" stays a push: no event named). */
const MOVE_VERBS = new Set("push move bump shift slide pull".split(" "))
/** Verbs that only move a thing in time. */
const RESCHEDULE_VERBS = new Set("postpone reschedule delay defer".split(" "))
/** Verbs that change what a message or item is labelled with ("star the email", "flag this message"). */
const LABEL_VERBS = new Set("star unstar flag unflag tag untag label unlabel".split(" "))
/** Verbs that cut a thing into parts ("break the launch task into subtasks"). */
const SPLIT_VERBS = new Set("break split divide chop decompose".split(" "))
/** Verbs that move a value up or down ("raise the priority", "lower the volume", "bump the version"). */
const LEVEL_VERBS = new Set("raise lower increase decrease bump reduce boost up".split(" "))
/**
 * Light verbs that, before "a"/"an" or a count (a pronoun may come first: "drop me a line") and a
 * written thing, write it: "leave a comment", "drop a note on the ticket", "put a comment on the
 * PR", "shoot me a message" (not "drop the table", "leave the channel", "drop a column": no
 * written thing made).
 */
const LIGHT_VERBS = new Set("leave drop put jot shoot give".split(" "))
/** Things written to someone: a light verb before one sends it ("drop me a line", "shoot her an email"). */
const SENT = new Set("line message email mail text reply dm".split(" "))
/** Things written on something: a light verb before one adds it ("leave a comment on the entry"). */
const WRITTEN = new Set("comment note review feedback memo remark annotation reaction".split(" "))
/** Verbs that make a tracked thing when "a"/"an" or a count and the thing follow ("open a bug", "raise an MR", "file a ticket", "submit a PR"). */
const OPENS_TRACKED = new Set(["open", "raise", "file", "submit"])
/** Verbs that write a thing out to the asker; before "as" and a file format, they export it. */
const SAVE_AS = new Set("download save get grab pull fetch".split(" "))
/** File formats a thing is exported as. */
const FORMATS = new Set("pdf csv tsv json jsonl ipynb html xlsx xls docx md markdown yaml yml zip png svg parquet txt".split(" "))

/** True when "as", an optional article, and a file format follow the verb at `at` ("download it as a csv"). */
function asFormat(words: readonly string[], at: number): boolean {
  const as = words.indexOf("as", at + 2)
  if (as < 0) return false
  const next = words[as + 1] === "a" || words[as + 1] === "an" ? words[as + 2] : words[as + 1]
  return next !== undefined && FORMATS.has(next)
}
/** Verbs that send a message to the person after them ("text my manager", "dm him"). */
const MESSAGE_VERBS = new Set("text sms dm".split(" "))
/** Words after "order" opening a request that make it buying a thing ("order a cake", "order some paper"; "order more toner" is read as before: a to-do app's examples say "buy"). */
const BOUGHT_AFTER = new Set("a an some new".split(" "))
/**
 * Meanings that stand instead of the word typed: "order" of "order a new chair" is buying, and the
 * store's order records that word names are not what was asked (query.ts drops the word itself).
 */
const INSTEAD_OF_WORD = new Set(["buy"])

/** True when a settled sense replaces the word typed, its noun included ("order a chair": buy, no order). */
export function replacesWord(meant: readonly string[]): boolean {
  return meant[0] !== undefined && INSTEAD_OF_WORD.has(meant[0])
}
/** Possessives before a person a message goes to ("text my manager"). */
const POSSESSIVE = new Set("my our his her their your".split(" "))
/** Steps of a pipeline a thing is moved along ("the onsite stage", "the final round"). */
const STAGES = new Set("stage stages round step phase".split(" "))
/** True when "to" and, within three words, a pipeline's step follow the verb at `at` ("move X to the onsite stage"). */
function toStage(words: readonly string[], at: number): boolean {
  const to = words.indexOf("to", at + 1)
  return to > at && words.slice(to + 1, to + 4).some((w) => STAGES.has(w))
}
/** Verbs that, with "back", put an earlier version live again ("roll back", "roll the release back"). */
const ROLL_VERBS = new Set(["roll", "rolled", "rolling"])
/** "to" and a version named: "to v6", "to version 3", "to revision 12", "to v1.2.0". */
const TO_VERSION = /\bto\s+(?:v\d+(?:\.\d+)*|(?:version|revision|rev)\s+#?\d+)\b/i
/** Verbs that make a thing when "a"/"an"/"new" follows ("build a segment"). */
const MAKE_VERBS = new Set("build assemble craft".split(" "))
/** Things an offer is run with, that are switched off rather than stopped ("kill the discount code"). */
const SWITCHED_OFF = new Set("code codes discount discounts coupon coupons promo promos promotion promotions offer offers flag flags feature features sale".split(" "))
/** True when, after the verb at `at`, a thing of its own and then "to" and a value follow ("switch pmax to target roas"; not "switch to main", "switch it on"). */
function switchesTo(words: readonly string[], at: number): boolean {
  const to = words.indexOf("to", at + 1)
  return to > at + 1 && to <= at + 4 && words[to + 1] !== undefined
}
/** Pronouns a light verb may take before what it writes ("drop me a line"). */
const RECIPIENT = new Set("me us him her them".split(" "))
/** Determiners before a thing that exists already ("the priority", "its limit"; not "a", "an": "raise an issue" makes one). */
const DEFINITE = new Set("the this that its my our your their his her".split(" "))
/**
 * Nouns of a value a thing has, that goes up or down (general English): "raise the priority of the
 * ticket", "lower the volume", "bump the version", "increase the memory limit".
 */
const LEVELS = new Set(
  "priority volume version limit quota price cost budget rate level size severity threshold timeout score count amount capacity speed temperature brightness contrast font zoom salary bid estimate points weight memory cpu replicas retention interval frequency max min maximum minimum discount tax"
    .split(" "),
)
/** "to" or "by" and a number after the thing changed ("increase the limit to 100", "cut the price by 10%"). */
const TO_VALUE = /\b(?:to|by)\s+\$?\d/i

/**
 * Things a label, a flag or a star marks (messages and the items of trackers, boards and wikis):
 * "star the email", "tag the onboarding page". A label verb before another thing named does its own
 * action ("star the repo", "star the segment", "tag the release v1.2.0": a tool named with the verb
 * does it, or none does).
 */
const LABELLED = new Set("email mail message thread conversation chat card task issue ticket bug note page doc document file item pr post comment contact lead deal photo image".split(" "))

/** True when a label verb at `at` acts on a thing labels mark, or on one not named ("star it", "tag these"): its words up to a preposition. */
function marksLabelled(words: readonly string[], at: number): boolean {
  const thing = verbObject(words, at)
  return thing.every((w) => ACTED_ON.has(w)) || thing.some((w) => LABELLED.has(w) || (PLURAL_OF.test(w) && LABELLED.has(w.slice(0, -1))))
}

/** Words a label verb acts on right after it (a determiner or pronoun: "star the", "tag it"). */
const ACTED_ON = new Set("the a an this that these those my our your his her their its it them all every each".split(" "))
/** A duration after "a"/"an" ("a 30 min", "a 45-minute", "an hour-long", "a half-hour"), then the noun it measures. */
const DURATION_NOUN = /\b(?:a|an)\s+(?:\d+(?:\.\d+)?\s*-?\s*(?:m|mins?|minutes?|h|hrs?|hours?)|(?:half[- ])?hour)(?:[- ]long)?\s+([a-z]+)/gi

/** The meanings, each as words, of the words (lowercase, as typed) whose sense the request settles. */
export type Senses = Map<string, string[]>

/** "to", "until", "till" and what follows, past "next", "the"… ("to next Friday", "until 2025-03-14", "to 3pm"). */
const TO_WHEN = /\b(?:to|until|till)\s+(?:(?:next|this|the|following)\s+)*([^\s.,;:!?)]+(?:\s?[ap]\.?m\.?)?)/gi

/** True when the request moves something to a day or a date: "to Friday", "to next week", "until 2025-03-14", "to 3pm". */
function movesToWhen(text: string): boolean {
  for (const m of text.matchAll(TO_WHEN)) {
    const w = m[1]!
    if (isTimeWord(stem(w.toLowerCase())) || extractLiterals(w).literals.some((l) => l.kind === "when" && l.text.length === w.length)) return true
  }
  return false
}

/** True when "for" and a count of people follow a word past `from` ("for four", "for 2", "for a party of 6"). */
function forParty(words: readonly string[], from: number): boolean {
  for (let i = from; i + 1 < words.length; i++) {
    if (words[i] !== "for") continue
    const n = words[i + 1] === "a" && words[i + 2] === "party" && words[i + 3] === "of" ? words[i + 4] : words[i + 1]
    if (n !== undefined && isCount(n)) return true
  }
  return false
}

/** True when a request says when: a word of time ("tonight", "Friday") or a date or time of day ("at 7pm", "2025-03-14"). */
function saysWhen(text: string, words: readonly string[]): boolean {
  return words.some((w) => isTimeWord(stem(w))) || extractLiterals(text).literals.some((l) => l.kind === "when")
}

/**
 * What a light verb or a verb opening a tracked thing (open, raise, file, submit) opening a request
 * means when "a"/"an" or a count and the thing it makes follow ("leave a comment" adds one, "drop me
 * a line" sends one, "open 3 tickets", "raise an MR" create them; up to two words before the thing: "open a new bug", "leave a short note"); undefined else.
 */
function madeBy(words: readonly string[], at: number): string[] | undefined {
  const verb = words[at]!
  let i = at + 1
  if (LIGHT_VERBS.has(verb) && RECIPIENT.has(words[i] ?? "")) i++
  const n = words[i] ?? ""
  if (OPENS_TRACKED.has(verb) && bareTracked(words, i)) return ["create"]
  if (n !== "a" && n !== "an" && !isCount(n)) return undefined
  const thing = words.slice(i + 1, i + 4)
  if (OPENS_TRACKED.has(verb)) return thing.some((w, j) => TRACKED.has(w) || (w === "request" && (thing[j - 1] === "pull" || thing[j - 1] === "merge"))) ? ["create"] : undefined
  if (!LIGHT_VERBS.has(verb)) return undefined
  if (thing.some((w) => SENT.has(w))) return ["send", "create"]
  return thing.some((w) => WRITTEN.has(w) || (PLURAL_OF.test(w) && WRITTEN.has(w.slice(0, -1)))) ? ["create", "add"] : undefined
}
/** Verbs that switch a thing on: before a new thing added to a system they add it ("enable a new kv engine"). */
const SWITCH_ON = new Set("enable activate".split(" "))
/** Parts a system gains when one is switched on: it is made, mounted or installed. */
const ADDED_PARTS = new Set("engine engines plugin plugins feature features integration integrations extension extensions addon addons module modules backend backends".split(" "))

/**
 * What a verb switching a thing on means when "a"/"an"/"new" and a part a system gains follow
 * within four words ("enable a new kv v2 engine", "activate an integration for slack"): the part is
 * created, mounted, installed (not "enable the feature flag", "enable mfa for kim": a thing there
 * already, switched on); undefined else.
 */
function addsPart(words: readonly string[], at: number): string[] | undefined {
  if (!SWITCH_ON.has(words[at]!)) return undefined
  const n = words[at + 1] ?? ""
  if (n !== "a" && n !== "an" && n !== "new") return undefined
  return words.slice(at + 2, at + 6).some((w) => ADDED_PARTS.has(w)) ? ["create", "mount", "install"] : undefined
}
/** A plural ending ("comments", "notes"). */
const PLURAL_OF = /^[a-z]{3,}s$/

/** Every word whose sense, or that settles one, a request may type (a misspelt one is corrected to them first, spelling.ts). */
export function senseWords(): string[] {
  const sets = [MEASURES, VOIDABLE, SWITCH_ON, ADDED_PARTS, EVENT_NOUNS, MOVE_VERBS, RESCHEDULE_VERBS, LABEL_VERBS, SPLIT_VERBS, RESERVE_VERBS, LEVEL_VERBS, LIGHT_VERBS, SENT, WRITTEN, TRACKED, LEVELS, OPENS, PLACES, MAKE_VERBS, SWITCHED_OFF]
  return [...new Set([...sets.flatMap((s) => [...s]), ...OPENS_TRACKED, ...ROLES, "make", "queue", "cancel", "into", "pull", "merge", "request", "party", "switch", "kill"])]
}

/** The senses a request settles (see the module's doc); empty for most. */
export function sensesOf(text: string): Senses {
  const out: Senses = new Map()
  const words = splitWords(text)
  const at = openingAt(words)
  const verb = words[at]
  let eventContext = false
  // "a 30 min sync", "an hour-long call": what a duration measures is an event
  for (const m of text.matchAll(DURATION_NOUN)) {
    const noun = m[1]!.toLowerCase()
    if (!isTimeWord(stem(noun))) {
      out.set(noun, ["event", "meeting"])
      eventContext = true
    }
  }
  const eventNamed = words.some((w) => EVENT_NOUNS.has(w)) || EVENT_SHAPES.test(text)
  // "cancel the standup": an event called off is deleted
  if (words.includes("cancel") && eventNamed) {
    out.set("cancel", ["delete"])
    eventContext = true
  } else if (words.includes("cancel") && words.some((w) => VOIDABLE.has(w))) {
    // "cancel the ups label before pickup", "cancel the envelope": a thing issued for value or
    // signature, called off, is voided (the tool saying "void"; "cancel" is kept)
    out.set("cancel", ["void"])
  }
  if (verb !== undefined) {
    const next = words[at + 1]
    // "push my appointment to Friday", "postpone the review": moved in time, updated
    if (RESCHEDULE_VERBS.has(verb) || (MOVE_VERBS.has(verb) && eventNamed && movesToWhen(text))) {
      out.set(verb, ["update", "reschedule"])
      eventContext ||= eventNamed
    }
    // "star the email", "tag it with 'billing'": its labels change
    if (LABEL_VERBS.has(verb) && next !== undefined && ACTED_ON.has(next) && marksLabelled(words, at)) out.set(verb, ["label", "modify"])
    // "book a table for four at 7pm", "reserve a room for two tonight": reserved (not "book a
    // meeting at 3pm": an event made)
    // "book 30 min with dana", "book a meeting with sam": time with people, an event made (books-event.ts)
    if (booksEvent(text, words, at, (w) => EVENT_NOUNS.has(w), EVENT_SHAPES.test(text))) {
      out.set(verb, ["create", "schedule"])
      eventContext = true
    } else if (RESERVE_VERBS.has(verb) && next !== undefined && !EVENT_NOUNS.has(words[at + 2] ?? "") && (forParty(words, at + 1) || saysWhen(text, words))) out.set(verb, ["reserve", "reservation"])
    // "raise the priority of the ticket", "lower the volume to 20", "bump the version": a value
    // changed, the thing updated ("raise an issue" keeps its sense); "bump the
    // 1:1" puts a meeting off
    if (LEVEL_VERBS.has(verb) && next !== undefined && DEFINITE.has(next) && (words.slice(at + 2, at + 4).some((w) => LEVELS.has(w)) || TO_VALUE.test(text))) out.set(verb, ["update"])
    else if (verb === "bump" && eventNamed) {
      out.set(verb, ["update", "reschedule"])
      eventContext = true
    }
    // "text my manager that i'm running late", "dm her the link": a message sent to a person (no
    // text of a prompt or a text-to-image model, QA 298)
    if (MESSAGE_VERBS.has(verb) && (RECIPIENT.has(next ?? "") || POSSESSIVE.has(next ?? ""))) out.set(verb, ["send", "message"])
    // "order a pizza for the office", "order some printer paper": a thing bought, no store's
    // order record (QA 307); "order 1042", "order #1042 status" are the record
    // ("order new chairs", "order 20 new laptops": new things bought, a count before them)
    if (verb === "order" && (BOUGHT_AFTER.has(next ?? "") || (/^\d+$/.test(next ?? "") && words[at + 2] === "new"))) out.set(verb, ["buy"])
    // "move candidate 45521 to the onsite stage", "push the deal to the next stage": a thing moved
    // along a pipeline's stages is advanced (QA 298); the stage is a noun there (no git "stage" =
    // add, which made `add_note_to_candidate` first)
    if (MOVE_VERBS.has(verb) && toStage(words, at)) {
      out.set(verb, ["move", "advance"])
      for (const w of words.slice(at + 1)) if (STAGES.has(w)) out.set(w, [w])
    }
    // "switch pmax to target roas 400%", "switch the plan to annual": a thing set to another value,
    // updated ("switch to main" is a checkout: no thing between; "switch it on" a phrase)
    if (verb === "switch" && switchesTo(words, at)) out.set(verb, ["update", "change", "set"])
    // "build a segment of repeat buyers", "build a new landing page": a thing made, as "make a" is
    // (no CI build: "build the app", "build main" keep their word)
    if (MAKE_VERBS.has(verb) && (next === "a" || next === "an" || next === "new")) out.set(verb, ["create", verb])
    // "kill the SUMMER10 discount code", "kill the promo": a code or an offer switched off, deactivated
    // (a process, a session or a job killed keeps its synonyms: stop, terminate, revoke)
    if (verb === "kill" && verbObject(words, at).some((w) => SWITCHED_OFF.has(w))) out.set(verb, ["deactivate", "disable", "end"])
    // "send a reminder to the signers", "send the signers a reminder": what waits on them sent
    // again, a resend (no new thing sent)
    if (verb === "send" && words.slice(at + 1, at + 5).some((w) => w === "reminder" || w === "reminders" || w === "nudge")) out.set(verb, ["resend", "remind"])
    // "make uid 9sd8f7 an admin", "make dana the owner": a role given, set (grants-role.ts)
    if (grantsRole(words, at)) out.set(verb, ["grant", "set", "role"])
    // "leave a comment on the entry", "drop me a line", "open a bug", "open 3 tickets": made
    const made = madeBy(words, at)
    if (made) out.set(verb, made)
    // "enable a new kv v2 engine", "activate an integration": a part added, made (not "enable the flag")
    const added = addsPart(words, at)
    if (added) out.set(verb, added)
    // "break the launch task into subtasks": split into parts, made
    if (SPLIT_VERBS.has(verb) && words.includes("into", at + 2)) out.set(verb, ["split", "create"])
    // "open pull requests with the label …", "open issues assigned to me": their state, a listing (open-state.ts)
    if (openAsState(words, at)) out.set(verb, ["list", "open"])
    // "open localhost:3000/login", "load https://example.com": a browser goes there
    if (OPENS.has(verb) && opensAddress(text, verb)) out.set(verb, ["navigate"])
    // "put my email in the login form", "paste the code into the search box": the input is filled
    // (not a thing made: "drop a comment in the review box" writes one)
    if (!made && fillsInput(words, at)) out.set(verb, ["fill", "type"])
  }
  // "if its 3pm in berlin what time is it in new york": a time of day converted (time-conversion.ts)
  if (words.includes("time") && !out.has("time") && asksTimeConversion(text)) out.set("time", ["convert", "time"])
  // "cpu usage of checkout service last hour": a measure over a span is a range query of metrics (metric-range.ts)
  const measure = measuredOverSpan(text, words)
  if (measure !== undefined && !out.has(measure)) out.set(measure, ["query", "range"])
  // "how much did gpt-4o cost us this week": a total over a span, an aggregate (how-much.ts)
  const spent = totalOverSpan(text, words)
  if (spent !== undefined && !out.has(spent)) out.set(spent, [spent, "aggregate", "total"])
  // "roll back the prompt to v6", "roll the model back to version 3": an earlier version named
  // put live again, an update; "back" asks no history (QA 298). (Not "roll back the deployment to
  // the previous revision": no version named, a rollout's undo answers it.)
  const roll = words.findIndex((w, i) => ROLL_VERBS.has(w) && (words[i + 1] === "back" || words.slice(i + 2, i + 6).includes("back")))
  if (roll >= 0 && !out.has(words[roll]!) && TO_VERSION.test(text)) {
    out.set(words[roll]!, ["update", "revert", "restore", "version"])
    if (!out.has("back")) out.set("back", [])
  }
  // "what files did i change but not commit yet": a change not done is the things' state (negated-state.ts)
  const undone = negatedChange(words, (w) => !isStop(w) && !isReadVerb(americanStem(w) ?? stem(w)))
  if (undone !== undefined && !out.has(undone)) out.set(undone, ["status", undone])
  // "call the customer back", "get back to the client": a contact verb's particle, no past thing
  // (its "previous"/"history" made a channel's history a strong answer to a phone call)
  const back = words.findIndex((_, i) => contactBack(words, i))
  if (back >= 0 && !out.has("back")) out.set("back", [])
  // "whats in my queue", "our support queue": the work assigned to me, tickets, issues, tasks (my-queue.ts)
  const queue = ownQueueAt(words)
  if (queue >= 0 && !out.has(words[queue]!)) out.set(words[queue]!, QUEUED_WORK)
  // "how much do we owe acme" is payable, "who owes us" receivable (debt-side.ts)
  const debt = debtSide(words)
  if (debt !== undefined && !out.has(debt.word)) out.set(debt.word, debt.side === "payable" ? ["payable", "bills"] : ["receivable", "invoice", "unpaid"])
  // "download the notebook as ipynb", "save the report as a pdf": a thing written out in a format is exported
  if (verb !== undefined && SAVE_AS.has(verb) && !out.has(verb) && asFormat(words, at)) out.set(verb, ["export", verb])
  // "why did the eval drop", "accuracy dropped": a figure went down, compared over time or runs; nothing deleted (declined.ts)
  const declined = declineAt(words)
  if (declined !== undefined && !out.has(declined)) out.set(declined, ["compare", "scores", "metrics", "history"])
  // "what hyperparams did run 7hq2m1xz use", "the last run": the record of a run, no execute (record-noun.ts)
  for (const w of recordNouns(words)) if (!out.has(w)) out.set(w, [w])
  // in such a request a meeting word is an event ("push the sync to Friday", "cancel the call")
  if (eventContext) for (const w of words) if (EVENT_NOUNS.has(w) && !out.has(w)) out.set(w, ["event", "meeting"])
  // an event named only by its shape ("push my 1:1 to Friday", "cancel the one-on-one") has no
  // word of its own to be one: the verb acting on it says it
  if (eventContext && !words.some((w) => EVENT_NOUNS.has(w)) && EVENT_SHAPES.test(text)) for (const [w, m] of out) if (!m.includes("event")) out.set(w, [...m, "event"])
  return out
}
