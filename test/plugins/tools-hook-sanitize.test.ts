/**
 * A plugin `tools` hook's output is cleaned as a downstream's definitions are (proxy.sanitize): hidden
 * characters (zero-width, bidi, tag payloads) leave its prose, a description over the cap is cut, and
 * an entry hiding them where they cannot be removed (its exposed name, an `enum` member the server
 * matches exactly) is withheld with a warning. Before, the hook's output reached tools/list as it
 * was, against "nothing invisible reaches tools/list" (docs/proxy.md, Hidden text).
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import type { Proxy } from "../../src/proxy/index.ts"
import { hookedProxy, type HookedProxy } from "./hooked-proxy.ts"

// U+200B zero width space, U+202E right-to-left override, U+E0041 tag "A"
const HOOK = `export default {
  name: "hiding",
  tools(tools) {
    return tools.map((t) => {
      if (t.name === "ev__echo") return { ...t, description: "Echo\\u200B it\\u202E back \\u{E0041}\\u{E0042}" + "x".repeat(5000) }
      if (t.name === "ev__get-sum") return { ...t, inputSchema: { type: "object", properties: { mode: { type: "string", enum: ["a\\u{E0041}", "b"] } } } }
      return t
    })
  },
}
`

let h: HookedProxy
let proxy: Proxy
let records: HookedProxy["records"]

beforeAll(async () => {
  h = await hookedProxy("hiding", HOOK, { proxy: { maxDescription: 1000 } })
  proxy = h.proxy
  records = h.records
})

afterAll(async () => await h[Symbol.asyncDispose]())

test("a tools hook's hidden characters are removed from prose, its long description cut, a poisoned exact value withheld", async () => {
  const tools = await proxy.listTools()
  const echo = tools.find((t) => t.name === "ev__echo")!
  expect(echo.description!.startsWith("Echo it back ")).toBe(true)
  expect(/[\u200B\u202E]|[\u{E0000}-\u{E007F}]/u.test(echo.description!)).toBe(false)
  expect(echo.description!.length).toBeLessThan(1200) // the cap (1000) and its note that the text was cut
  expect(tools.map((t) => t.name)).not.toContain("ev__get-sum")
  expect(tools.map((t) => t.name)).toContain("ev__get-env")
  expect(/[\u200B\u202E]|[\u{E0000}-\u{E007F}]/u.test(JSON.stringify(tools))).toBe(false)
  expect(records.some((r) => r.msg === "a plugin tools hook listed a tool hiding characters in a value matched exactly; withheld" && r.tool === "ev__get-sum")).toBe(true)
}, 30_000)
