/**
 * @module catalog/search/tokenize
 * Text → index terms for tool search: identifiers are split into words (snake_case, camelCase,
 * kebab-case, `server__tool`, dotted; an acronym's plural stays one word: "URLs", "getAPIs"), lowercased, stop words dropped, and each word reduced by a
 * light suffix stemmer so "issues", "listing" and "listed" meet "issue" and "list". Deliberately
 * small and rule-based: tool vocabularies are short and technical, where aggressive stemmers
 * (Porter) merge words that tools keep apart.
 */

/**
 * Words that carry no meaning for choosing a tool (articles, pronouns, filler of a request). "get"
 * is one: requests use it loosely ("get me…") and half the tools of a fleet start with it (keeping
 * it measured no better). Synonym targets may still be stop words (show → get adds nothing).
 */
const STOP = new Set(
  (
    "a an the and or but if of to in on at by for from with into onto about as is are was were be been being " +
    "this that these those it its it's i me my we our you your he she they them their there here " +
    "do does did doing can could would should will shall may might must have has had having " +
    "what which who whom whose when where why how all any some each every no not only own same so than too very " +
    "just also up out over under again then once please pls plz hey want need like let lets get gets given using use used via " +
    "everything anything something nothing two three four five six seven eight nine ten " +
    "s t"
  ).split(" "),
)

/**
 * Words left as they are: the suffix rules would damage them (not inflections) or merge them with
 * an unrelated word.
 */
const KEEP = new Set([
  "status", "process", "access", "address", "alias", "canvas", "class", "css", "dns", "https", "news",
  "os", "aws", "gcs", "sms", "kubernetes", "redis", "analysis", "axis", "series", "string", "thing",
  "embed", "speed", "bus", "plus", "minus", "less", "unless", "always", "was", "has", "his", "yes", "its",
])

import { abbreviated } from "./abbreviations.ts"

/** True for a word (lowercase, as typed) that carries no meaning for choosing a tool. */
export function isStop(word: string): boolean {
  return STOP.has(word)
}

/** A request's words as typed, split on spaces, lowercased, trailing punctuation off ("commit a1b2c3", "in_1234"): operands kept whole. */
export function rawTokens(request: string): string[] {
  return request.trim().toLowerCase().split(/\s+/).map((t) => t.replace(/[.,;:!?)]+$/, ""))
}

/** Split an identifier or free text into raw lowercase words (no stemming, no stop words). */
export function splitWords(text: string): string[] {
  const out: string[] = []
  // camelCase and acronym boundaries first ("getHTTPResponse" → "get HTTP Response"), then any
  // run of characters that are not letters or digits of any script (including `_`, `__`, `-`, `.`,
  // `/`) separates words: "прочитать файл" and "Größe" are words, as tool descriptions in other
  // languages have them (not fragments, nor nothing, which made a query of them list every tool).
  // an acronym's plural is one word ("URLs", "APIs", "PRs": not "UR Ls")
  const spaced = expandNegations(text)
    .replace(/([A-Z]{2,})s(?![a-z])/g, "$1S")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
  // (an abbreviation as the words it stands for: "PR" → pull request, abbreviations.ts)
  for (const w of spaced.split(/[^\p{L}\p{M}\p{N}]+/u)) if (w) out.push(...(abbreviated(w) ?? [w]))
  return out
}

/** Contracted negations whose stem is no word of its own ("won't" is not "won", "can't" not "can"). */
const IRREGULAR_NEGATION: Readonly<Record<string, string>> = { won: "will", can: "can", shan: "shall", ain: "is" }

/**
 * A contracted negation as its words: "don't" → "do not", "isn't" → "is not", "won't" → "will
 * not", all stop words, instead of the fragments "don", "isn", "won" a split at the apostrophe
 * left as words ("Mark an issue as won't fix" answered "who won the world cup").
 */
