/**
 * @module catalog/search/prefixed-compound
 * A word made of a prefix and a word, which tools write apart ("nonStop", "non-stop", "pre_release")
 * and people type as one ("nonstop flights", "prerelease builds"): split, the tool has "non" and
 * "stop", the request's "nonstop" met nothing, and "stop" alone is another thing (an order type,
 * QA 321: `place_stock_order` ranked above the flight search taking `nonStop`). The joined word is
 * a term of the tool too. Only after the prefixes English writes joined (non, pre, multi, sub …).
 */
import { stem } from "./tokenize.ts"

/** Prefixes English joins to the word after them ("nonstop", "preorder", "multiline", "subfolder"). */
const PREFIXES = "non|pre|post|multi|sub|co|re|un|self|inter|over|under|out|auto|semi|anti|micro|mini"
/** A prefix and a word after it, camelCase ("nonStop"), as written. */
const CAMEL = new RegExp(`(?<![A-Za-z])(${PREFIXES})([A-Z][a-z]{2,})(?![a-z])`, "g")
/** A prefix and a word after it, hyphenated ("non-stop") or snake_case ("non_stop"), in lowercase. */
const APART = new RegExp(`(?<![a-z])(${PREFIXES})[-_]([a-z]{3,})(?![a-z])`, "g")

/** The joined words (stemmed, lowercase) of the prefixed compounds `text` writes apart. */
export function prefixedCompounds(text: string): string[] {
  const joined = (m: RegExpMatchArray): string => stem(`${m[1]}${m[2]}`.toLowerCase())
  return [...[...text.matchAll(CAMEL)].map(joined), ...[...text.toLowerCase().matchAll(APART)].map(joined)]
}
