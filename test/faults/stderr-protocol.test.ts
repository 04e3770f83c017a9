/**
 * A stdio server that writes its JSON-RPC answers on stderr (some do, by mistake) beside
 * server-memory, through the compiled binary. Before, its start waited for the whole connect timeout
 * (here two minutes: the first tools/list waited on it, and this test timed out) and then failed as a
 * timeout. Now a line on stderr that is the answer to a request of ours in flight fails that start at
 * once, saying the server writes its protocol messages on stderr; the other server's tools are listed.
 * Fixture: test/faults/servers/stderr-protocol-server.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, sandboxEnv, writeConfig, type Connected } from "../helpers/binary.ts"

const SERVER = join(import.meta.dir, "servers", "stderr-protocol-server.ts")
const MEMORY = join(import.meta.dir, "..", "..", "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")
const text = (r: unknown): string => ((r as CallToolResult).content ?? []).map((c) => (c.type === "text" ? c.text : "")).join("")

beforeAll(ensureBuilt, 120_000)

describe.each([
  ["one line", "0"],
  ["pretty-printed", "1"],
])("a stdio server writing its answers on stderr (%s)", (_, pretty) => {
  let c: Connected
  beforeAll(async () => {
    const env = sandboxEnv()
    const servers = {
      wrong: { command: process.execPath, args: [SERVER], env: { STDERR_PRETTY: pretty } },
      both: { command: process.execPath, args: [SERVER], env: { STDERR_PRETTY: pretty, STDERR_ALSO: "1" } },
      mem: { command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: join(env.HOME!, "memory.jsonl") } },
    }
    const cfg = writeConfig(env, { toolkit: { enabled: "off" }, plugins: { enabled: false }, servers, proxy: { firstListWait: 55_000 }, pool: { connectTimeout: 120_000, restartDelay: 600_000 } })
    c = await connectBinary(["serve", "--config", cfg], env)
  }, 60_000)
  afterAll(async () => {
    await c?.close()
  })

  test("a server that only logs its answers on stderr too (and writes them on stdout) starts and is callable", async () => {
    const names = (await c.client.listTools()).tools.map((t) => t.name)
    expect(names).toContain("both__t")
    const r = await c.client.callTool({ name: "both__t", arguments: {} })
    expect(text(r)).not.toContain("stderr")
  }, 30_000)

  test("its start fails at once saying so; the other server's tools are listed and callable", async () => {
    const names = (await c.client.listTools()).tools.map((t) => t.name)
    expect(names).toContain("mem__read_graph")
    expect(text(await c.client.callTool({ name: "mem__read_graph", arguments: {} }))).toContain("entities")
    const r = await c.client.callTool({ name: "call_tool", arguments: { name: "wrong__t", arguments: {} } })
    expect(r.isError).toBe(true)
    expect(text(r)).toContain("server wrong failed to start")
    expect(text(r)).toContain("this server writes its protocol messages on stderr; MCP stdio servers must use stdout")
    expect(text(r)).toContain("Remedy: Fix the server (or its launch options) so that it writes JSON-RPC messages to stdout")
  }, 30_000)
})
