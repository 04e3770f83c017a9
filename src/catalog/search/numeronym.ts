/**
 * @module catalog/search/numeronym
 * A numeronym: a long word written as its first letter, the count of the letters between, and its
 * last letter ("k8s" for kubernetes, "i18n" for internationalization, "a11y" for accessibility, "o11y"
 * for observability). Typed, it names a server called by that word as the word would ("rollback
 * the web deploy in k8s": the kubernetes server, not CircleCI's `run_rollback_pipeline`).
 */

const SHAPE = /^([a-z])(\d{1,2})([a-z])$/

/** True when `short` (lowercase) is the numeronym of `word` (lowercase letters). */
export function spellsNumeronym(short: string, word: string): boolean {
  const m = SHAPE.exec(short)
  if (!m || !/^[a-z]+$/.test(word)) return false
  return word[0] === m[1] && word.at(-1) === m[3] && word.length - 2 === Number(m[2])
}
