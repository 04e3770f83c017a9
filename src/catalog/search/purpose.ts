/**
 * @module catalog/search/purpose
 * The words after "for" that follow the thing a request asks for ("show me latest errors in sentry
 * for checkout project", "create a page for the retro notes") say whose or what for: they qualify
 * that thing. A tool whose name they alone cover is named after the qualifier, not the thing asked,
 * and covers its name only in part (index.ts).
 */
import { isStop } from "./tokenize.ts"

/** The words (lowercase, as split) after the first "for" that comes after a word of the request's own, up to its end. */
export function purposeWords(words: readonly string[]): Set<string> {
  const at = words.findIndex((w, i) => w === "for" && words.slice(0, i).some((v) => !isStop(v)))
  return new Set(at < 0 ? [] : words.slice(at + 1).filter((w) => !isStop(w)))
}
