/**
 * @module catalog/search/bm25
 * An in-memory inverted index scored with BM25F (per-field weights and length normalisation, one
 * saturation over the weighted sum, so a word repeated across fields does not count twice as much
 * as BM25 summed per field would). Documents are added and removed one by one; collection
 * statistics (document count, field length sums, document frequencies) are exact integers kept up
 * to date, so an index built incrementally scores exactly like one built from scratch. Per-term
 * scores, prefix completions and which fields hold a term are cached until the next change
 * (queries share most terms: "get", "create", "list"…; lists change rarely).
 */
import { typoDistance } from "../../core/index.ts"
import { FIELDS, FIELD_B, FIELD_WEIGHT, type Field } from "./fields.ts"

/** Term-frequency saturation (BM25 k1). */
export const BM25 = { k1: 2 }
/** Cache entries kept before a cache is emptied (queries are client input: bound what they add). */
const MAX_CACHED = 10_000
const NF = FIELDS.length

interface Doc {
  /** Term → frequency per field (index as in FIELDS). */
  tf: Map<string, Float64Array>
  len: Float64Array
}

export class Bm25Index {
  private readonly docs = new Map<string, Doc>()
  private readonly postings = new Map<string, Set<string>>()
  private readonly lenSum = new Float64Array(NF)
  private readonly termCache = new Map<string, ReadonlyMap<string, number>>()
  private readonly prefixCache = new Map<string, readonly string[]>()
  private readonly fieldCache = new Map<string, boolean>()
  private readonly similarCache = new Map<string, readonly string[]>()

  private changed(): void {
    this.termCache.clear()
    this.prefixCache.clear()
    this.fieldCache.clear()
    this.similarCache.clear()
  }

  get size(): number {
    return this.docs.size
  }

  has(id: string): boolean {
    return this.docs.has(id)
  }

  add(id: string, fields: Record<Field, string[]>): void {
    if (this.docs.has(id)) this.remove(id)
    this.changed()
    const tf = new Map<string, Float64Array>()
    const len = new Float64Array(NF)
    FIELDS.forEach((f, i) => {
      const toks = fields[f]
      len[i] = toks.length
      this.lenSum[i]! += toks.length
      for (const t of toks) {
        let row = tf.get(t)
        if (!row) tf.set(t, (row = new Float64Array(NF)))
        row[i]! += 1
      }
    })
    for (const t of tf.keys()) {
      let p = this.postings.get(t)
      if (!p) this.postings.set(t, (p = new Set()))
      p.add(id)
    }
    this.docs.set(id, { tf, len })
  }

  remove(id: string): void {
    const d = this.docs.get(id)
    if (!d) return
    this.changed()
    for (let i = 0; i < NF; i++) this.lenSum[i]! -= d.len[i]!
    for (const t of d.tf.keys()) {
      const p = this.postings.get(t)
      if (!p) continue
      p.delete(id)
      if (p.size === 0) this.postings.delete(t)
    }
    this.docs.delete(id)
  }

  /** Indexed terms longer than `prefix` that start with it: the shortest `max`, then alphabetical. */
  completions(prefix: string, max: number): readonly string[] {
    const key = `${max}:${prefix}`
    let out = this.prefixCache.get(key)
    if (!out) {
      const found: string[] = []
      for (const v of this.postings.keys()) if (v.length > prefix.length && v.startsWith(prefix)) found.push(v)
      found.sort((a, b) => a.length - b.length || (a < b ? -1 : 1))
      out = found.slice(0, max)
      if (this.prefixCache.size >= MAX_CACHED) this.prefixCache.clear()
      this.prefixCache.set(key, out)
    }
    return out
  }

