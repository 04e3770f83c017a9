/**
 * A stdio downstream of MCP 2025-03-26 that answers in JSON-RPC batches (servers/batch-server.ts:
 * every answer inside a JSON array on one line, with notifications beside it), through the compiled
 * binary with the SDK (v1) Client, next to the real server-memory. That revision says a client
 * "MUST support receiving JSON-RPC batches"; before, each such line was skipped as noise: the
 * server's `initialize` waited out pool.connectTimeout, it never started, and its tools were in no
 * answer. Now each message of a batch is read as if on its own line:
 * - the client's one tools/list holds both servers' tools;
 * - a call is answered, its progress notification (after the answer, in the same batch) harmless;
 * - an item that is no message is reported, the answer beside it still read;
 * - the binary exits promptly when its stdin ends.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, isAlive, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

const SERVER = join(import.meta.dir, "servers", "batch-server.ts")
const MEMORY = join(import.meta.dir, "..", "..", "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")
const text = (r: unknown): string => ((r as CallToolResult).content ?? []).map((c) => (c.type === "text" ? c.text : "")).join("")

beforeAll(ensureBuilt, 120_000)

describe("a downstream answering in JSON-RPC batches", () => {
  let c: Connected
  let first: string[] = []
  beforeAll(async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "config.json")
    const servers = {
      batched: { command: process.execPath, args: [SERVER] },
      mem: { command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: join(env.HOME!, "memory.jsonl") } },
    }
    // a connect timeout longer than the first list's wait: without batches read, the server is still "starting" then
    writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, servers, warm: Object.keys(servers), pool: { connectTimeout: 60_000 } }))
    c = await connectBinary(["serve", "--config", cfg], env)
    // as Cursor: one tools/list, kept for the session
    first = (await c.client.listTools()).tools.map((t) => t.name)
  }, 90_000)
  afterAll(async () => {
    await c?.close()
  })

  test("the client's one tools/list holds its tools and the other server's", () => {
    expect(first).toContain("batched__echo")
    expect(first).toContain("batched__odd")
    expect(first).toContain("mem__read_graph")
  })

  test("a call is answered; the progress notification after the answer in its batch does no harm", async () => {
    const r = await c.client.callTool({ name: "batched__echo", arguments: { text: "hi" } }, undefined, { onprogress: () => {} })
    expect(text(r)).toBe("echo hi")
    expect(text(await c.client.callTool({ name: "batched__echo", arguments: { text: "again" } }))).toBe("echo again")
  })

  test("an item that is no message is reported; the answer beside it is read", async () => {
    expect(text(await c.client.callTool({ name: "batched__odd", arguments: {} }))).toBe("odd")
    await waitFor("the stray item reported", () => c.stderr().includes("non-JSON line on downstream stdout skipped"))
  })

  test("the binary exits promptly when its stdin ends", async () => {
    const pid = c.pid!
    await c.close()
    await waitFor("the binary to exit", () => !isAlive(pid), 10_000)
  })
})
