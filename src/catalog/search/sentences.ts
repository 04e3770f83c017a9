/**
 * @module catalog/search/sentences
 * A request of several sentences whose ask is one of them, the rest context: "We had an outage
 * last night. Most of the discussion happened in Slack. For now, pull the recent messages from
 * #incidents." The context's words ("outage", "discussion", "postmortem") are not what to do: they
 * outscored the ask's own words (query.ts weighs them as a message's text; a server they name
 * still names it). A sentence is context when it states something (it opens with a subject: "We
 * had…", "There are…", "Marketing wants…", "QA can't…") and another sentence asks (a question, or
 * no subject first: "Set up a rule…", "Can you update…", "For now, pull…"). A request whose
 * sentences all ask ("why did the build fail? pull the logs") or all state has no context.
 */
import { splitWords } from "./tokenize.ts"

/** Words a stating sentence opens with: a subject pronoun, a determiner or possessive, "there". */
const SUBJECT = new Set("i we they he she it this that these those the a an our my their his her its there most some half everyone everybody nobody someone somebody".split(" "))
/** Finite verbs a subject named by a noun is followed by ("Marta said", "QA can't", "Marketing wants"): not a verb's imperative. */
const FINITE = new Set("is are was were has have had said says can could will would should keeps kept wants needs asked told thinks".split(" "))

/** A sentence's end: ".", "!" or "?" before whitespace (not a decimal, a file name's dot or a URL's). */
const END = /[.!?]+(?=\s)/g

/** The character ranges of `text`'s sentences, in order. */
function sentences(text: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = []
  let start = 0
  for (const m of text.matchAll(END)) {
    const end = m.index + m[0].length
    if (text.slice(start, end).trim()) out.push({ start, end })
    start = end
  }
  if (text.slice(start).trim()) out.push({ start, end: text.length })
  return out
}

/** True for a sentence that states (opens with its subject), not one that asks or tells to do. */
function states(sentence: string): boolean {
  if (/\?\s*$/.test(sentence)) return false
  const words = splitWords(sentence)
  const [first, second] = [words[0] ?? "", words[1] ?? ""]
  if (SUBJECT.has(first)) return true
  // a noun then its verb: "Marketing wants", "Marta said", "QA can't" (not "Create issues for…")
  return FINITE.has(second)
}

/**
 * The character ranges of `text` that are context for its ask (sentences that state, when another
 * asks); none when it is one sentence, or when no sentence or every sentence asks.
 */
export function contextRanges(text: string): Array<{ start: number; end: number }> {
  const all = sentences(text)
  const stating = all.length < 2 ? [] : all.filter((s) => states(text.slice(s.start, s.end)))
  const context = stating.length === all.length ? [] : stating
  // the later steps of an asking sentence that lists steps: the first is what to do now
  const later = all.filter((s) => !context.includes(s)).flatMap((s) => {
    const at = laterStepAt(text.slice(s.start, s.end))
    return at === undefined ? [] : [{ start: s.start + at, end: s.end }]
  })
  return [...context, ...later].sort((a, b) => a.start - b.start)
}

/**
 * Where a request's later steps start ("first check the pipeline status, then rerun the
 * workflow", "find the slow pages and then open a ticket", "… after that …", "stage src/a.ts then
 * commit it"): a step marker after a first step of two words or more. A bare "then" only when no
 * condition comes before it ("if it failed then rerun it": the condition's consequence is the ask).
 */
const LATER_STEP = /(?:,\s*(?:and\s+)?then|\band\s+then|;\s*(?:and\s+)?then|,?\s*\b(?:after\s+that|afterwards))\b/i
/** A bare "then" between two steps. */
const BARE_THEN = /\s\bthen\b/i
/** Words opening a condition, whose "then" opens its consequence. */
const CONDITION = /\b(?:if|when|whenever|once|unless|until|in\s+case)\b/i

function laterStepAt(sentence: string): number | undefined {
  const m = LATER_STEP.exec(sentence) ?? BARE_THEN.exec(sentence)
  if (!m || (m[0].trim().toLowerCase() === "then" && CONDITION.test(sentence.slice(0, m.index)))) return undefined
  return splitWords(sentence.slice(0, m.index)).length >= 2 ? m.index : undefined
}

/** `text` without its sentences of context (contextRanges): the ask, whose words and verbs say what to do. */
export function withoutContext(text: string): string {
  let out = ""
  let at = 0
  for (const r of contextRanges(text)) {
    out += text.slice(at, r.start)
    at = r.end
  }
  return (out + text.slice(at)).trim()
}
