/**
 * @module config/suggest
 * "Did you mean" for unknown keys and variables. Names are compared ignoring case and the
 * separators `_`, `-` and `.` (POOLMAX ~ POOL_MAX_…, maxinflight ~ maxInFlight); a
 * candidate that begins with what was typed (a name cut short) comes before one that is merely a
 * few edits away (Levenshtein distance).
 */

export function editDistance(a: string, b: string): number {
  const m = a.length
  const n = b.length
  let prev = Array.from({ length: n + 1 }, (_, j) => j)
  for (let i = 1; i <= m; i++) {
    const cur = [i]
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost)
    }
    prev = cur
  }
  return prev[n]!
}

/** `s` as compared: lower case, without `_`, `-` and `.`. */
function squash(s: string): string {
  return s.toLowerCase().replace(/[_.-]/g, "")
}

export interface SuggestOptions {
  /** A prefix every name shares (e.g. "MCPO_"): it neither makes a prefix match nor counts as a match. */
  commonPrefix?: string
  /** At most this many suggestions (default 1). */
  max?: number
}

/**
 * The candidates closest to `word`, best first: the same name written otherwise (case,
 * separators); names that begin with it (at least 3 characters typed, beyond a common prefix),
 * shortest first; names that end with it (a section left out: NAME_BUDGET for PROXY_NAME_BUDGET);
 * names within an edit distance that scales with the word, nearest first; names it begins with
 * (something typed after a name: CONFIG_FILE for CONFIG).
 */
export function suggestAll(word: string, candidates: readonly string[], opts: SuggestOptions = {}): string[] {
  const common = squash(opts.commonPrefix ?? "")
  const strip = (s: string): string => {
    const q = squash(s)
    return common && q.startsWith(common) ? q.slice(common.length) : q
  }
  const w = strip(word)
  const limit = Math.max(2, Math.floor(w.length / 3))
  const ranked: { c: string; rank: number; by: number }[] = []
  for (const c of candidates) {
    const q = strip(c)
    if (q === w) ranked.push({ c, rank: 0, by: 0 })
    else if (w.length >= 3 && q.startsWith(w)) ranked.push({ c, rank: 1, by: q.length - w.length })
    else if (w.length >= 5 && q.endsWith(w)) ranked.push({ c, rank: 2, by: q.length - w.length }) // its section left out
    else {
      const d = Math.min(editDistance(w, q), editDistance(word, c))
      if (d <= limit) ranked.push({ c, rank: 3, by: d })
      else if (q.length >= 4 && w.startsWith(q)) ranked.push({ c, rank: 4, by: w.length - q.length }) // more typed after a name
    }
  }
  ranked.sort((a, b) => a.rank - b.rank || a.by - b.by || (a.c < b.c ? -1 : a.c > b.c ? 1 : 0))
  const max = opts.max ?? 1
  // an exact match (but for case or separators) is the answer on its own
  const best = ranked[0]
  if (best && best.rank === 0) return [best.c]
  return ranked.slice(0, max).map((r) => r.c)
}

/** The closest candidate (see `suggestAll`), or undefined. */
export function suggest(word: string, candidates: readonly string[], opts: SuggestOptions = {}): string | undefined {
  return suggestAll(word, candidates, { ...opts, max: 1 })[0]
}
