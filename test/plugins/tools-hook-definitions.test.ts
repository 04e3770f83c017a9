/**
 * Regression (QA qa7b): a plugin `tools` hook's output was checked for its names only, so an entry
 * with a broken definition (`inputSchema.properties: 5`, `annotations: "x"`) reached the client,
 * whose SDK validates the whole tools/list answer at once: one bad entry and the client had no tools
 * at all. (`properties: 5` is repaired since QA 138; a schema nesting 200 levels deep is not read since QA 157: any arguments, the entry kept; the entry left out here has an inputSchema that is no schema.) Each entry is now checked as a downstream's definitions are: repaired where that is safe,
 * else left out with a warning; the rest of the list is served.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { ListToolsResultSchema } from "@modelcontextprotocol/sdk/types.js"
import type { Proxy } from "../../src/proxy/index.ts"
import { hookedProxy, type HookedProxy } from "./hooked-proxy.ts"

const HOOK = `export default {
  name: "broken-defs",
  tools(tools) {
    return tools.map((t) => {
      if (t.name === "ev__echo") return { ...t, inputSchema: "nope", annotations: "nope" }
      if (t.name === "ev__get-env") {
        let deep = {}
        for (let i = 0; i < 200; i++) deep = { type: "object", properties: { a: deep } }
        return { ...t, inputSchema: deep }
      }
      if (t.name === "ev__get-sum") return { ...t, inputSchema: { ...t.inputSchema, properties: { ...t.inputSchema.properties, extra: true, junk: 5 } } }
      return t
    })
  },
}
`

let h: HookedProxy
let proxy: Proxy
let records: HookedProxy["records"]

beforeAll(async () => {
  h = await hookedProxy("broken-defs", HOOK)
  proxy = h.proxy
  records = h.records
})

afterAll(async () => await h[Symbol.asyncDispose]())

test("an invalid entry of a tools hook is left out (warned), a repairable one repaired: the client can read the list", async () => {
  const tools = await proxy.listTools()
  // what an SDK client checks of a tools/list answer: every entry, at once
  expect(ListToolsResultSchema.safeParse({ tools }).success).toBe(true)
  const names = tools.map((t) => t.name)
  expect(names).not.toContain("ev__echo")
  expect(names).toContain("ev__get-env")
  const sum = tools.find((t) => t.name === "ev__get-sum")!
  expect((sum.inputSchema.properties as Record<string, unknown>).extra).toEqual({})
  // a property whose schema is no schema: repaired to accept any value, not the whole entry left out
  expect(Object.keys((sum.inputSchema.properties as Record<string, { description?: string }>).junk ?? {})).toEqual(["description"])
  const warned = records.filter((r) => r.msg === "a plugin tools hook listed an invalid tool definition; left out of the list")
  expect(warned.map((r) => r.tool)).toEqual(["ev__echo"])
  expect(JSON.stringify(warned[0])).toContain("inputSchema is string, not an object")
  // a schema nesting past the bound is not read: the tool stays, with any arguments
  expect(tools.find((t) => t.name === "ev__get-env")!.inputSchema).toEqual({ type: "object", description: expect.stringContaining("any arguments are accepted") })
  const repaired = records.filter((r) => r.msg === "a plugin tools hook listed a tool definition that needed a repair" && r.tool === "ev__get-env")
  expect(JSON.stringify(repaired)).toContain("inputSchema nests more than")
}, 30_000)
