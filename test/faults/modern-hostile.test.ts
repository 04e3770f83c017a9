/**
 * A hostile 2026-07-28 stdio downstream (servers/hostile-modern-server.ts, raw JSON-RPC) next to a
 * well-behaved SDK v2 one, through the compiled binary with the SDK v1 Client (Cursor's way, with
 * elicitation declared). Each misbehaviour fails only its own call, naming the server and what it
 * did, and the other server's tools stay listed and callable:
 * - a server→client request (`elicitation/create`) from a 2026-07-28 server is refused with
 *   -32601 and a warning, never relayed to the client (it was relayed: that era has no such
 *   requests, input goes through input_required);
 * - `input_required` for ever with a requestState growing 256 KiB a round stops after the rounds cap;
 * - `input_required` asking for a kind of input no client serves fails at once;
 * - an answer under another id fails the call at its deadline (the stray answer is logged);
 * - a second answer to one request is dropped;
 * - a `subscriptions/listen` that floods list changes does not stop the calls.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { ElicitRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, sandboxEnv, type Connected } from "../helpers/binary.ts"

const HOSTILE = join(import.meta.dir, "servers", "hostile-modern-server.ts")
const MODERN = join(import.meta.dir, "..", "fixtures", "servers", "modern-server.ts")
const text = (r: unknown): string => ((r as CallToolResult).content ?? []).map((c) => (c.type === "text" ? c.text : "")).join("")

let c: Connected
const env = sandboxEnv()
const serverLog = join(env.HOME!, "hostile.log")
const elicited: string[] = []

beforeAll(async () => {
  await ensureBuilt()
  writeFileSync(serverLog, "")
  const cfg = join(env.HOME!, "config.json")
  writeFileSync(
    cfg,
    JSON.stringify({
      toolkit: { enabled: "off" },
      warm: ["bad", "flood", "good"],
      servers: {
        bad: { command: process.execPath, args: [HOSTILE], env: { HOSTILE_LOG: serverLog }, timeout: 3000 },
        flood: { command: process.execPath, args: [HOSTILE], env: { HOSTILE_LISTEN: "flood" } },
        good: { command: process.execPath, args: [MODERN] },
      },
    }),
  )
  c = await connectBinary(["--config", cfg], env, { elicitation: {} })
  c.client.setRequestHandler(ElicitRequestSchema, (req) => {
    elicited.push(req.params.message)
    return { action: "accept", content: {} }
  })
}, 120_000)
afterAll(() => c?.close())

async function goodStillWorks(): Promise<void> {
  expect(text(await c.client.callTool({ name: "good__echo", arguments: { text: "hi" } }))).toBe("modern:hi")
}

describe("a hostile 2026-07-28 downstream", () => {
  test("the first tools/list holds every server's tools", async () => {
    const names = (await c.client.listTools()).tools.map((t) => t.name)
    for (const n of ["bad__ok", "bad__push", "flood__ok", "good__echo"]) expect(names).toContain(n)
  }, 30_000)

  test("a server→client request is refused, not relayed to the client", async () => {
    const r = await c.client.callTool({ name: "bad__push", arguments: {} })
    expect(text(r)).toContain('"code":-32601')
    expect(text(r)).toContain("MCP 2026-07-28 has no server→client requests")
    expect(elicited).toEqual([])
    expect(c.stderr()).toContain("server request refused: the server speaks MCP 2026-07-28")
    await goodStillWorks()
  }, 30_000)

  test("input_required for ever, its state growing, stops at the rounds cap naming the server", async () => {
    const r = await c.client.callTool({ name: "bad__forever", arguments: {} })
    expect(r.isError).toBe(true)
    expect(text(r)).toContain("[INPUT_REQUIRED_ROUNDS] server bad still asked for more input after 8 rounds")
    const asked = readFileSync(serverLog, "utf8").split("\n").filter((l) => l === "tools/call forever").length
    expect(asked).toBe(9) // the call, then 8 rounds
    await goodStillWorks()
  }, 60_000)

  test("input of a kind no client serves fails the call at once", async () => {
    const r = await c.client.callTool({ name: "bad__alien_ask", arguments: {} })
    expect(r.isError).toBe(true)
    expect(text(r)).toContain("[INPUT_UNAVAILABLE] server bad needs input (foo/bar)")
    await goodStillWorks()
  }, 30_000)

  test("an answer under another id: the call fails at its deadline, the server stays usable", async () => {
    const r = await c.client.callTool({ name: "bad__wrong_id", arguments: {} })
    expect(r.isError).toBe(true)
    expect(text(r)).toContain("[TIMEOUT] server bad: tools/call timed out")
    expect(c.stderr()).toContain("downstream answer to no request dropped")
    expect(text(await c.client.callTool({ name: "bad__ok", arguments: {} }))).toBe("fine")
    await goodStillWorks()
  }, 30_000)

  test("a second answer to one request is dropped", async () => {
    expect(text(await c.client.callTool({ name: "bad__twice", arguments: {} }))).toBe("first")
    expect(text(await c.client.callTool({ name: "bad__ok", arguments: {} }))).toBe("fine")
  }, 30_000)

  test("a listen flooding list changes leaves the calls working", async () => {
    for (let i = 0; i < 5; i++) {
      expect(text(await c.client.callTool({ name: "flood__ok", arguments: {} }))).toBe("fine")
      await goodStillWorks()
    }
    expect((await c.client.listTools()).tools.map((t) => t.name)).toContain("flood__ok")
  }, 60_000)
})
