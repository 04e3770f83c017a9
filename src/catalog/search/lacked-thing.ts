/**
 * @module catalog/search/lacked-thing
 * A thing said as lacking ("expenses without a receipt", "transactions missing receipts", "bills
 * with no attachment") filters what is listed; nothing is done to it. A tool acting on that thing
 * (`upload_receipt`) is no answer unless the request types its action too ("upload the missing
 * receipts"): index.ts ranks it as another action.
 */
import { isStop } from "./tokenize.ts"

/** Words a lacked thing follows; "no" only after "with" / "has" / "have" ("with no receipt"). */
const LACKING = new Set(["without", "missing", "lacking", "sans"])
const HAVING = new Set(["with", "has", "have", "having"])

/** The words (as typed) of `words` said as lacking: "receipt" of "expenses without a receipt". */
export function lackedThings(words: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!
    const lack = LACKING.has(w) || (w === "no" && HAVING.has(words[i - 1] ?? ""))
    if (!lack) continue
    let j = i + 1
    while (j < words.length && isStop(words[j]!) && j <= i + 2) j++
    const thing = words[j]
    if (thing !== undefined && /^[a-z]{3,}$/.test(thing) && !isStop(thing)) out.push(thing)
  }
  return out
}
