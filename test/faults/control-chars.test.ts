/**
 * A stdio downstream that writes raw control characters in its JSON lines (a NUL or a tab copied into
 * a string unescaped, a NUL after the object: servers written by hand or over C strings), through the
 * compiled binary with the SDK (v1) Client, next to the real server-memory. `JSON.parse` refuses such
 * a line, and it used to be dropped as noise: a tools/list answered so left the server with no tools
 * in the first answer (Cursor never lists again), a tools/call waited out its whole timeout. Now the
 * line is read with its control characters escaped in strings and dropped between values
 * (core/json-controls): the first list holds every tool, each call answers at once.
 * Fixture: test/faults/servers/control-chars-server.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, sandboxEnv, writeConfig, type Connected } from "../helpers/binary.ts"

const SERVER = join(import.meta.dir, "servers", "control-chars-server.ts")
const MEMORY = join(import.meta.dir, "..", "..", "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")
const text = (r: unknown): string => ((r as CallToolResult).content ?? []).map((c) => (c.type === "text" ? c.text : "")).join("")

beforeAll(ensureBuilt, 120_000)

describe("raw control characters in a downstream's lines", () => {
  let c: Connected
  let first: string[]
  beforeAll(async () => {
    const env = sandboxEnv()
    const servers = {
      ctl: { command: process.execPath, args: [SERVER] },
      mem: { command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: join(env.HOME!, "memory.jsonl") } },
    }
    const cfg = writeConfig(env, { toolkit: { enabled: "off" }, plugins: { enabled: false }, servers, pool: { callTimeout: 20_000 } })
    c = await connectBinary(["serve", "--config", cfg], env)
    // one list, as Cursor: it never lists again
    first = (await c.client.listTools()).tools.map((t) => t.name)
  }, 60_000)
  afterAll(async () => {
    await c?.close()
  })

  test("a tools/list with raw control characters in its descriptions is in the first answer", () => {
    expect(first).toEqual(expect.arrayContaining(["ctl__nul_inside", "ctl__nul_after", "ctl__fine", "mem__read_graph"]))
  })

  test("a result with a raw NUL in a string, or after the object, answers its call at once", async () => {
    const inside = (await c.client.callTool({ name: "ctl__nul_inside", arguments: {} }, undefined, { timeout: 25_000 })) as CallToolResult
    expect(inside.isError).toBeFalsy()
    expect(text(inside).replace(/\u0000/g, "")).toBe("ab")
    const after = (await c.client.callTool({ name: "ctl__nul_after", arguments: {} }, undefined, { timeout: 25_000 })) as CallToolResult
    expect(after.isError).toBeFalsy()
    expect(text(after)).toBe("after")
    expect(text(await c.client.callTool({ name: "mem__read_graph", arguments: {} }))).toContain("entities")
  }, 60_000)
})
