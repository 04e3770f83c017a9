/**
 * @module catalog/search/ticker
 * A short word no tool knows, typed where a trade names what it trades ("sell 20 shares of amd",
 * "buy 5 nvda", "how many shares of tsla do i have"), is a ticker: a value the request gives, as a
 * label's name is (label-value.ts), not a thing asked for that no tool knows. Read as a thing, it
 * made every hit weak ("amd" unheard) though the trading tools take a symbol.
 * A word of one to five letters, right after "shares of"/"stock of" (or "in"), or after a trade's
 * verb (buy, sell, short) with at most a number, "shares" or a quantity word between.
 */
import { splitWords } from "./tokenize.ts"

const TICKER = /^[a-z]{1,5}$/
const HOLDING = new Set(["share", "shares", "stock", "stocks"])
const OF = new Set(["of", "in"])
const TRADE = new Set(["buy", "sell", "short"])
/** Words between a trade's verb and what it trades ("sell half my", "buy 10 more shares of"). */
const BETWEEN = /^(?:\d+(?:\.\d+)?|shares?|of|some|more|all|half|my|our|the|a|an)$/

/** The indices, in `splitWords(text)`, of the words `unknown` says no tool knows that a trade names as what it trades. */
export function tickerWords(text: string, unknown: (word: string) => boolean): Set<number> {
  const words = splitWords(text)
  const out = new Set<number>()
  words.forEach((w, i) => {
    if (!TICKER.test(w) || TRADE.has(w) || !unknown(w)) return
    const afterShares = i >= 2 && OF.has(words[i - 1]!) && HOLDING.has(words[i - 2]!)
    let j = i - 1
    while (j >= 0 && i - j <= 5 && BETWEEN.test(words[j]!)) j--
    const afterTrade = j >= 0 && TRADE.has(words[j]!)
    if (afterShares || afterTrade) out.add(i)
  })
  return out
}
