/**
 * Regression (QA qa239): argument names a model API refuses (Anthropic's: top-level property keys
 * outside `^[a-zA-Z0-9_.-]{1,64}$`) were exposed under valid names for a downstream's tools only
 * (catalog/arg-keys), not for a tool a plugin's tools hook re-describes: one such plugin tool and a
 * Claude-backed client lost every tool at every turn. A hook's entries now get the same renaming,
 * and a call with the exposed names reaches the plugin's route hook with the names it listed. A key
 * with no Latin letter or digit (`検索`) is named after its `title`, else its `description`'s first
 * words, else `arg_<n>` by position (not `arg` + a hash: the model reads what it is for).
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { argKeys } from "../../src/catalog/arg-keys.ts"
import type { Proxy } from "../../src/proxy/index.ts"
import { ctx } from "../proxy/helpers.ts"
import { hookedProxy, type HookedProxy } from "./hooked-proxy.ts"

const VALID = /^[a-zA-Z0-9_.-]{1,64}$/

const HOOK = `export default {
  name: "cjk-args",
  tools(tools) {
    return tools.map((t) => t.name !== "ev__echo" ? t : {
      ...t,
      inputSchema: { type: "object", properties: { "メッセージ": { type: "string", title: "Message text" }, "user name": { type: "string" } }, required: ["メッセージ"] },
    })
  },
  route(call) {
    if (call.tool !== "echo") return undefined
    return { args: { message: call.args["メッセージ"] + "/" + call.args["user name"] } }
  },
}
`

let h: HookedProxy
let proxy: Proxy

beforeAll(async () => {
  h = await hookedProxy("cjk-args", HOOK)
  proxy = h.proxy
})

afterAll(async () => await h[Symbol.asyncDispose]())

test("a tools hook's argument names a model API refuses are exposed under valid ones, and a call gets the hook's names back", async () => {
  const tools = await proxy.listTools()
  const bad = tools.flatMap((t) => Object.keys((t.inputSchema.properties ?? {}) as object).filter((k) => !VALID.test(k)).map((k) => `${t.name}: ${k}`))
  expect(bad).toEqual([])
  const echo = tools.find((t) => t.name === "ev__echo")!
  expect(Object.keys(echo.inputSchema.properties as object)).toEqual(["message_text", "user_name"])
  expect(echo.inputSchema.required).toEqual(["message_text"])
  const r = await proxy.callTool("ev__echo", { message_text: "hi", user_name: "ann" }, ctx())
  expect(JSON.stringify(r.content)).toContain("hi/ann")
}, 30_000)

test("a key with no Latin letter or digit is named after its title, its description, else its position; the same names every time", () => {
  const s = { type: "string" }
  const schema = { type: "object", properties: { q: s, 検索: { ...s, title: "検索" , description: "Search query text here" }, 場所: { ...s, title: "Place" }, 番号: s, 名前: s } }
  const keys = argKeys(schema)!
  expect([...keys]).toEqual([
    ["検索", "search_query_text"],
    ["場所", "place"],
    ["番号", "arg_4"],
    ["名前", "arg_5"],
  ])
  expect([...argKeys(structuredClone(schema))!]).toEqual([...keys])
})
