/**
 * Search classes found in QA 51 (follow-ups of QA 47), over the npm fleet plus the Toolkit set's
 * database-server, and a held-out set of its own (test/fixtures/search-queries-qa51.json: 32
 * requests and 8 negatives written in one pass before anything was measured, never tuned on).
 * Measured when these floors were set (the same before and after this round's changes):
 *   hit@1 0.875  hit@3 0.906  hit@5 0.938  MRR 0.907  negatives rejected 3/8  positives' first hit weak 1/32
 * QA 146 (a generic reader whose argument chooses the thing named, kubectl_get for "list pods", is
 * named for the request): hit@1 0.875 → 0.906  hit@3 0.906 → 0.938  MRR 0.907 → 0.932.
 */
import { describe, expect, test } from "bun:test"
import { createToolIndex, type IndexedTool, type ToolIndex } from "../../src/catalog/index.ts"
import { extendedFleet, fleetIndex, loadSet, measureSet, type Labelled } from "./search-sets.ts"

const set = { queries: loadSet("search-queries-qa51.json") }
const fleet = extendedFleet()
const ix = fleetIndex(fleet)
const top = (q: string, n = 3) => ix.search(q, { limit: n }).map((h) => h.tool.name)

const measure = measureSet

describe("search on a held-out set of QA 51", () => {
  test("the set: 30+ requests and 8 negatives, every label a tool of the fleet", () => {
    const names = new Set(fleet.flatMap(([s, defs]) => defs.map((d) => `${s}__${d.name}`)))
    expect(set.queries.filter((q) => !q.negative).length).toBeGreaterThanOrEqual(30)
    expect(set.queries.filter((q) => q.negative).length).toBeGreaterThanOrEqual(8)
    for (const q of set.queries) {
      expect(q.split).toBe("heldout")
      if (q.negative) expect(q.relevant).toEqual({})
      else expect(Object.values(q.relevant)).toContain(2)
      for (const name of Object.keys(q.relevant)) expect(names.has(name)).toBe(true)
    }
  })

  test("quality floor: hit@1 ≥ 0.9, hit@3 ≥ 0.93, MRR ≥ 0.93 (since QA 146), negatives rejected ≥ 0.5 (4 of 8 since QA 76)", () => {
    const m = measure(ix, set.queries)
    expect(m.h1).toBeGreaterThanOrEqual(0.9)
    expect(m.h3).toBeGreaterThanOrEqual(0.93)
    expect(m.mrr).toBeGreaterThanOrEqual(0.93)
    expect(m.rejected).toBeGreaterThanOrEqual(0.62)
    expect(m.posFlagged).toBeLessThanOrEqual(3)
  })
})

const tool = (server: string, name: string, description: string): IndexedTool => ({ name: `${server}__${name}`, server, tool: name, description, inputSchema: { type: "object" } })

describe("what a tool's name says it does", () => {
  test("a name starting with 'get' reads: a request to write ranks the writing tool first", () => {
    expect(top("append a paragraph to the notion page", 1)).toEqual(["notion__API-patch-block-children"])
    const one = createToolIndex()
    one.setServer("s", [tool("s", "get_page_comments", "Comments on a page."), tool("s", "add_page_comment", "Comments on a page.")])
    expect(one.search("add a comment to the page", { limit: 1 }).map((h) => h.tool.name)).toEqual(["s__add_page_comment"])
    expect(one.search("show the comments on the page", { limit: 1 }).map((h) => h.tool.name)).toEqual(["s__get_page_comments"])
  })

  test("a 'get' tool whose name says what the request's verb means is not the other action", () => {
    // add → sum, modified → info: the verb is what the tool does
    for (const q of ["add two numbers", "add 2 and 3"]) expect(top(q, 1)).toEqual(["everything__get-sum"])
    expect(top("how big is this file and when was it last modified", 1)).toEqual(["filesystem__get_file_info"])
  })
})

describe("a loose verb's synonym", () => {
  test("does not name a tool: it covers a word of its name only in part", () => {
    // "retrieve" → fetch made `fetch` a whole-name match, above the tool that describes an index
    expect(top("retrieve the vector index configuration", 2)).toEqual(["pinecone__list-indexes", "pinecone__describe-index"])
    const one = createToolIndex()
    one.setServer("s", [tool("s", "show", "Shows the contents of a commit."), tool("s", "list_commits", "Recent commits of a branch.")])
    // "list" → show: `show` is not named by it; the tool whose name has "list" and "commits" is
    expect(one.search("list the commits", { limit: 1 }).map((h) => h.tool.name)).toEqual(["s__list_commits"])
  })
})
