/**
 * The classes of miss QA 307's set showed (e-commerce and growth marketing), each as a rule of
 * src/catalog/search, checked with requests that are in no set.
 */
import { describe, expect, test } from "bun:test"
import { keyOfOtherKind } from "../../src/catalog/search/kind-named.ts"
import { qa286Fleet } from "./search-qa286-fleet.ts"
import { qa307Fleet } from "./search-qa307-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const store = fleetIndex(qa307Fleet)
const people = fleetIndex(qa286Fleet)
const rank = (q: string, tool: string) => store.search(q, { limit: 10 }).findIndex((h) => h.tool.name === tool)
const top = (q: string) => store.search(q, { limit: 3 }).map((h) => h.tool.name)
const allWeak = (ix: typeof store, q: string) => ix.search(q, { limit: 10 }).every((h) => h.weak)

describe("a key-shaped id the word before names as another thing's is its id, no issue (kind-named.ts)", () => {
  test("\"sku ABC-123\", \"coupon SPRING-25\" are no tracker's issue", () => {
    // (once: Semrush's `site_audit_issues` first, through the key's "issue")
    for (const q of ["is sku WID-778 in stock at the warehouse", "how many of sku HAT-22 are left", "stock count for variant MUG-301"]) {
      expect(top(q).some((n) => /issue/.test(n))).toBe(false)
    }
    expect(rank("how many of sku HAT-22 are left", "shopify-admin__get-inventory-levels")).toBeLessThan(3)
  })
  test("after a verb, an issue word or at the request's start the key stays an issue's", () => {
    expect(keyOfOtherKind("how many units of sku ABC-123", "ABC-123")).toBe(true)
    expect(keyOfOtherKind("move PROJ-12 to done", "PROJ-12")).toBe(false)
    expect(keyOfOtherKind("please close ABC-1", "ABC-1")).toBe(false)
    expect(keyOfOtherKind("comment on the ticket OPS-7", "OPS-7")).toBe(false)
    expect(keyOfOtherKind("triage OPS-7", "OPS-7")).toBe(false)
    expect(keyOfOtherKind("whats blocking bug WEB-88", "WEB-88")).toBe(false)
  })
})

describe("a store's and a marketer's words (synonyms.ts)", () => {
  test("stock, units, blast, instagram, drop off, on the site right now", () => {
    // (once: each below the tool, or every hit weak, for a word no tool writes)
    expect(rank("put 30 more hoodies into stock", "shopify-admin__adjust-inventory")).toBe(0)
    expect(rank("which products are out of stock", "shopify-admin__get-inventory-levels")).toBe(0)
    expect(rank("how many units of the tote bag are there", "shopify-admin__get-inventory-levels")).toBeLessThan(3)
    expect(rank("send an email blast to the winback list", "klaviyo__klaviyo_create_campaign")).toBeLessThan(3)
    expect(rank("instagram ads cpm last week", "meta-ads__get_insights")).toBe(0)
    expect(store.search("instagram ads cpm last week", { limit: 3 })[0]?.weak).toBeFalsy()
    expect(rank("at which checkout step do shoppers drop off", "ga4__run_funnel_report")).toBeLessThan(3)
    expect(rank("how many visitors are on the site right now", "ga4__run_realtime_report")).toBe(0)
  })
})

describe("\"order a …\" opening a request buys a thing, no store's order (senses.ts)", () => {
  test("every hit is weak; an order's number still reads the order", () => {
    // (once: the store's `cancel-order` and `update-order` strong for "order a pizza")
    for (const q of ["order some coffee beans for the office", "order some flowers for the front desk", "order a cake for the team lunch"]) expect(allWeak(store, q)).toBe(true)
    expect(allWeak(people, "order a cake for the team lunch")).toBe(true)
    expect(allWeak(store, "order 2231 status")).toBe(false)
  })
})

describe("a short word's plural in -es is no typo of another word (query.ts)", () => {
  test("\"taxes\" is tax, not tags", () => {
    // (once: the store's tag-taking tools (`update-order`, `update-customer`) answered "taxes", and
    // strongly "prepare my taxes" and "my taxes are due": "taxes" was corrected to "tags")
    expect(store.search("taxes", { limit: 10 })).toEqual([])
    expect(allWeak(store, "what do i owe in taxes this year")).toBe(true)
    expect(top("my taxes are due").some((n) => /order|customer|product/.test(n))).toBe(false)
    expect(rank("tag order 1042 as gift", "shopify-admin__update-order")).toBeLessThan(3)
  })
})
