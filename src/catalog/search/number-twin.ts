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
