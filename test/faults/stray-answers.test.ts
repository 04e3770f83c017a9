/**
 * Answers a stdio downstream gives with an id no request of ours has, through the compiled binary with
 * the SDK (v1) Client (test/fixtures/servers/stray-answers-server.ts), next to the real
 * server-memory. Before, every such answer was dropped without a word and the call it was meant for
 * waited out its whole timeout (60 s by default):
 * - the right id as a string ("7" for 7) fails that call at once with BAD_RESPONSE saying so, and so
 *   does a tools/list answered that way (a counted failure naming it, not a silent wait);
 * - an error with id null (a request the server could not read) fails the only request in flight
 *   with the server's error named;
 * - answers to ids never sent are warned about (once, not once each), the call they follow is fine;
 * - the other server is listed and callable throughout.
 * The call timeout is 20 s: without the fix those calls end in TIMEOUT, not BAD_RESPONSE.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { until } from "../proxy/helpers.ts"

const SERVER = join(import.meta.dir, "..", "fixtures", "servers", "stray-answers-server.ts")
const MEMORY = join(import.meta.dir, "..", "..", "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")
const text = (r: unknown): string => ((r as CallToolResult).content ?? []).map((c) => (c.type === "text" ? c.text : "")).join("")

interface Row {
  name: string
  failures: number
  lastError?: string
}

beforeAll(ensureBuilt, 120_000)

describe("answers with an id no request has", () => {
  let c: Connected
  beforeAll(async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "config.json")
    const servers = {
      stray: { command: process.execPath, args: [SERVER] },
      listing: { command: process.execPath, args: [SERVER, "--list-string-id"] },
      mem: { command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: join(env.HOME!, "memory.jsonl") } },
    }
    writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, servers, warm: Object.keys(servers), pool: { callTimeout: 20_000, restartDelay: 200, restartDelayMax: 400 } }))
    c = await connectBinary(["serve", "--config", cfg], env)
    expect(await until(async () => (await c.client.listTools()).tools.some((t) => t.name === "mem__read_graph") && (await c.client.listTools()).tools.some((t) => t.name === "stray__fine"), 20_000)).toBe(true)
  }, 60_000)
  afterAll(async () => {
    await c?.close()
  })

  test("the right id as a string fails that call with BAD_RESPONSE saying so, not a timeout", async () => {
    const r = (await c.client.callTool({ name: "stray__string_id", arguments: {} }, undefined, { timeout: 25_000 })) as CallToolResult
    expect(r.isError).toBe(true)
    expect(text(r)).toContain("[BAD_RESPONSE] server stray: its answer to tools/call is not valid MCP (tool string_id)")
    expect(text(r)).toMatch(/came with the id "\d+" \(a string\), not \d+/)
    expect(text(r)).not.toContain("TIMEOUT")
  }, 30_000)

  test("an error with id null fails the one request in flight with the server's error named", async () => {
    const r = (await c.client.callTool({ name: "stray__unreadable", arguments: {} }, undefined, { timeout: 25_000 })) as CallToolResult
    expect(r.isError).toBe(true)
    expect(text(r)).toContain("(tool unreadable)")
    expect(text(r)).toContain("an error with id null: -32700 Parse error")
    expect(text(r)).not.toContain("TIMEOUT")
  }, 30_000)

  test("answers to ids never sent are warned about once; the call and the server go on", async () => {
    for (let i = 0; i < 3; i++) expect(text(await c.client.callTool({ name: "stray__doubled", arguments: {} }))).toBe("called doubled")
    expect(text(await c.client.callTool({ name: "stray__fine", arguments: {} }))).toBe("called fine")
    expect(await until(() => c.stderr().includes("downstream answer to no request dropped"), 15_000)).toBe(true)
    const warned = c.stderr().split("\n").filter((l) => l.includes("downstream answer to no request dropped"))
    // six stray answers so far: warned at the first only (then at the 10th, 100th…)
    expect(warned.length).toBe(1)
    expect(warned[0]).toContain('"component":"pool:stray"')
    expect(warned[0]).toContain("an answer with id 99999, which is no request of ours")
  }, 30_000)

  test("a tools/list answered with a string id is a counted failure naming it; the other server stands", async () => {
    const listing = async () => ((await c.client.callTool({ name: "orchestrator_status", arguments: {} })).structuredContent as { servers: Row[] }).servers.find((s) => s.name === "listing")
    expect(await until(async () => /came with the id "\d+" \(a string\)/.test((await listing())?.lastError ?? ""), 15_000)).toBe(true)
    expect((await listing())!.failures).toBeGreaterThanOrEqual(1)
    const names = (await c.client.listTools()).tools.map((t) => t.name)
    expect(names.some((n) => n.startsWith("listing__"))).toBe(false)
    expect(names).toContain("mem__create_entities")
    expect(text(await c.client.callTool({ name: "mem__read_graph", arguments: {} }))).toContain("entities")
  }, 30_000)
})
