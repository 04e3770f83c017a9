/**
 * Regression (QA 246): a plugin `tools` hook could list a tool with an `outputSchema` its server
 * never follows (added to `echo`, or changed on a tool that has one, or made up for an alias). The
 * client checks every result against the schema it was listed with: the SDK `Client.callTool` threw
 * ("has an output schema but did not return structured content", "Structured content does not match
 * the tool's output schema") on every call of the tool, the model getting nothing. An entry named
 * as a server's tool is now listed with that tool's own outputSchema (or none), an alias keeps one
 * only when a server's tool declares it (copied from the tool it renames), each change warned.
 * Same class: `execution.taskSupport: "required"` on a plain tool made the SDK client refuse to
 * call it ("requires task-based execution"); it is left out, as it is of a server's definition.
 * Real pieces: the compiled binary serving server-everything, one plugin file, the SDK Client.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ConfigSchema } from "../../src/config/index.ts"
import { registerConfigSecrets } from "../../src/core/index.ts"
import { PluginHost } from "../../src/plugin/index.ts"
import { createProxy } from "../../src/proxy/index.ts"
import type { Connected } from "../helpers/binary.ts"
import { servePlugin } from "../helpers/plugin-serve.ts"
import { captureLog } from "../proxy/helpers.ts"
import { secretsRestoredAfterFile } from "../helpers/secrets.ts"

// the values registered here (by hand or by what runs: configured headers) are not left for later files
secretsRestoredAfterFile()

const INVENTED = { type: "object", properties: { x: { type: "number" } }, required: ["x"] }

const HOOK = `export default {
  name: "schemas",
  tools(tools) {
    const out = tools.map((t) => {
      if (t.name === "everything__echo") return { ...t, outputSchema: ${JSON.stringify(INVENTED)} }
      if (t.name === "everything__get-structured-content") return { ...t, outputSchema: { type: "object", properties: { q: { type: "string" } }, required: ["q"] } }
      if (t.name === "everything__get-sum") return { ...t, execution: { taskSupport: "required" } }
      return t
    })
    const weather = tools.find((t) => t.name === "everything__get-structured-content")
    const echo = tools.find((t) => t.name === "everything__echo")
    // aliases the route hook maps back: one with the schema of the tool it renames, one with a made-up schema
    out.push({ ...weather, name: "everything__weather" })
    out.push({ ...echo, name: "everything__say", outputSchema: ${JSON.stringify(INVENTED)} })
    return out
  },
  route(call) {
    if (call.tool === "weather") return { tool: "get-structured-content" }
    if (call.tool === "say") return { tool: "echo" }
    return undefined
  },
}
`

let c: Connected

beforeAll(async () => {
  c = (await servePlugin("schemas.js", HOOK)).c
}, 60_000)

afterAll(async () => await c?.close())

test("a tool a hook gave an outputSchema its server does not follow is listed without it, and calls of it succeed in the SDK client", async () => {
  const tools = (await c.client.listTools()).tools
  const echo = tools.find((t) => t.name === "everything__echo")!
  expect(echo).toBeDefined()
  expect(echo.outputSchema).toBeUndefined()
  // before: McpError -32600 "Tool everything__echo has an output schema but did not return structured content"
  const r = await c.client.callTool({ name: "everything__echo", arguments: { message: "hi" } })
  expect(JSON.stringify(r.content)).toContain("Echo: hi")
  expect(c.stderr()).toContain("a plugin tools hook listed a tool promising what its server does not answer; that part is not listed")
}, 30_000)

test("a changed outputSchema is replaced by the server's own: the structured result is accepted", async () => {
  const tools = (await c.client.listTools()).tools
  const weather = tools.find((t) => t.name === "everything__get-structured-content")!
  expect(Object.keys((weather.outputSchema as { properties: object }).properties)).toContain("temperature")
  // before: McpError -32602 "Structured content does not match the tool's output schema: data must have required property 'q'"
  const r = await c.client.callTool({ name: "everything__get-structured-content", arguments: { location: "New York" } })
  expect(r.structuredContent).toHaveProperty("temperature")
}, 30_000)

test("an alias keeps the outputSchema of the tool it renames, and loses one no server's tool declares", async () => {
  const tools = (await c.client.listTools()).tools
  const alias = tools.find((t) => t.name === "everything__weather")!
  expect(Object.keys((alias.outputSchema as { properties: object }).properties)).toContain("temperature")
  const r = await c.client.callTool({ name: "everything__weather", arguments: { location: "Chicago" } })
  expect(r.structuredContent).toHaveProperty("temperature")
  const say = tools.find((t) => t.name === "everything__say")!
  expect(say).toBeDefined()
  expect(say.outputSchema).toBeUndefined()
  const s = await c.client.callTool({ name: "everything__say", arguments: { message: "yo" } })
  expect(JSON.stringify(s.content)).toContain("Echo: yo")
}, 30_000)

test("a hook marking a plain tool as task-required: listed without it, and a plain call of it succeeds", async () => {
  const tools = (await c.client.listTools()).tools
  const sum = tools.find((t) => t.name === "everything__get-sum")!
  expect(sum.execution?.taskSupport).toBeUndefined()
  // before: McpError -32600 'Tool "everything__get-sum" requires task-based execution'
  const r = await c.client.callTool({ name: "everything__get-sum", arguments: { a: 1, b: 2 } })
  expect(JSON.stringify(r.content)).toContain("3")
}, 30_000)

describe("a tool named after a configured value (its name masked in the hook's input)", () => {
  // in-process: the proxy with the plugin host, a real SDK server whose tool `count_<key>` has an outputSchema
  const FIXTURE = join(import.meta.dir, "..", "faults", "servers", "keyed-resource-server.ts")
  const KEY = `keyedS${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`

  test("kept as it came (`return tools`), it keeps its server's outputSchema, with no warning", async () => {
    const { log, records } = captureLog()
    const dir = mkdtempSync(join(tmpdir(), "mcpo-hook-served-"))
    writeFileSync(join(dir, "keep.js"), `export default { name: "keep", tools(tools) { return tools } }`)
    const raw = { toolkit: { enabled: "off" }, servers: { keyed: { command: process.execPath, args: [FIXTURE], env: { KEYED_API_KEY: KEY, KEYED_OUTPUT: "1" } } } }
    registerConfigSecrets(raw, "config-hook-served")
    const parsed = ConfigSchema.parse(raw)
    await using host = await PluginHost.create({ dirs: [dir], log, separator: parsed.proxy.separator })
    await using proxy = createProxy({ config: parsed, log, hooks: host.proxyHooks(), closeGraceMs: 300 })
    const count = (await proxy.listTools()).find((t) => t.name.startsWith("keyed__count_"))
    expect(count).toBeDefined()
    // before the listed names were used: the hook's entry (its name unmasked) found no server's schema and lost it
    expect(count!.outputSchema).toMatchObject({ type: "object", properties: { rows: { type: "number" } } })
    expect(records.filter((r) => String(r.msg).startsWith("a plugin tools hook listed a tool promising"))).toEqual([])
  }, 30_000)
})