function expandNegations(text: string): string {
  return unapostrophed(text).replace(/\b([A-Za-z]+?)(n)['\u2019]t\b/g, (_m, head: string, n: string) => {
    const whole = `${head}${n}`.toLowerCase()
    return `${IRREGULAR_NEGATION[whole] ?? head} not`
  })
}

/** Auxiliaries a negation is contracted onto ("doesn't", "haven't"). */
const AUXILIARY = new Set("do does did is are was were have has had could would should must need".split(" "))
/** Words an "'s" ("is", "has") is contracted onto ("what's", "where's", "there's"). */
const BEFORE_IS = new Set("what that how where who there here he she".split(" "))

/**
 * A contraction typed without its apostrophe, as people type in a chat box ("whats changed",
 * "i havent staged", "wheres the config", "dont"), with it put back: "havent" is "haven't" (then
 * "have not"), "whats" is "what's" (then "what s"), all stop words, not words a tool must have
 * (every hit of "whats the diff" was weak for "whats"). Only an auxiliary before "nt" ("went" is
 * no "we nt") and a question word or pronoun before "s" ("hows"; not "uses", nor "its", a possessive).
 */
function unapostrophed(text: string): string {
  return text.replace(/\b([A-Za-z]+?)(nt|s)\b/g, (m, head: string, tail: string) => {
    const h = head.toLowerCase()
    if (tail === "s" ? BEFORE_IS.has(h) : AUXILIARY.has(h) || h === "ca" || h === "wo") return `${head}${tail === "s" ? "'s" : "n't"}`
    return m
  })
}

/**
 * Light English suffix stemmer for tool vocabularies: plural -s/-es/-ies, then -ing/-ed, then a
 * final -e, so "create", "creates", "created" and "creating" are one term ("creat") and so are
 * "issue"/"issues", "branch"/"branches", "setting"/"settings"/"set". Index and queries go through
 * the same function, so only consistency matters, not producing dictionary words.
 */
export function stem(word: string): string {
  let w = word
  if (w.length <= 2 || KEEP.has(w) || /^\d+$/.test(w)) return w
  // plurals
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`
  else if (w.endsWith("sses")) w = w.slice(0, -2)
  else if (/(?:ches|shes|xes|zes)$/.test(w)) w = w.slice(0, -2)
  else if (w.endsWith("s") && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1)
  // verb forms
  if (w.endsWith("ing") && w.length > 5) w = undouble(w.slice(0, -3))
  else if (w.endsWith("ied") && w.length > 4) w = `${w.slice(0, -3)}y`
  else if (w.endsWith("ed") && w.length > 4) w = undouble(w.slice(0, -2))
  // final e ("create" and "creat(ed)" meet)
  if (w.endsWith("e") && w.length > 3) w = w.slice(0, -1)
  return w
}

/** "runn" → "run", "committ" → "commit"; keeps ll/ss/zz, which are part of the word ("pull", "fill", "pass"). */
function undouble(w: string): string {
  const n = w.length
  if (n >= 4 && w[n - 1] === w[n - 2] && !"lsz".includes(w[n - 1]!)) return w.slice(0, -1)
  return w
}

/**
 * The stem of a word's American spelling when it is a British one that doubles the l of an
 * unstressed "-el" ("cancelling", "labelled", "modelling", "travelled" → cancel, label, model,
 * travel; not "spelling", "selling", "installed"); undefined otherwise. A query word only: tools
 * keep their own spelling in the index ("cancelled_issues"), the request meets both.
 */
export function americanStem(word: string): string | undefined {
  const t = stem(word)
  return t !== word && /[aeiou][^aeiouy]{1,2}ell$/.test(t) && !/(?:sell|spell|tell|smell|shell|dwell|swell)$/.test(t) ? t.slice(0, -1) : undefined
}

/** Index/query terms of a text: split, lowercased, stop words dropped, stemmed. */
export function tokenize(text: string): string[] {
  const out: string[] = []
  for (const w of splitWords(text)) {
    if (STOP.has(w)) continue
    out.push(stem(w))
  }
  return out
}
