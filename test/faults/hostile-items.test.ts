/**
 * Hostile items beside good ones never blank the rest, through the compiled binary with the SDK v1
 * Client and the SDK v2 client pinned to 2026-07-28 (servers/hostile-items-server.ts, a raw
 * JSON-RPC downstream, next to server-everything):
 * - icons whose `src` is a `javascript:`/`vbscript:`/`file:` URL or a `data:text/html` page are
 *   removed (on tools, prompts, resources and templates), the https and data:image ones kept, a
 *   status entry naming the schemes (they went to every client's UI as they came);
 * - a schema with a keyword too wide for the engines clients compile it with (5 000 properties, an
 *   anyOf of 1 500 branches: Ajv overflows its stack past ~2 100) stays listed with any arguments
 *   (input) or without it (output), saying why, while 1 500 `$defs` stay as they are (they passed on
 *   whole and clients that compile tool schemas refused the tool, or the server's list);
 * - a result without `content` (only `structuredContent`, `{}`, a large one kept as its bytes) gets
 *   one: the v2 client pinned to 2026-07-28 refused the whole answer ("Invalid result for
 *   tools/call: content: expected array") and the call failed with no server named;
 * - a tool result over `proxy.maxMessageBytes` is a tool error for every client, also when its
 *   first key is not `content` (`isError`, a 2026-07-28 `resultType`): it was a JSON-RPC error then.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { Client as ClientV2 } from "@modelcontextprotocol/client"
import { StdioClientTransport as StdioV2 } from "@modelcontextprotocol/client/stdio"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { compileError } from "../helpers/schema-engines.ts"
import { BIN, connectBinary, ensureBuilt, listUntil, ROOT, sandboxEnv, writeConfig, type Connected } from "../helpers/binary.ts"
import { BIG_STRUCTURED, SAFE_ICONS, TOOLS } from "./servers/hostile-items-server.ts"

const SERVER = join(import.meta.dir, "servers", "hostile-items-server.ts")
const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const NOT_PASSED = /^The server's schema for these arguments was not passed on \(inputSchema\/.* has [\d,]+ entries, over the 1,000 one keyword may have/

interface Row {
  name: string
  repaired?: { kind: string; name: string; why: string }[]
  dropped?: { kind: string; name: string; why: string }[]
}
type Tool = { name: string; inputSchema: Record<string, unknown>; outputSchema?: Record<string, unknown>; icons?: unknown[] }
type Lister = {
  listTools(): Promise<{ tools: unknown[] }>
  listPrompts(): Promise<{ prompts: unknown[] }>
  listResources(): Promise<{ resources: unknown[] }>
  listResourceTemplates(): Promise<{ resourceTemplates: unknown[] }>
  callTool(p: { name: string; arguments: Record<string, unknown> }): Promise<unknown>
}

let env: Record<string, string>
let cfg: string
let c: Connected

beforeAll(async () => {
  await ensureBuilt()
  env = sandboxEnv()
  const servers = { hi: { command: process.execPath, args: [SERVER] }, ev: { command: process.execPath, args: [EVERYTHING, "stdio"] } }
  // answers over 1 MiB are replaced (proxy.maxMessageBytes: 8 MiB by default)
  cfg = writeConfig(env, { toolkit: { enabled: "off" }, plugins: { enabled: false }, proxy: { maxMessageBytes: 1024 * 1024 }, servers, warm: ["hi", "ev"] })
  c = await connectBinary(["serve", "--config", cfg], env)
  await listUntil(c.client, "hi__good")
  await listUntil(c.client, "ev__echo")
}, 60_000)
afterAll(async () => await c?.close())

async function row(client: Lister): Promise<Row> {
  const r = (await client.callTool({ name: "orchestrator_status", arguments: {} })) as CallToolResult
  return (r.structuredContent as { servers: Row[] }).servers.find((s) => s.name === "hi")!
}

async function checks(client: Lister): Promise<void> {
  const tools = (await client.listTools()).tools as Tool[]
  const mine = tools.filter((t) => t.name.startsWith("hi__"))
  // every tool of the hostile server is listed, and every tool of the other server
  expect(mine.map((t) => t.name).sort()).toEqual(TOOLS.map((t) => `hi__${(t as { name: string }).name}`).sort())
  expect(tools.filter((t) => t.name.startsWith("ev__")).length).toBeGreaterThan(5)
  const by = (n: string): Tool => mine.find((t) => t.name === `hi__${n}`)!

  // icons: the https and data:image ones only, everywhere
  expect(by("icons").icons).toEqual(SAFE_ICONS)
  expect(by("only_unsafe_icons").icons).toBeUndefined()
  const prompt = ((await client.listPrompts()).prompts as { name: string; icons?: unknown }[]).find((p) => p.name === "hi__prompt_icons")
  expect(prompt?.icons).toEqual(SAFE_ICONS)
  const resource = ((await client.listResources()).resources as { uri: string; icons?: unknown }[]).find((r) => r.uri === "hostile://icons")
  expect(resource?.icons).toEqual(SAFE_ICONS)
  const template = ((await client.listResourceTemplates()).resourceTemplates as { uriTemplate: string; icons?: unknown }[]).find((t) => t.uriTemplate === "hostile://t/{id}")
  expect(template?.icons).toEqual(SAFE_ICONS)
  expect(JSON.stringify(tools.map((t) => t.icons ?? []))).not.toMatch(/javascript:|vbscript:|file:|text\/html/i)

  // too wide for the engines: any arguments, saying why; $defs are not compiled in line
  for (const n of ["wide_properties", "wide_any_of"]) {
    expect(by(n).inputSchema.type).toBe("object")
    expect(by(n).inputSchema.properties).toBeUndefined()
    expect(String(by(n).inputSchema.description)).toMatch(NOT_PASSED)
  }
  expect(by("wide_output").outputSchema).toBeUndefined()
  expect(Object.keys(by("wide_defs").inputSchema.properties as object)).toEqual(["x"])
  // every schema a client gets compiles in the engines clients run
  for (const t of tools)
    for (const engine of ["draft-07", "2020-12"] as const) {
      expect({ tool: t.name, engine, input: compileError(engine, t.inputSchema) }).toEqual({ tool: t.name, engine, input: undefined })
      if (t.outputSchema) expect({ tool: t.name, engine, output: compileError(engine, t.outputSchema) }).toEqual({ tool: t.name, engine, output: undefined })
    }

  // results without content get one
  const structured = (await client.callTool({ name: "hi__structured_only", arguments: {} })) as CallToolResult
  expect(structured.content).toEqual([{ type: "text", text: '{"n":7}' }])
  expect(structured.structuredContent).toEqual({ n: 7 })
  const empty = (await client.callTool({ name: "hi__empty_result", arguments: {} })) as CallToolResult
  expect(empty.content).toEqual([])
  expect(empty.isError).toBeUndefined()
  const large = (await client.callTool({ name: "hi__large_structured_only", arguments: {} })) as CallToolResult
  expect(large.structuredContent).toEqual(BIG_STRUCTURED)
  expect(JSON.parse((large.content[0] as { text: string }).text)).toEqual(BIG_STRUCTURED)

  // a result over the client's message limit is a tool error the model reads, whatever key it begins with
  const huge = (await client.callTool({ name: "hi__huge_late_content", arguments: {} })) as CallToolResult
  expect(huge.isError).toBe(true)
  expect((huge.content[0] as { text: string }).text).toMatch(/^The tool's result was not sent: the answer of server hi to tools\/call \(tool hi__huge_late_content\) is 2\.0 MiB of JSON, over the 1\.0 MiB/)

  // the rest stays callable
  for (const n of ["good", "icons", "wide_properties", "wide_any_of", "wide_output", "wide_defs"])
    expect(((await client.callTool({ name: `hi__${n}`, arguments: { x: "1" } })) as CallToolResult).content).toEqual([{ type: "text", text: `called ${n}` }])
  expect(((await client.callTool({ name: "ev__echo", arguments: { message: "hi" } })) as CallToolResult).content).toEqual([{ type: "text", text: "Echo: hi" }])
}

describe("hostile items beside good ones", () => {
  test("SDK v1 client: the rest is listed and callable; icons, wide schemas and results without content repaired", async () => {
    await checks(c.client as unknown as Lister)
  }, 60_000)

  test("status and log say what was repaired", async () => {
    const r = await row(c.client as unknown as Lister)
    const why = (kind: string, name: string): string => (r.repaired ?? []).filter((x) => x.kind === kind && x.name === name).map((x) => x.why).join("; ")
    expect(why("tool", "icons")).toBe("icons removed: a javascript: URL, a vbscript: URL, a file: URL, a data: URI of \"text/html\" (an icon must be an https: or http: URL or a data:image/ URI)")
    for (const [kind, name] of [["prompt", "prompt_icons"], ["resource", "hostile://icons"], ["template", "hostile://t/{id}"]]) expect(why(kind!, name!)).toContain("icons removed: a javascript: URL")
    expect(why("tool", "wide_properties")).toContain("inputSchema/properties has 5,000 entries, over the 1,000 one keyword may have: compiling it overflows the stack")
    expect(why("tool", "wide_any_of")).toContain("inputSchema/properties/x/anyOf has 1,500 entries")
    expect(why("tool", "wide_output")).toContain("outputSchema/properties has 3,000 entries")
    expect(why("tool", "wide_output")).toContain("outputSchema removed")
    expect(why("tool", "wide_defs")).toBe("")
    expect(r.dropped ?? []).toEqual([])
    // once per server and tool
    const warned = c.stderr().split("\n").filter((l) => l.includes("tool result without content") && l.includes('"server":"hi"'))
    expect(warned.filter((l) => l.includes('"tool":"structured_only"')).length).toBe(1)
  })
})

describe("SDK v2 client pinned to 2026-07-28", () => {
  let client: ClientV2
  beforeAll(async () => {
    client = new ClientV2({ name: "v2-test", version: "1.0.0" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } })
    await client.connect(new StdioV2({ command: BIN, args: ["serve", "--config", cfg], env, stderr: "ignore" }))
    for (let i = 0; i < 200; i++) {
      const names = (await client.listTools()).tools.map((t) => t.name)
      if (names.includes("hi__good") && names.includes("ev__echo")) break
      await Bun.sleep(50)
    }
  }, 60_000)
  afterAll(async () => await client?.close())

  test("the rest is listed and callable; results without content accepted", async () => {
    await checks(client as unknown as Lister)
  }, 60_000)
})
