/**
 * The classes of miss QA 197 took from the open items of QA 181 and QA 192, each as a rule of
 * src/catalog/search, checked with requests that are not in any set.
 */
import { describe, expect, test } from "bun:test"
import { qa192Fleet } from "./search-qa192-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const ix = fleetIndex(qa192Fleet)
const first = (q: string) => ix.search(q, { limit: 10 })[0]!

describe("QA 197 classes: a request in another language reads the English phrases (query.ts, lexicon.ts FUNCTION_WORDS)", () => {
  test("its question words, copula and pronoun read as English: the phrase asks what it asks in English", () => {
    // (once: `convert_time` first, its shorter name scoring "heure" → time higher; the phrase
    // "time is it" asks for the current one)
    expect(first("what time is it in Paris").tool.name).toBe("time__get_current_time")
    for (const q of ["quelle heure est-il à Paris", "Quelle heure est-il maintenant à Montréal ?"]) expect(first(q).tool.name).toBe("time__get_current_time")
  })
})
