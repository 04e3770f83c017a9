/**
 * @module catalog/search/bm25
 * An in-memory inverted index scored with BM25F (per-field weights and length normalisation, one
 * saturation over the weighted sum, so a word repeated across fields does not count twice as much
 * as BM25 summed per field would). Documents are added and removed one by one; collection
 * statistics (document count, field length sums, document frequencies) are exact integers kept up
 * to date, so an index built incrementally scores exactly like one built from scratch.
 */
import { FIELDS, FIELD_B, FIELD_WEIGHT, type Field } from "./fields.ts"

const K1 = 1.2
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

  get size(): number {
    return this.docs.size
  }

  has(id: string): boolean {
    return this.docs.has(id)
  }

  add(id: string, fields: Record<Field, string[]>): void {
    if (this.docs.has(id)) this.remove(id)
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
    for (let i = 0; i < NF; i++) this.lenSum[i]! -= d.len[i]!
    for (const t of d.tf.keys()) {
      const p = this.postings.get(t)
      if (!p) continue
      p.delete(id)
      if (p.size === 0) this.postings.delete(t)
    }
    this.docs.delete(id)
  }

  /** Every indexed term (for prefix expansion of query words). */
  terms(): IterableIterator<string> {
    return this.postings.keys()
  }

  hasTerm(t: string): boolean {
    return this.postings.has(t)
  }

  /**
   * Scores of the documents matching any of `terms` (each with a query weight, 1 for a word the
   * user typed, less for an expansion). Accumulation follows the order of `terms`, so the same
   * query over the same documents gives bit-identical scores.
   */
  score(terms: ReadonlyArray<readonly [string, number]>, accept?: (id: string) => boolean): Map<string, number> {
    const n = this.docs.size
    const out = new Map<string, number>()
    if (n === 0) return out
    const avg = new Float64Array(NF)
    for (let i = 0; i < NF; i++) avg[i] = this.lenSum[i]! / n || 1
    const w = FIELDS.map((f) => FIELD_WEIGHT[f])
    const b = FIELDS.map((f) => FIELD_B[f])
    for (const [term, qw] of terms) {
      const p = this.postings.get(term)
      if (!p) continue
      const df = p.size
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5))
      for (const id of p) {
        if (accept && !accept(id)) continue
        const d = this.docs.get(id)!
        const row = d.tf.get(term)!
        let x = 0
        for (let i = 0; i < NF; i++) {
          const f = row[i]!
          if (f === 0) continue
          x += (w[i]! * f) / (1 - b[i]! + (b[i]! * d.len[i]!) / avg[i]!)
        }
        out.set(id, (out.get(id) ?? 0) + qw * idf * ((x * (K1 + 1)) / (K1 + x)))
      }
    }
    return out
  }
}
