/**
 * The classes of miss QA 321's, 307's and 286's sets left (QA 336), each as a rule of
 * src/catalog/search, checked with requests that are in no set.
 */
import { describe, expect, test } from "bun:test"
import { qa286Fleet } from "./search-qa286-fleet.ts"
import { qa321Fleet } from "./search-qa321-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const life = fleetIndex(qa321Fleet)
const people = fleetIndex(qa286Fleet)
const rank = (q: string, tool: string) => life.search(q, { limit: 10 }).findIndex((h) => h.tool.name === tool)

describe("a hit matching only the words the request's form adds is weak (query.ts formed, index.ts onlyWhen)", () => {
  test("\"how many X did i Y <when>\": count and date name nothing asked", () => {
    // (once: `get_transactions` first and strong for "how many steps did i walk today", by count and date alone)
    for (const q of ["how many laps did i swim yesterday", "how many pushups did i do this morning"]) {
      const hits = life.search(q, { limit: 5 })
      expect(hits.filter((h) => !h.weak).map((h) => h.tool.name)).toEqual([])
    }
    // a thing the tools know still finds its tool, strong
    const reminders = life.search("how many reminders are due today", { limit: 3 })
    expect(reminders[0]?.tool.name).toBe("apple-reminders__list_reminders")
    expect(reminders[0]?.weak).toBeFalsy()
  })
})

describe("a question that reads is not answered by a tool named with an action (intent.ts namedWithAction)", () => {
  test("\"how many shares of X do we own\" reads holdings, no `close_position`", () => {
    // (once: `close_position` first, its text says "shares")
    for (const q of ["how many shares of msft do we own", "how many shares of nflx do i have"]) expect(rank(q, "alpaca__close_position")).toBeGreaterThan(0)
    expect(rank("close my msft position", "alpaca__close_position")).toBe(0)
  })
})

describe("a short unknown word a trade names as what it trades is a ticker, a value (ticker.ts)", () => {
  test("\"sell 15 shares of pltr\", \"buy 3 shares of amd\": the trading tools, strong", () => {
    // (once: every hit weak, "amd" unheard)
    for (const q of ["sell 15 shares of pltr", "sell 40 shares of amd", "buy 3 shares of sofi"]) {
      const first = life.search(q, { limit: 3 })[0]
      expect(["alpaca__close_position", "alpaca__place_stock_order"]).toContain(first?.tool.name ?? "")
      expect(first?.weak).toBeFalsy()
    }
    // (an unknown word elsewhere is still unheard: no trade names it)
    expect(life.search("sell the zorblax", { limit: 3 }).every((h) => h.weak)).toBe(true)
  })
})

describe("a thing's synonym a tool says only as a verb names nothing it has (verb-sense.ts)", () => {
  test("\"file a bug\" is no `create_virtual_card` (\"Issue a virtual card …\")", () => {
    // (once: ramp's `create_virtual_card` first and strong on a fleet with no issue tracker, bug → issue)
    for (const q of ["file a bug", "open a bug", "submit a bug report", "file a new bug"]) {
      const hits = people.search(q, { limit: 10 })
      const card = hits.findIndex((h) => h.tool.name === "ramp__create_virtual_card")
      expect(card === -1 || card > 2 || hits[card]!.weak === true).toBe(true)
    }
    // the verb itself still names it
    expect(people.search("issue a virtual card to dana", { limit: 3 })[0]?.tool.name).toBe("ramp__create_virtual_card")
  })
})
