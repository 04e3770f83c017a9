/**
 * @module catalog/search/spelling
 * A misspelt word read as the word meant before phrases and senses are (QA 146): they match words
 * as typed ("pull request", "open an issue" = create), so "create a pul request" or "open an isue"
 * lost the phrase or the sense a correct spelling has. A word the tools and the synonym table do not
 * know, whose typo corrections (query.ts: the tools' own vocabulary first) stem like a word of a
 * phrase or a sense, is that word; the nearest when several are. Not a word of them as typed
 * ("wrote" of "who wrote" is no "write").
 */
import { typoDistance } from "../../core/index.ts"
import { senseWords } from "./senses.ts"
import { phraseWords } from "./synonyms.ts"
import { stem } from "./tokenize.ts"

/** Typos between a word as typed and the phrase or sense word its correction stems like ("isue" / "issues"). */
const MAX_TYPOS = 2

let VOCABULARY: { byStem: Map<string, string[]>; words: Set<string> } | undefined

/** Phrase and sense words, by stem. */
function vocabulary(): { byStem: Map<string, string[]>; words: Set<string> } {
  if (VOCABULARY) return VOCABULARY
  const words = new Set([...phraseWords(), ...senseWords()])
  const byStem = new Map<string, string[]>()
  for (const w of words) byStem.set(stem(w), [...(byStem.get(stem(w)) ?? []), w])
  return (VOCABULARY = { byStem, words })
}

/**
 * The words of `raw` (lowercase, as typed) that are misspelt phrase or sense words, with that word
 * ("pul" → pull, "isue" → issue). `corrections` gives a word's typo corrections (stems; none for a
 * word the tools or the synonym table know).
 */
export function respelt(raw: readonly string[], corrections: (w: string) => readonly string[]): Map<string, string> {
  const out = new Map<string, string>()
  const { byStem, words } = vocabulary()
  for (const w of new Set(raw)) {
    // (a word of them as typed is no typo: "wrote" of "who wrote" is not "write")
    if (words.has(w)) continue
    const near = corrections(w).flatMap((s) => byStem.get(s) ?? [])
    const [best] = near.map((v) => [v, typoDistance(w, v, MAX_TYPOS)] as const).filter(([, d]) => d <= MAX_TYPOS).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
    if (best) out.set(w, best[0])
  }
  return out
}

/** `text` with each misspelt word of `fixes` respelt (the words of `respelt`). */
export function respell(text: string, fixes: ReadonlyMap<string, string>): string {
  if (!fixes.size) return text
  return text.replace(/[\p{L}\p{N}]+/gu, (m) => fixes.get(m.toLowerCase()) ?? m)
}
