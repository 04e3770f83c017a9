/**
 * @module catalog/search/field-word
 * A word right before "date", "day", "time" or "status", after a possessive or a determiner, names
 * a field of the thing, not an action asked: "what's kevin's hire date" reads an employee's hire
 * date (no `hire_application`), "the due date of the bill", "its ship status". A tool named with
 * that word as its action does it; the request only describes (index.ts `described`). Not the
 * request's opening verb ("schedule time with bob", "book a day off": after nothing or a verb),
 * which asks.
 */
import { isStop } from "./tokenize.ts"

/** Words naming a field that a word before them qualifies. */
const FIELD = new Set(["date", "dates", "day", "time", "status"])

/** Words before a field's qualifier that make the pair a noun phrase ("the", "its", "kevin's"). */
const DETERMINER = new Set("the a an its his her their my our your whose this that s".split(" "))

/** The words (as typed) of `words` that qualify a field ("hire" of "kevin's hire date"). */
export function fieldQualifiers(words: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 1; i + 1 < words.length; i++) {
    const w = words[i]!
    if (!FIELD.has(words[i + 1]!) || !DETERMINER.has(words[i - 1]!) || !/^[a-z]{3,}$/.test(w) || isStop(w) || FIELD.has(w)) continue
    out.push(w)
  }
  return out
}

/**
 * True when `text` says `word` as a verb done ("hired", "hiring" of "Mark an application as
 * hired"): a tool named with it acts, a tool named after a thing ("the orchestrator status") does not.
 */
export function saysAsVerb(word: string, text: string): boolean {
  const base = word.replace(/e$/, "")
  return new RegExp(`\\b(?:${word}d|${base}ed|${base}ing)\\b`, "i").test(text)
}
