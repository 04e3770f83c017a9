/**
 * The classes of miss QA 167's held-out set showed (test/fixtures/search-queries-qa167.json), each
 * as a rule of src/catalog/search, checked over that set's fleet (search-qa167-fleet.ts).
 */
import { describe, expect, test } from "bun:test"
import { qa167Fleet } from "./search-qa167-fleet.ts"
import { fleetIndex } from "./search-sets.ts"
import { endpointAsWords } from "../../src/catalog/search/endpoints.ts"

const ix = fleetIndex(qa167Fleet)
const first = (q: string): string | undefined => ix.search(q, { limit: 10 })[0]?.tool.name

describe("QA 167 classes", () => {
  test("an HTTP call of a REST API is the words it stands for: method → verb, last collection → thing (endpoints.ts)", () => {
    expect(first("GET /repos/{owner}/{repo}/pulls")).toBe("github__list_pull_requests")
    expect(first("POST /v1/refunds")).toBe("stripe__create_refund")
    expect(first("GET /v1/customers?limit=10")).toBe("stripe__list_customers")
    // (a last segment after an item that is no collection is the action itself)
    expect(first("PUT /projects/:id/merge_requests/:iid/merge")).toBe("gitlab__merge_merge_request")
    // (a request that merely starts with a verb in capitals is not one, nor a verb before a file's path)
    expect(first("GET the weather forecast for Lisbon")).toBe("weather__get_forecast")
    expect(endpointAsWords("delete /tmp/logs/old.txt")).toBe("delete /tmp/logs/old.txt")
    expect(endpointAsWords("GET /etc/hostname")).toBe("GET /etc/hostname")
  })

  test("a verb typed only inside a phrase naming a thing is not asked: `merge_merge_request` is no getter (phrase-verbs.ts)", () => {
    expect(first("get forge merge request !42")).toBe("gitlab__get_merge_request")
    expect(first("GET /projects/:id/merge_requests/42")).toBe("gitlab__get_merge_request")
    // typed outside the phrase too, it is asked
    expect(first("merge merge request !42")).toBe("gitlab__merge_merge_request")
  })
})

describe("QA 167 classes: an item's number", () => {
  test("'#42' and '!42' name one item as forges write it: the tools listing many come after the getters (literals.ts `number`)", () => {
    const top2 = ix.search("show issue #42", { limit: 10 }).slice(0, 2).map((h) => h.tool.name)
    expect(top2).toEqual(["github__issue_read", "gitlab__get_issue"])
    expect(ix.search("show gitlab merge request !42", { limit: 10 }).slice(0, 3).map((h) => h.tool.name)).not.toContain("gitlab__list_merge_requests")
  })
})
