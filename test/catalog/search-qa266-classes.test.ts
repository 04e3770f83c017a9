/**
 * The classes of miss QA 266 took up from the open list of docs/proxy.md, each as a rule of
 * src/catalog/search, checked with requests that are in no set.
 */
import { describe, expect, test } from "bun:test"
import { contactBack } from "../../src/catalog/search/call-back.ts"
import { splitWords } from "../../src/catalog/search/tokenize.ts"
import { qa255Fleet } from "./search-qa255-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const desk = fleetIndex(qa255Fleet)

describe("\"back\" after a verb of contact is its particle, no past thing (call-back.ts)", () => {
  test("a phone call asked of a fleet that makes none finds no strong history tool", () => {
    // (once: slack's `get_channel_history` and twilio's conversation history strong and first,
    // through back → previous, history)
    for (const q of ["ring the client back at 555 0199", "call me back", "phone the vendor back tomorrow"]) {
      const hits = desk.search(q, { limit: 5 })
      expect(hits.filter((h) => !h.weak).map((h) => h.tool.name)).toEqual([])
    }
  })
  test("only after a contact verb, with up to three words of its object between", () => {
    const at = (q: string) => contactBack(splitWords(q), splitWords(q).indexOf("back"))
    expect(at("call the customer back")).toBe(true)
    expect(at("get back to the client")).toBe(true)
    expect(at("go back to the previous page")).toBe(false)
    expect(at("call about the back office")).toBe(false)
    expect(at("show the history back to monday")).toBe(false)
  })
})
