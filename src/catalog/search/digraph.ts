/**
 * @module catalog/search/digraph
 * A short word typed with one sound's spelling cut to its last letter: "ck" as "k" ("clik" →
 * click, "chek" → check, "blok" → block, "trak" → track). A word of three or four letters is too
 * short for any letter left out (query.ts `shortTypos`: "book" / "brook"); the "c" of a "ck" is
 * the letter a busy typist drops, and a "k" after a vowel with no "c" before it is rare in English,
 * so putting it back reaches the word meant and little else.
 */

/** The spellings of `w` (lowercase) with the "c" of a "ck" put back before a "k" that follows a vowel ("clik" → "click"). */
export function digraphTypos(w: string): string[] {
  const out: string[] = []
  for (let i = 1; i < w.length; i++) if (w[i] === "k" && /[aeiou]/.test(w[i - 1]!)) out.push(`${w.slice(0, i)}c${w.slice(i)}`)
  return out
}
