/**
 * @module core/typo-distance
 * How many typos apart two words or names are: the optimal string alignment distance (insertions,
 * deletions, substitutions, swaps of two neighbours), bounded: the walk stops once every way is
 * over `bound`. Shared by the tool search's typo matching (catalog/search) and the "did you mean"
 * of unknown tool names (proxy/name-guess). The table's rows are kept between calls.
 */

let rows = [new Int32Array(136), new Int32Array(136), new Int32Array(136)] as [Int32Array, Int32Array, Int32Array]

/** Typos between `a` and `b`, or `bound + 1` once there are more than `bound`. */
export function typoDistance(a: string, b: string, bound: number): number {
  const m = a.length
  const n = b.length
  if (Math.abs(m - n) > bound) return bound + 1
  if (rows[0].length < n + 1) rows = [new Int32Array(n + 1), new Int32Array(n + 1), new Int32Array(n + 1)]
  let [prev2, prev, cur] = rows
  for (let j = 0; j <= n; j++) prev[j] = j
  for (let i = 1; i <= m; i++) {
    cur[0] = i
    let low = i
    const ai = a.charCodeAt(i - 1)
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1)
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ai === bj ? 0 : 1))
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) d = Math.min(d, prev2[j - 2]! + 1)
      cur[j] = d
      if (d < low) low = d
    }
    if (low > bound) return bound + 1
    const t = prev2
    prev2 = prev
    prev = cur
    cur = t
  }
  return Math.min(prev[n]!, bound + 1)
}
