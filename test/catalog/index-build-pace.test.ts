/**
 * Building the search index of a fleet (5 000 tools in one synchronous go at the first search)
 * left its lasting structures scattered among its own garbage: with the orchestrator's heap around
 * it, the collector ran rarely during the build and RSS stayed +118 MiB after the first search
 * (qa314, docs/proxy.md issue 15). The build now asks for a concurrent collection every
 * COLLECT_EVERY documents indexed, whichever servers they come in (one server of 5 000 tools, or
 * 5 000 servers of one). No memory is asserted here: only that the build paces itself, and that
 * pacing changes no ranking.
 */
import { afterEach, expect, spyOn, test } from "bun:test"
import { createToolIndex, type IndexedTool } from "../../src/catalog/index.ts"
import { COLLECT_EVERY, collectPacer } from "../../src/core/index.ts"

const tools = (server: string, n: number): IndexedTool[] =>
  Array.from({ length: n }, (_, i) => ({
    name: `${server}__${["create", "list", "get", "delete"][i % 4]}_${["issue", "page", "file", "user"][Math.floor(i / 4) % 4]}_${i}`,
    server,
    tool: `${["create", "list", "get", "delete"][i % 4]}_${["issue", "page", "file", "user"][Math.floor(i / 4) % 4]}_${i}`,
    description: `Does thing ${i} to an item.`,
    inputSchema: { type: "object", properties: { id: { type: "string", description: "The item's id" } } },
  }))

let gc: ReturnType<typeof spyOn> | undefined
afterEach(() => gc?.mockRestore())

test("the pacer asks each time the units reach its pace, once per tick at most, the remainder counted on", () => {
  let asked = 0
  const tick = collectPacer(3, () => asked++)
  for (let i = 0; i < 10; i++) tick()
  expect(asked).toBe(3)
  tick(2) // 1 left + 2
  expect(asked).toBe(4)
  tick(1000) // one burst, one ask
  expect(asked).toBe(5)
  tick(1) // 1000 % 3 = 1 left, + 1
  expect(asked).toBe(5)
  tick(1)
  expect(asked).toBe(6)
  expect(COLLECT_EVERY).toBeGreaterThan(1)
})

test("the index's build asks for a concurrent collection every COLLECT_EVERY documents, across servers", () => {
  gc = spyOn(Bun, "gc").mockImplementation(() => 0)
  const index = createToolIndex()
  index.setServer("big", tools("big", 2 * COLLECT_EVERY + 1))
  expect(gc.mock.calls).toEqual([[false], [false]])
  // many small servers: counted across them, not per server
  for (let s = 0; s < COLLECT_EVERY; s++) index.setServer(`s${s}`, tools(`s${s}`, 1))
  expect(gc.mock.calls.length).toBe(3)
  // a relist re-indexes: its documents count too
  index.setServer("big", tools("big", COLLECT_EVERY))
  expect(gc.mock.calls.length).toBe(4)
})

test("pacing changes no ranking", () => {
  const paced = createToolIndex()
  const plain = createToolIndex({ pace: () => {} })
  for (const s of ["github", "notion", "files"]) {
    paced.setServer(s, tools(s, 90))
    plain.setServer(s, tools(s, 90))
  }
  for (const q of ["create an issue", "list the pages", "delete a user on github", "get file 7"]) {
    const a = paced.search(q, { limit: 20 }).map((h) => [h.tool.name, h.score, h.weak ?? false])
    expect(a.length).toBeGreaterThan(0)
    expect(a).toEqual(plain.search(q, { limit: 20 }).map((h) => [h.tool.name, h.score, h.weak ?? false]))
  }
})
