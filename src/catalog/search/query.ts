/**
 * @module catalog/search/query
 * A user's query → weighted index terms: the query's own words (weight 1), plus, for a word the
 * index does not contain, the indexed words it is a prefix of ("repo" → "repository", "dir" →
 * "directory"), at a lower weight so an exact match still wins.
 */
import type { Bm25Index } from "./bm25.ts"
import { tokenize } from "./tokenize.ts"

/** Weight of a prefix expansion relative to a typed word. */
const PREFIX_WEIGHT = 0.5
/** Shortest word expanded by prefix (shorter prefixes match too much). */
const MIN_PREFIX = 3
/** At most this many expansions per word (deterministic: the shortest, then alphabetical). */
const MAX_EXPANSIONS = 4

export function expandQuery(query: string, index: Bm25Index): Array<[string, number]> {
  const seen = new Set<string>()
  const out: Array<[string, number]> = []
  for (const t of tokenize(query)) {
    if (seen.has(t)) continue
    seen.add(t)
    out.push([t, 1])
  }
  const typed = [...seen]
  for (const t of typed) {
    if (index.hasTerm(t) || t.length < MIN_PREFIX) continue
    const found: string[] = []
    for (const v of index.terms()) if (v.length > t.length && v.startsWith(t)) found.push(v)
    found.sort((a, b) => a.length - b.length || (a < b ? -1 : 1))
    for (const v of found.slice(0, MAX_EXPANSIONS)) {
      if (seen.has(v)) continue
      seen.add(v)
      out.push([v, PREFIX_WEIGHT])
    }
  }
  return out
}
