/**
 * catalog/search: a query every tool of one large server matches (a literal its arguments' help
 * shows: a date, a reverse-DNS name) is answered in time linear in the hits. Before, each hit was
 * compared with every tool of its server for a twin in the other number (number-twin.ts), the
 * names split again for each pair: 1 000 tools took 3 s, 10 000 took minutes — search_tools held
 * the event loop, every server's calls and the process's exit (stdin closed) with it. Twins are
 * still found (the twin in the other number goes below).
 */
import { describe, expect, test } from "bun:test"
import { createToolIndex, type IndexedTool } from "../../src/catalog/search/index.ts"

function tool(server: string, name: string, description: string, args: Record<string, string> = {}): IndexedTool {
  const properties = Object.fromEntries(Object.entries(args).map(([k, d]) => [k, { type: "string", description: d }]))
  return { name: `${server}__${name}`, server, tool: name, description, inputSchema: { type: "object", properties } }
}

describe("a query matching thousands of tools of one server", () => {
  test("is answered (before: hits × tools name splits, minutes at 10 000)", () => {
    const many = Array.from({ length: 6000 }, (_, i) =>
      tool("many", `tool_${i}_${"x".repeat(20)}`, `Reads record ${i} of the ledger.`, { when: `the day, e.g. 2025-01-0${i % 9}`, app: `the bundle, e.g. com.acme.x${i}` }),
    )
    const index = createToolIndex()
    index.setServer("many", many)
    for (const q of ["records on 2025-01-03", "com.acme.x55 ledger"]) expect(index.search(q).length).toBeGreaterThan(0)
  }, 60_000)

  test("a twin in the other number still goes below the one the request types", () => {
    const index = createToolIndex()
    index.setServer("af", [tool("af", "get_dag_run", "Get a DAG run of a DAG."), tool("af", "get_dag_runs", "List DAG runs of a DAG.")])
    const hits = index.search("recent runs of the orders_etl dag").map((h) => h.tool.tool)
    expect(hits.indexOf("get_dag_runs")).toBeLessThan(hits.indexOf("get_dag_run"))
  })
})
