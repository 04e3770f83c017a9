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
/** Counting space reused by every `add` (the kept counts are copied out at their size). */
let scratch = new Uint32Array(1024)

/**
 * One indexed document: its distinct terms (the index's own instance of each, shared by every
 * document holding it) and their frequencies per field, one flat array. Kept flat because a
 * 5 000-tool fleet indexes ~165 000 (term, document) pairs: a typed array and a map entry per pair,
 * and a token string per pair, cost ~120 MiB of RSS on the first search; this layout ~1/3 of it.
 */
interface Doc {
  id: string
  /** Removed (its postings drop it lazily, see `Posting`). */
  dead: boolean
  /** Term `r`'s frequency in field `i` (index as in FIELDS) is `tf[r * NF + i]`. */
  terms: string[]
  /**
   * Counts (integers: exact), so scores are bit-identical to per-term float rows. One byte each
   * when every count of the document fits (all but a description repeating a word 256 times): a
   * quarter of the 32-bit layout, ~5 MiB less for 5 000 tools.
   */
  tf: Uint8Array | Uint32Array
  len: Float64Array
}

/**
 * The documents holding a term, in insertion order, and the term's row in each (`Doc.tf`): two
 * parallel arrays, not a map per term (≈ 160 000 map entries for 5 000 tools, qa299). A removed
 * document stays until the dead outnumber the live (`live` counts these), then the arrays are
 * compacted; a document's row of a term is found in its own `terms` (a few dozen).
 */
interface Posting {
  /** The index's instance of the term (documents' `terms` point to it, not to their own token strings). */
  term: string
  docs: Doc[]
  rows: number[]
  live: number
}

export class Bm25Index {
  private readonly docs = new Map<string, Doc>()
  private readonly postings = new Map<string, Posting>()
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
    // rows are numbered in the order terms first appear (fields in FIELDS order), as before
    const rowOf = new Map<string, number>()
    const len = new Float64Array(NF)
    FIELDS.forEach((f, i) => {
      const toks = fields[f]
      len[i] = toks.length
      this.lenSum[i]! += toks.length
      for (const t of toks) if (!rowOf.has(t)) rowOf.set(t, rowOf.size)
    })
    const size = rowOf.size * NF
    if (scratch.length < size) scratch = new Uint32Array(Math.max(size, scratch.length * 2))
    const counts = scratch.subarray(0, size)
    counts.fill(0)
    let max = 0
    FIELDS.forEach((f, i) => {
      for (const t of fields[f]) max = Math.max(max, ++counts[rowOf.get(t)! * NF + i]!)
    })
    const tf = max <= 0xff ? Uint8Array.from(counts) : Uint32Array.from(counts)
    const doc: Doc = { id, dead: false, terms: [], tf, len }
    for (const [t, r] of rowOf) {
      let p = this.postings.get(t)
      if (!p) this.postings.set(t, (p = { term: t, docs: [], rows: [], live: 0 }))
      p.docs.push(doc)
      p.rows.push(r)
      p.live++
      doc.terms.push(p.term)
    }
    this.docs.set(id, doc)
  }

  remove(id: string): void {
    const d = this.docs.get(id)
    if (!d) return
    this.changed()
    for (let i = 0; i < NF; i++) this.lenSum[i]! -= d.len[i]!
    d.dead = true
    for (const t of d.terms) {
      const p = this.postings.get(t)
      if (!p) continue
      p.live--
      if (p.live === 0) this.postings.delete(t)
      else if (p.live * 2 < p.docs.length) compact(p)
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
    const d = this.docs.get(id)
    const r = d ? d.terms.indexOf(term) : -1
    if (r < 0) return false
    const tf = d!.tf
    return fields.some((i) => tf[r * NF + i]! > 0)
  }

  /** Whether some document has `term` in one of `fields` (indexes as in FIELDS). */
  hasTermIn(term: string, fields: readonly number[]): boolean {
    const p = this.postings.get(term)
    if (!p) return false // not cached: unknown words are client input
    const key = `${fields.length === 1 ? fields[0] : fields.join(",")}:${term}`
    const cached = this.fieldCache.get(key)
    if (cached !== undefined) return cached
    let found = false
    for (let k = 0; k < p.docs.length; k++) {
      const d = p.docs[k]!
      if (d.dead) continue
      const r = p.rows[k]!
      const tf = d.tf
      if (fields.some((i) => tf[r * NF + i]! > 0)) {
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
    const df = p.live
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5))
    for (let k = 0; k < p.docs.length; k++) {
      const d = p.docs[k]!
      if (d.dead) continue
      const id = d.id
      const at = p.rows[k]! * NF
      let x = 0
      for (let i = 0; i < NF; i++) {
        const f = d.tf[at + i]!
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

/** `p` without its removed documents, in the same order. */
function compact(p: Posting): void {
  let w = 0
  for (let k = 0; k < p.docs.length; k++) {
    if (p.docs[k]!.dead) continue
    p.docs[w] = p.docs[k]!
    p.rows[w] = p.rows[k]!
    w++
  }
  p.docs.length = w
  p.rows.length = w
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
