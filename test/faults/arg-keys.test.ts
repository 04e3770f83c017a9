/**
 * Argument names a model API refuses (catalog/arg-keys): Anthropic's API refuses the whole request
 * when one tool's top-level `input_schema.properties` key does not match `^[a-zA-Z0-9_.-]{1,64}$`,
 * so one OpenAPI-generated server (Twilio's `StartTime<`) lost every tool of every server for a
 * Claude-backed client. Through the compiled binary, with the SDK v1 Client and the SDK v2 Client
 * pinned to 2026-07-28, a raw downstream (servers/arg-keys-server.ts) beside server-memory: every
 * exposed tool's argument names are valid, `required` names only them, and a call with the exposed
 * names reaches the server with its own.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { Client as ClientV2 } from "@modelcontextprotocol/client"
import { StdioClientTransport as StdioV2 } from "@modelcontextprotocol/client/stdio"
import { BIN, beside, ensureBuilt, resultText, sandboxEnv, writeConfig, type Connected } from "../helpers/binary.ts"
const LONG = "x".repeat(80)

const SERVER = join(import.meta.dir, "servers", "arg-keys-server.ts")
const VALID = /^[a-zA-Z0-9_.-]{1,64}$/

type Tool = { name: string; inputSchema: { properties?: Record<string, unknown>; required?: string[] } }

/** What a model API would refuse in a list: a top-level key, or a required name that is no property. */
function refused(tools: Tool[]): string[] {
  return tools.flatMap((t) => {
    const props = Object.keys(t.inputSchema.properties ?? {})
    return [...props.filter((k) => !VALID.test(k)).map((k) => `${t.name}: ${k}`), ...(t.inputSchema.required ?? []).filter((n) => !props.includes(n)).map((n) => `${t.name}: required ${n}`)]
  })
}

type Call = (name: string, args: Record<string, unknown>) => Promise<unknown>

function checks(label: string, list: () => Promise<Tool[]>, call: () => Call): void {
  test(`${label}: every argument name is one a model API takes; the server's other tools and its neighbour's stay`, async () => {
    const tools = await list()
    expect(refused(tools)).toEqual([])
    const t = tools.find((x) => x.name === "keys__list_calls")!
    const keys = Object.keys(t.inputSchema.properties!)
    expect(keys.length).toBe(8)
    expect(keys).toContain("StartTime_") // the first of the pair keeps the plain form
    expect(keys).toContain("a_b") // a valid key keeps its name; "a b" gets a suffix
    expect(keys).toContain("user_name")
    expect(keys).toContain("ok.key")
    expect(t.inputSchema.required!.length).toBe(3)
    expect(tools.map((x) => x.name)).toEqual(expect.arrayContaining(["keys__plain", "mem__read_graph"]))
  })

  test(`${label}: a call with the exposed names reaches the server with its own`, async () => {
    const t = (await list()).find((x) => x.name === "keys__list_calls")!
    const keys = Object.keys(t.inputSchema.properties!)
    const args = Object.fromEntries(keys.map((k, i) => [k, `v${i}`]))
    const got = JSON.parse(resultText(await call()("keys__list_calls", args))) as Record<string, string>
    expect(Object.keys(got).sort()).toEqual(["StartTime<", "StartTime>", "user name", "検索", LONG, "a_b", "a b", "ok.key"].sort())
    expect(Object.values(got).sort()).toEqual(Object.values(args).sort())
    expect(JSON.parse(resultText(await call()("keys__plain", { q: "x" })))).toEqual({ q: "x" })
  })
}

let v1: Connected
let v2: ClientV2
beforeAll(async () => {
  await ensureBuilt()
  ;({ c: v1 } = await beside({ keys: { command: process.execPath, args: [SERVER] } }))
  const env = sandboxEnv()
  const cfg = writeConfig(env, { toolkit: { enabled: "off" }, plugins: { enabled: false }, servers: { keys: { command: process.execPath, args: [SERVER] }, mem: { command: process.execPath, args: [join(import.meta.dir, "..", "..", "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")], env: { MEMORY_FILE_PATH: join(env.HOME!, "m.jsonl") } } } })
  v2 = new ClientV2({ name: "v2-test", version: "1.0.0" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } })
  await v2.connect(new StdioV2({ command: BIN, args: ["serve", "--config", cfg], env, stderr: "ignore" }))
}, 60_000)
afterAll(async () => {
  await v1?.close()
  await v2?.close()
})

describe("SDK v1 client", () => {
  checks("v1", async () => (await v1.client.listTools()).tools as unknown as Tool[], () => (name, args) => v1.client.callTool({ name, arguments: args }))
})

describe("SDK v2 client pinned to 2026-07-28", () => {
  checks("v2", async () => (await v2.listTools()).tools as unknown as Tool[], () => (name, args) => v2.callTool({ name, arguments: args }))
})
