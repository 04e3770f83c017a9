/**
 * Search classes found in QA 51 (follow-ups of QA 47), over the npm fleet plus the Toolkit set's
 * database-server, and a held-out set of its own (test/fixtures/search-queries-qa51.json).
 */
import { describe, expect, test } from "bun:test"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, loadFleet, toIndexed, type ToolDef } from "../../scripts/bench/_search-eval.ts"
import { createToolIndex, type IndexedTool } from "../../src/catalog/index.ts"

const toolkit = JSON.parse(readFileSync(join(FIXTURES, "search-queries-toolkit.json"), "utf8")) as { servers: Record<string, ToolDef[]> }
const NPM_DIR = join(FIXTURES, "tool-defs-npm")
const fleet: Array<[string, ToolDef[]]> = [
  ...loadFleet(),
  ...readdirSync(NPM_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f): [string, ToolDef[]] => [f.slice(0, -5), JSON.parse(readFileSync(join(NPM_DIR, f), "utf8")) as ToolDef[]]),
  ...Object.entries(toolkit.servers),
]
const ix = createToolIndex()
for (const [s, defs] of fleet) ix.setServer(s, toIndexed(s, defs))
const top = (q: string, n = 3) => ix.search(q, { limit: n }).map((h) => h.tool.name)

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
