/**
 * The classes of miss QA 321's set left (QA 329), each as a rule of src/catalog/search, checked
 * with requests that are in no set (over QA 321's fleet of a person's own servers).
 */
import { describe, expect, test } from "bun:test"
import { qa321Fleet } from "./search-qa321-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const life = fleetIndex(qa321Fleet)
const rank = (q: string, tool: string) => life.search(q, { limit: 10 }).findIndex((h) => h.tool.name === tool)

describe("a question about what one holds reads balances and holdings, never acts (held-amount.ts, intent.ts asksWhatIs)", () => {
  test("\"how much X do i have\", \"how are my X doing\"", () => {
    // (once: `send_crypto` first for "how much crypto do i have", the positions 7th for "how are my stocks doing")
    expect(rank("how much crypto do we own", "coinbase__get_portfolio_breakdown")).toBe(0)
    expect(rank("how much crypto do i hold", "coinbase__send_crypto")).not.toBe(0)
    const stocks = ["alpaca__get_positions", "plaid__get_investment_holdings"].map((t) => rank("how are my investments doing", t))
    expect(Math.min(...stocks.filter((r) => r >= 0))).toBe(0)
    expect(rank("how are my stocks performing", "alpaca__get_positions")).toBeLessThan(3)
    expect(rank("how are my stocks performing", "alpaca__get_positions")).toBeGreaterThanOrEqual(0)
  })
})

describe("whether a thing is in a state now is no question for its history (current-state.ts)", () => {
  test("\"is the … door open\": a tool named after a record of the past is not first; naming the record asks it", () => {
    // (once: `get_history` first for "is the garage door open", by its "door open/close")
    for (const q of ["is the shed door open", "is the patio door open"]) expect(rank(q, "home-assistant__get_history")).toBeGreaterThan(0)
    expect(rank("show the history of the shed door", "home-assistant__get_history")).toBe(0)
    expect(rank("is the shed door open per the history", "home-assistant__get_history")).toBe(0)
  })
})

describe("a prefixed word people type as one is the tool's word written apart (prefixed-compound.ts)", () => {
  test("\"nonstop\" is `nonStop`, no \"stop\"", () => {
    // (once: every flight tool alike for "nonstop flights …", `search_flight_offers` 6th; `place_stock_order` first)
    expect(rank("nonstop flights from denver to paris", "amadeus__search_flight_offers")).toBe(0)
  })
  test("a class of travel is a flight's cabin, no place of business (synonyms.ts)", () => {
    // (once: `place_stock_order` first by "business" → place and its "request class")
    expect(rank("economy class flights from denver to paris", "amadeus__search_flight_offers")).toBe(0)
    expect(rank("business class flights from denver to paris", "amadeus__search_flight_offers")).toBeLessThan(2)
    expect(rank("first class tickets to rome in june", "amadeus__search_flight_offers")).toBe(0)
  })
})
