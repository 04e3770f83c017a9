/**
 * A stdio downstream that writes noise without a line break before its answers (a status, a terminal
 * escape, a progress counter written with `write`), through the compiled binary with the SDK (v1)
 * Client (test/fixtures/servers/noisy-server.ts), next to the real server-memory. Before, each such
 * line was skipped whole as non-JSON: the era probe and `initialize` went unanswered (the start failed
 * at pool.connectTimeout, every time) and a call waited out its timeout. Now the message at the end
 * of the line is read and the noise before it reported.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, sandboxEnv, type Connected } from "../helpers/binary.ts"

const SERVER = join(import.meta.dir, "..", "fixtures", "servers", "noisy-server.ts")
const MEMORY = join(import.meta.dir, "..", "..", "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")
const text = (r: unknown): string => ((r as CallToolResult).content ?? []).map((c) => (c.type === "text" ? c.text : "")).join("")

beforeAll(ensureBuilt, 120_000)

describe("answers after noise on the same line", () => {
  let c: Connected
  beforeAll(async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "config.json")
    const servers = {
      noisy: { command: process.execPath, args: [SERVER] },
      mem: { command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: join(env.HOME!, "memory.jsonl") } },
    }
    // the first list waits for both (listWait well past their start); a start that failed is not waited for
    writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, servers, proxy: { listWait: 20_000, firstListWait: 20_000 }, pool: { callTimeout: 15_000, connectTimeout: 15_000 } }))
    c = await connectBinary(["serve", "--config", cfg], env)
  }, 60_000)
  afterAll(async () => {
    await c?.close()
  })

  test("the server starts and is in the first list, next to the other server", async () => {
    const names = (await c.client.listTools(undefined, { timeout: 40_000 })).tools.map((t) => t.name)
    expect(names).toContain("noisy__echo")
    expect(names).toContain("mem__read_graph")
  }, 45_000)

  test("its calls are answered; the other server's too", async () => {
    for (const t of ["one", "two", "three"]) expect(text(await c.client.callTool({ name: "noisy__echo", arguments: { text: t } }, undefined, { timeout: 20_000 }))).toBe(t)
    expect(text(await c.client.callTool({ name: "mem__read_graph", arguments: {} }))).toContain("entities")
  }, 45_000)

  test("the noise is reported as skipped output of that server", () => {
    const skipped = c.stderr().split("\n").filter((l) => l.includes("non-JSON line on downstream stdout skipped") && l.includes('"component":"pool:noisy"'))
    expect(skipped.length).toBeGreaterThan(0)
    expect(skipped.join("\n")).toContain("booting... ")
    expect(skipped.join("\n")).not.toContain('\\"jsonrpc\\"')
  })
})
