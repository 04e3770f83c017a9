/**
 * @module catalog/search/query
 * A user's query → concepts, each a set of weighted index terms: a word typed (weight 1) with its
 * synonyms (synonyms.ts) and, when the index does not know the word, the indexed words it is a
 * prefix of ("repo" → "repository"). A document scores the best of each concept's terms, summed
 * over concepts, so a word with many synonyms counts once, not once per synonym.
 */
import type { Bm25Index } from "./bm25.ts"
import { extractLiterals, LITERAL_KIND_WORDS } from "./literals.ts"
import { phraseTerms, synonymsOf } from "./synonyms.ts"
import { splitWords, tokenize } from "./tokenize.ts"

/** Weights of expansions relative to the word typed. */
export const EXPANSION_WEIGHT = { synonym: 0.75, related: 0.75, prefix: 0.5, literal: 0.3, literalKind: 0.75 }
/** Shortest word expanded by prefix (shorter prefixes match too much). */
const MIN_PREFIX = 3
/** At most this many expansions per word (deterministic: the shortest, then alphabetical). */
const MAX_EXPANSIONS = 4

export type Concept = Map<string, number>

export interface QueryOptions {
  synonyms?: boolean
  prefixes?: boolean
}

export function expandQuery(query: string, index: Bm25Index, opts: QueryOptions = {}): Concept[] {
  const useSyn = opts.synonyms ?? true
  const usePrefix = opts.prefixes ?? true
  const { rest, literals } = useSyn ? extractLiterals(query) : { rest: query, literals: [] }
  const raw = splitWords(rest)
  const typed: string[] = []
  for (const t of tokenize(rest)) if (!typed.includes(t)) typed.push(t)
  const concepts: Concept[] = []
  for (const t of typed) {
    const c: Concept = new Map([[t, 1]])
    if (useSyn) for (const [s, rel] of synonymsOf(t) ?? []) if (!c.has(s)) c.set(s, rel === "same" ? EXPANSION_WEIGHT.synonym : EXPANSION_WEIGHT.related)
    if (usePrefix && !index.hasTerm(t) && t.length >= MIN_PREFIX) {
      for (const v of index.completions(t, MAX_EXPANSIONS)) if (!c.has(v)) c.set(v, EXPANSION_WEIGHT.prefix)
    }
    concepts.push(c)
  }
  if (useSyn) {
    const seen = new Set(typed)
    const add = (t: string, w: number): void => {
      if (seen.has(t)) return
      seen.add(t)
      concepts.push(new Map([[t, w]]))
    }
    for (const t of phraseTerms(raw)) add(t, EXPANSION_WEIGHT.related)
    for (const l of literals) {
      for (const t of tokenize(LITERAL_KIND_WORDS[l.kind])) add(t, EXPANSION_WEIGHT.literalKind)
      for (const t of tokenize(l.text)) add(t, EXPANSION_WEIGHT.literal)
    }
  }
  return concepts
}
