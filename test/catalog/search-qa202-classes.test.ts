/**
 * The classes of miss QA 202's set showed, each as a rule of src/catalog/search, checked with
 * requests that are not in any set.
 */
import { describe, expect, test } from "bun:test"
import { sensesOf } from "../../src/catalog/search/senses.ts"
import { qa192Fleet } from "./search-qa192-fleet.ts"
import { qa202Fleet } from "./search-qa202-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

describe("QA 202 classes: a verb that opens, acting on a web address (web-address.ts)", () => {
  test("it navigates; on anything else it keeps its sense", () => {
    expect(sensesOf("please open up localhost:8080/health").get("open")).toEqual(["navigate"])
    expect(sensesOf("load https://status.acme.io, then screenshot it").get("load")).toEqual(["navigate"])
    // (a file, a node, a thing made: not an address)
    expect(sensesOf("open config/app.yaml").has("open")).toBe(false)
    expect(sensesOf("open the node named Bob").has("open")).toBe(false)
  })
  test("the browser's navigate ranks first, a file reader does not", () => {
    // (once: "open" read, the filesystem's read tools first and the browser's navigate not in the first five)
    const qa202 = fleetIndex(qa202Fleet)
    for (const q of ["please open up localhost:8080/health", "load https://status.acme.io, then screenshot it", "open staging.acme.dev/pricing"]) expect(qa202.search(q, { limit: 5 })[0]!.tool.name).toBe("puppeteer__puppeteer_navigate")
    const qa192 = fleetIndex(qa192Fleet)
    expect(qa192.search("open staging.acme.dev/pricing", { limit: 5 })[0]!.tool.name).toBe("playwright__browser_navigate")
    expect(qa202.search("open config/app.yaml", { limit: 5 })[0]!.tool.server).toBe("filesystem")
  })
})

describe("QA 202 classes: a light verb before an article makes the noun after it (light-verb.ts)", () => {
  test("a noun no tool names: every hit is weak; one a tool names still answers", () => {
    // (once: "take" had no family, the thing made was not judged, and `query` was a strong answer)
    const ix = fleetIndex(qa202Fleet)
    for (const q of ["take a backup of the orders db", "do a restore of yesterday's sqlite db", "run a vacuum on the postgres database"]) expect(ix.search(q, { limit: 5 }).every((h) => h.weak)).toBe(true)
    const shot = ix.search("take a screenshot of the checkout page", { limit: 5 })[0]!
    expect([shot.tool.name, shot.weak]).toEqual(["puppeteer__puppeteer_screenshot", undefined])
  })
})

describe("QA 202 classes: a request opening with a typed shortening of please (pls, plz) or hey (intent.ts POLITE, tokenize.ts)", () => {
  test("the verb after it is the request's, as after 'please'", () => {
    // (once: "pls" was the opening word and a word asked, so no rule of the opening verb applied)
    const ix = fleetIndex(qa202Fleet)
    for (const q of ["pls open staging.acme.dev/pricing", "hey can you open staging.acme.dev/pricing"]) expect(ix.search(q, { limit: 5 })[0]!.tool.name).toBe("puppeteer__puppeteer_navigate")
    const backup = ix.search("plz take a backup of the orders db", { limit: 5 })
    expect(backup.every((h) => h.weak && !h.unmatched?.includes("plz"))).toBe(true)
  })
})

describe("QA 202 classes: a company named with its legal form is an instance (company-name.ts)", () => {
  test("the things it owns are asked, the company's words are not", () => {
    // (once: "corp", "ltd" read as a thing no tool knows whose attribute was asked, as in "the price of bitcoin")
    const ix = fleetIndex(qa202Fleet)
    for (const [q, want] of [["list the invoices of globex corp", "stripe__list_invoices"], ["show me the subscriptions of initech ltd", "stripe__list_subscriptions"]] as const) {
      const top = ix.search(q, { limit: 5 })[0]!
      expect([top.tool.name, top.weak]).toEqual([want, undefined])
    }
    // (an owner no tool knows, not named as a company, still is: "the price of bitcoin")
    expect(ix.search("what's the price of bitcoin", { limit: 5 }).every((h) => h.weak)).toBe(true)
  })
})

describe("QA 202 classes: quoted text after plain language is content, not a shell operand (quoted-content.ts)", () => {
  test("'find' before it is the request's verb, not the find command", () => {
    // (once: the quote made "find …" a command line, every hit but the file tools weak for "find")
    const ix = fleetIndex(qa202Fleet)
    const top = ix.search("find records matching 'late delivery refund' in the pinecone index", { limit: 5 })[0]!
    expect([top.tool.name, top.weak]).toEqual(["pinecone__search-records", undefined])
    // (a command line stays one: its operand has no plain word before it)
    expect(ix.search("find . -name '*.sql'", { limit: 5 })[0]!.tool.name).toBe("filesystem__search_files")
  })
})

describe("QA 202 classes: money one has is a balance (synonyms.ts)", () => {
  test("the balance answers how much money there is", () => {
    // (once: "money" was no word of any tool, `create_invoice` ranked first and the balance was not in the first five)
    const ix = fleetIndex(qa202Fleet)
    for (const q of ["how much money is left on our stripe account", "money available in stripe?"]) expect(ix.search(q, { limit: 5 })[0]!.tool.name).toBe("stripe__retrieve_balance")
  })
})

describe("QA 202 classes: a form is its input fields (synonyms.ts)", () => {
  test("the browser's fill answers a request to put text in a form", () => {
    // (once: "form" was no word of any tool, `puppeteer_fill` was first but weak for "enter")
    const ix = fleetIndex(qa202Fleet)
    const top = ix.search("enter my name into the signup form", { limit: 5 })[0]!
    expect([top.tool.name, top.weak]).toEqual(["puppeteer__puppeteer_fill", undefined])
  })
})

describe("QA 202 classes: the words after 'for' qualify the thing asked (purpose.ts)", () => {
  test("a tool named after the qualifier alone ranks below one acting on the thing", () => {
    // (once: `find_projects`, whose name "project" after "for" covered wholly, ranked above `search_issues`)
    const ix = fleetIndex(qa202Fleet)
    for (const q of ["show me recent errors in sentry for the web project", "list errors for the api project"]) expect(ix.search(q, { limit: 5 })[0]!.tool.name).toBe("sentry__search_issues")
    // (the thing itself still names its tool: "list prices for the pro product")
    expect(ix.search("list prices for the pro product", { limit: 5 })[0]!.tool.name).toBe("stripe__list_prices")
  })
})