  /**
   * Indexed terms at most `typos` typos away from `term` (a letter left out, added, changed, or two
   * swapped), with the same first letter (rarely the mistyped one): the closest, at most `max`,
   * then alphabetical. For words the index does not know. With `fields` (indexes as in FIELDS),
   * only terms some document has in one of them.
   */
  similar(term: string, typos: number, max: number, fields?: readonly number[]): readonly string[] {
    const key = `${typos}:${max}:${fields?.join(",") ?? ""}:${term}`
    let out = this.similarCache.get(key)
    if (!out) {
      out = closest(term, this.postings.keys(), typos, max, fields && ((v) => this.hasTermIn(v, fields)))
      if (this.similarCache.size >= MAX_CACHED) this.similarCache.clear()
      this.similarCache.set(key, out)
    }
    return out
  }

  hasTerm(t: string): boolean {
    return this.postings.has(t)
  }

  /** Whether document `id` has `term` in one of `fields` (indexes as in FIELDS). */
  docHasTermIn(id: string, term: string, fields: readonly number[]): boolean {
    const row = this.docs.get(id)?.tf.get(term)
    return row !== undefined && fields.some((i) => row[i]! > 0)
  }

  /** Whether some document has `term` in one of `fields` (indexes as in FIELDS). */
  hasTermIn(term: string, fields: readonly number[]): boolean {
    const p = this.postings.get(term)
    if (!p) return false // not cached: unknown words are client input
    const key = `${fields.length === 1 ? fields[0] : fields.join(",")}:${term}`
    const cached = this.fieldCache.get(key)
    if (cached !== undefined) return cached
    let found = false
    for (const id of p) {
      const row = this.docs.get(id)!.tf.get(term)!
      if (fields.some((i) => row[i]! > 0)) {
        found = true
        break
      }
    }
    if (this.fieldCache.size >= MAX_CACHED) this.fieldCache.clear()
    this.fieldCache.set(key, found)
    return found
  }

  /**
   * BM25F score of one term for every document containing it. Computed from exact integer
   * statistics, so equal content gives bit-identical scores.
   */
  scoreTerm(term: string): ReadonlyMap<string, number> {
    const cached = this.termCache.get(term)
    if (cached) return cached
    const out = new Map<string, number>()
    const p = this.postings.get(term)
    const n = this.docs.size
    if (!p || n === 0) return out // not cached: unknown words are client input
    const W = FIELDS.map((f) => FIELD_WEIGHT[f])
    const B = FIELDS.map((f) => FIELD_B[f])
    const df = p.size
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5))
    for (const id of p) {
      const d = this.docs.get(id)!
      const row = d.tf.get(term)!
      let x = 0
      for (let i = 0; i < NF; i++) {
        const f = row[i]!
        if (f === 0) continue
        const avg = this.lenSum[i]! / n || 1
        x += (W[i]! * f) / (1 - B[i]! + (B[i]! * d.len[i]!) / avg)
      }
      out.set(id, (idf * (x * (BM25.k1 + 1))) / (BM25.k1 + x))
    }
    if (this.termCache.size >= MAX_CACHED) this.termCache.clear()
    this.termCache.set(term, out)
    return out
  }
}

/**
 * Typos forgiven in a word of `n` letters as typed: none under 5 (short words are one letter away
 * from too many others: "book" / "broke"), one up to 8, two from 9.
 */
export function typosAllowed(n: number): number {
  return n >= 9 ? 2 : n >= 5 ? 1 : 0
}

/** The words of `vocabulary` nearest `word` within `limit` typos (see `Bm25Index.similar`), of those `accept` takes when given. */
export function closest(word: string, vocabulary: Iterable<string>, limit: number, max: number, accept?: (v: string) => boolean): string[] {
  if (limit <= 0 || word.length < 3) return []
  let best = limit + 1
  let found: string[] = []
  for (const v of vocabulary) {
    if (v === word || v[0] !== word[0] || v.length < 3 || Math.abs(v.length - word.length) > limit) continue
    const d = typoDistance(word, v, Math.min(best, limit))
    if (d > limit || (accept && !accept(v))) continue
    if (d < best) {
      best = d
      found = [v]
    } else if (d === best) found.push(v)
  }
  return found.sort().slice(0, max)
}
