/**
 * @module catalog/search/doubling
 * A double letter typed in the wrong place ("trigerr" → trigger, "comitted" → committed, "adresss"
 * → address): one slip, the doubling moved, though the edit distance counts two. A word of 5 to 8
 * letters is forgiven one typo (bm25.ts `typosAllowed`), so these found nothing and the request
 * lost its verb (QA 243: "trigerr the daily_ingest dag" ranked every dag tool weak).
 */

/** `w` with each run of one letter written once ("trigger" → triger, "committed" → comited). */
export function undoubled(w: string): string {
  return w.replace(/(.)\1+/g, "$1")
}

/**
 * True when `typed` and `known` differ only in where (or whether) letters are doubled: the same
 * letters in the same order once each run is written once, and a doubled letter in either.
 */
export function doublingSlip(typed: string, known: string): boolean {
  if (typed === known) return false
  const a = undoubled(typed)
  return a === undoubled(known) && (a !== typed || a !== known)
}
