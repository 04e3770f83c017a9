/**
 * @module catalog/search/query
 * A user's query → concepts, each a set of weighted index terms: a word typed (weight 1) with its
 * synonyms (synonyms.ts) and, when the index does not know the word, the indexed words it is a
 * prefix of ("repo" → "repository"). A document scores the best of each concept's terms, summed
 * over concepts, so a word with many synonyms counts once, not once per synonym. A shell command
 * (shell.ts) stands for its meaning, one concept per requirement ("mkdir" → create, directory).
 *
 * Also what the query asks for (units): each word typed, each command. A tool that matches no
 * term of a unit the tools' vocabulary knows is only a weak match (index.ts).
 */
import type { Bm25Index } from "./bm25.ts"
import { wordRole, type WordRole } from "./intent.ts"
import { extractLiterals, LITERAL_KIND_WORDS } from "./literals.ts"
import { readCommandLine } from "./shell.ts"
import { phraseTerms, synonymsOf } from "./synonyms.ts"
import { isStop, splitWords, stem, tokenize } from "./tokenize.ts"

/** Weights of expansions relative to the word typed. */
export const EXPANSION_WEIGHT = { synonym: 0.75, related: 0.75, prefix: 0.5, literal: 0.3, literalKind: 0.75 }
/** Shortest word expanded by prefix (shorter prefixes match too much). */
const MIN_PREFIX = 3
/** At most this many expansions per word (deterministic: the shortest, then alphabetical). */
const MAX_EXPANSIONS = 4

export type Concept = Map<string, number>

/** One thing the query asks for: a word typed or a command. */
export interface QueryUnit {
  /** As typed ("file", "mkdir"). */
  text: string
  /** Its concepts (indexes into `concepts`): a tool must match a term of each. */
  concepts: number[]
  /**
   * "command": asks for what the command does, always; a word typed: an action asked for
   * ("change"), what the request is about ("object") — each only when the tools' own vocabulary
   * has it (index.ts) — or neither (a loose verb, a word of quantity or time: "other").
   */
  role: "command" | WordRole
}

export interface ExpandedQuery {
  concepts: Concept[]
  units: QueryUnit[]
}

export interface QueryOptions {
  synonyms?: boolean
  prefixes?: boolean
}

export function expandQuery(query: string, index: Bm25Index, opts: QueryOptions = {}): ExpandedQuery {
  const useSyn = opts.synonyms ?? true
  const usePrefix = opts.prefixes ?? true
  const cmd = useSyn ? readCommandLine(query) : { rest: query, units: [], operands: [], extra: [] }
  const { rest, literals } = useSyn ? extractLiterals(cmd.rest) : { rest: query, literals: [] }
  const raw = splitWords(rest)
  const concepts: Concept[] = []
  const units: QueryUnit[] = []
  const typed = new Set<string>()
  for (const w of raw) {
    if (isStop(w)) continue
    const t = stem(w)
    if (typed.has(t)) continue
    typed.add(t)
    const c: Concept = new Map([[t, 1]])
    if (useSyn) for (const [s, rel] of synonymsOf(t) ?? []) if (!c.has(s)) c.set(s, rel === "same" ? EXPANSION_WEIGHT.synonym : EXPANSION_WEIGHT.related)
    if (usePrefix && !index.hasTerm(t) && t.length >= MIN_PREFIX) {
      for (const v of index.completions(t, MAX_EXPANSIONS)) if (!c.has(v)) c.set(v, EXPANSION_WEIGHT.prefix)
    }
    units.push({ text: w, concepts: [concepts.length], role: wordRole(w, t) })
    concepts.push(c)
  }
  for (const u of cmd.units) {
    const ids: number[] = []
    for (const g of u.groups) {
      ids.push(concepts.length)
      concepts.push(new Map(g.map((t) => [t, 1])))
    }
    units.push({ text: u.text, concepts: ids, role: "command" })
  }
  if (useSyn) {
    const seen = new Set(typed)
    const add = (t: string, w: number): void => {
      if (seen.has(t)) return
      seen.add(t)
      concepts.push(new Map([[t, w]]))
    }
    for (const t of cmd.extra) add(t, EXPANSION_WEIGHT.related)
    for (const t of phraseTerms(raw)) add(t, EXPANSION_WEIGHT.related)
    const args = extractLiterals(cmd.operands.join(" "))
    for (const l of [...literals, ...args.literals]) {
      for (const t of tokenize(LITERAL_KIND_WORDS[l.kind])) add(t, EXPANSION_WEIGHT.literalKind)
      for (const t of tokenize(l.text)) add(t, EXPANSION_WEIGHT.literal)
    }
    for (const t of tokenize(args.rest)) add(t, EXPANSION_WEIGHT.literal)
  }
  return { concepts, units }
}
