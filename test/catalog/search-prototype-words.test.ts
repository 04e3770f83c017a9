/**
 * A word that is a name on Object.prototype ("constructor", "toString", "valueOf",
 * "hasOwnProperty", "__proto__"), in a query or in a tool's name or description, is a word like any
 * other: the abbreviation table read Object.prototype's function for it, and search_tools failed
 * with "t.split is not a function" for every such query, and indexing such a tool threw.
 */
import { describe, expect, test } from "bun:test"
import { fleetIndex } from "./search-sets.ts"

const WORDS = ["constructor", "constructors", "toString", "valueOf", "hasOwnProperty", "__proto__", "isPrototypeOf", "toLocaleString"]

describe("search over words named like Object.prototype's members", () => {
  const ix = fleetIndex([
    ["code", [
      { name: "find_constructor", description: "Find the constructor of a class and list its toString and valueOf overrides", inputSchema: { type: "object" } },
      { name: "proto_check", description: "Check an object's __proto__ chain with hasOwnProperty", inputSchema: { type: "object" } },
    ]],
    ["weather", [{ name: "get_forecast", description: "Get the weather forecast for a city", inputSchema: { type: "object" } }]],
  ])

  for (const w of WORDS) {
    test(`the query "find the ${w}" is answered`, () => {
      expect(() => ix.search(`find the ${w}`, { limit: 10 })).not.toThrow()
    })
  }

  test("the tool whose text has the word is found by it; other queries are unchanged", () => {
    expect(ix.search("find the class constructor", { limit: 10 })[0]?.tool.name).toBe("code__find_constructor")
    expect(ix.search("weather forecast for Lisbon", { limit: 10 })[0]?.tool.name).toBe("weather__get_forecast")
  })
})
