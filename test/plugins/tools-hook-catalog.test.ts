/**
 * What search_tools, describe_tools and run_code see follows a plugin tools hook as tools/list does
 * (QA 7b): a tool it renames is found and described by its new name and new description (a route
 * hook maps the name back), a tool it hides is neither found nor described. Before, the catalog only
 * dropped names the hook left out: a renamed tool was listed but unknown to search and describe,
 * and its new description was ignored.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import type { Proxy } from "../../src/proxy/index.ts"
import { hookedProxy, type HookedProxy } from "./hooked-proxy.ts"
import { ctx } from "../proxy/helpers.ts"

const PLUGIN = `export default {
  name: "alias",
  tools(tools) {
    return tools
      .filter((t) => t.name !== "ev__get-env")
      .map((t) => (t.name === "ev__echo" ? { ...t, name: "ev__parrot", description: "Parrots a message back, word for word" } : t))
  },
  route(call) {
    if (call.server === "ev" && call.tool === "parrot") return { tool: "echo" }
  },
}
`

let h: HookedProxy
let proxy: Proxy

beforeAll(async () => {
  h = await hookedProxy("alias", PLUGIN)
  proxy = h.proxy
})

afterAll(async () => await h[Symbol.asyncDispose]())

test("a renamed, re-described tool is found and described by its listed name; a hidden one is not", async () => {
  const listed = (await proxy.listTools()).map((t) => t.name)
  expect(listed).toContain("ev__parrot")
  const cat = await proxy.catalog!()
  expect(cat.tools.map((t) => t.name)).toEqual([...listed].sort())
  expect(cat.get("ev__parrot")?.description).toBe("Parrots a message back, word for word")
  expect(cat.get("ev__echo")).toBeUndefined()
  expect(cat.get("ev__get-env")).toBeUndefined()
  expect(cat.route("ev__parrot")?.server).toBe("ev")
  const hits = cat.search("parrot a message word for word").map((h) => h.tool.name)
  expect(hits[0]).toBe("ev__parrot")
  expect(cat.search("environment variables").map((h) => h.tool.name)).not.toContain("ev__get-env")
  // and the listed name is callable (the route hook maps it back)
  const r = (await proxy.callTool("ev__parrot", { message: "hi" }, ctx())) as { content: { text: string }[] }
  expect(r.content[0]!.text).toContain("hi")
}, 30_000)
