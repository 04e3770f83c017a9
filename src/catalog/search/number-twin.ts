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
 * `twinInOtherNumber`) × `factor`, in the hits' order (a twin's score as lowered so far). Twins
 * have the same stemmed name words, so only hits of one server with the same stemmed words are
 * compared: each hit against every tool of its server was hits × tools (a query whose literal
 * matched all 10 000 tools of one server ran for minutes, holding the event loop and the
 * process's exit: qa309), and splitting both names of every pair again made this step most of a
 * search's time and garbage in a fleet of 50 servers × 100 tools (qa308). Each hit's own name is
 * split once per call (`split`).
 */
export function lowerNumberTwins(hits: readonly TwinHit[], ownName: (name: string) => string, typed: readonly string[], factor: number, split: (text: string) => string[]): void {
  const words = new Map<TwinHit, string[]>()
  const alike = new Map<string, TwinHit[]>()
  for (const h of hits) {
    const w = split(ownName(h.tool.name))
    words.set(h, w)
    const key = `${h.tool.server}\u0000${w.map(stem).join(" ")}`
    const same = alike.get(key)
    if (same) same.push(h)
    else alike.set(key, [h])
  }
  for (const same of alike.values()) {
    if (same.length < 2) continue
    for (const h of same) {
      const mine = words.get(h)!
      let cap = h.score
      for (const o of same) if (o !== h && twinInOtherNumber(mine, words.get(o)!, typed)) cap = Math.min(cap, o.score * factor)
      h.score = cap
    }
  }
}
