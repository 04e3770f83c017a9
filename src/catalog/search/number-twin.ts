/**
 * @module catalog/search/number-twin
 * Near twins told apart by number alone (`get_dag_run` / `get_dag_runs`, `get_issue` /
 * `get_issues`): stemming makes their names one, so their descriptions decided, and "recent runs
 * of the orders_etl dag" got the tool reading one run. The number the request types for the word
 * they differ in says which it asks for: the twin in the other number goes below it.
 */
import { stem } from "./tokenize.ts"

/**
 * True when `name` and `other` (a tool's name words, split) are the same words but in number, and
 * the request's words (`typed`, as typed) agree with `other` where they differ and not with `name`.
 */
export function twinInOtherNumber(name: readonly string[], other: readonly string[], typed: readonly string[]): boolean {
  if (name.length !== other.length) return false
  let differs = false
  for (let i = 0; i < name.length; i++) {
    const a = name[i]!
    const b = other[i]!
    if (a === b) continue
    if (stem(a) !== stem(b)) return false
    // (the request types the other twin's form and not this one's)
    if (!typed.includes(b) || typed.includes(a)) return false
    differs = true
  }
  return differs
}

/** A hit as `lowerNumberTwins` reads and lowers it. */
export interface TwinHit {
  tool: { name: string; server: string; tool: string }
  score: number
}

/**
 * Each hit's score capped at its twins' (same server, hit too, the other number typed:
 * `twinInOtherNumber`) × `factor`, in the hits' order (a twin's score as lowered so far). Each
 * tool's own name is split once per call (`split`, memoised here): the pairs looked at are hits ×
 * their server's tools, and splitting both names of every pair again made this step most of a
 * search's time and garbage in a fleet of 50 servers × 100 tools (≈ 500 000 splits a search).
 */
export function lowerNumberTwins(hits: readonly TwinHit[], serverTools: (server: string) => Iterable<string> | undefined, ownName: (name: string) => string, typed: readonly string[], factor: number, split: (text: string) => string[]): void {
  const words = new Map<string, string[]>()
  const wordsOf = (name: string): string[] => {
    let w = words.get(name)
    if (w === undefined) words.set(name, (w = split(ownName(name))))
    return w
  }
  const ranked = new Map(hits.map((h) => [h.tool.name, h]))
  for (const h of hits) {
    const mine = wordsOf(h.tool.name)
    let cap = h.score
    for (const n of serverTools(h.tool.server) ?? []) {
      if (n === h.tool.name) continue
      const twin = ranked.get(n)
      if (twin !== undefined && twinInOtherNumber(mine, wordsOf(n), typed)) cap = Math.min(cap, twin.score * factor)
    }
    h.score = cap
  }
}
