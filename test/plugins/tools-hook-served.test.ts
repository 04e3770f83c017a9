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
import { afterAll, beforeAll, expect, test } from "bun:test"
import type { Connected } from "../helpers/binary.ts"
import { servePlugin } from "../helpers/plugin-serve.ts"

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
