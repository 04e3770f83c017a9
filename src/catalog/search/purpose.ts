/**
 * @module catalog/search/purpose
 * The words after "for" that follow the thing a request asks for ("show me latest errors in sentry
 * for checkout project", "create a page for the retro notes") say whose or what for: they qualify
 * that thing. A tool whose name they alone cover is named after the qualifier, not the thing asked,
 * and covers its name only in part (index.ts). So is the word after "per" ("p95 latency per model",
 * "cost per user"): what the figure is grouped by, not the thing asked (QA 298: `model_search`
 * answered "p95 latency per model last 7 days" before the metrics tool).
 */
import { isStop } from "./tokenize.ts"

/** The words (lowercase, as split) after the first "for" that comes after a word of the request's own, up to its end. */
export function purposeWords(words: readonly string[]): Set<string> {
  const after = (i: number): boolean => words.slice(0, i).some((v) => !isStop(v))
  const at = words.findIndex((w, i) => w === "for" && after(i))
  const out = new Set(at < 0 ? [] : words.slice(at + 1).filter((w) => !isStop(w)))
  // "per <thing>": one word, the dimension grouped by
  words.forEach((w, i) => {
    const next = words[i + 1]
    if (w === "per" && after(i) && next !== undefined && !isStop(next) && !/\d/.test(next)) out.add(next)
  })
  return out
}
