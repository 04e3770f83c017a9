/**
 * A downstream whose own notifications and requests nest 200,000 levels deep, through the compiled
 * binary with the SDK (v1) Client (sampling capability), next to server-memory. Such a log message
 * went on to the client as "[log data that is not JSON]" after JSON.stringify had held the event
 * loop for over a second (every server's calls waiting; one a second stalled them all), and such a
 * sampling request was relayed to the client. Now both are dropped where they arrive (pool/rpc
 * `tooDeep`): the log is not forwarded, the request is answered -32600, a warning names the method.
 * Fixture: test/faults/servers/deep-messages-server.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { CreateMessageRequestSchema, LoggingMessageNotificationSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, sandboxEnv, writeConfig, type Connected } from "../helpers/binary.ts"

const SERVER = join(import.meta.dir, "servers", "deep-messages-server.ts")
const MEMORY = join(import.meta.dir, "..", "..", "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")
const text = (r: unknown): string => ((r as CallToolResult).content ?? []).map((c) => (c.type === "text" ? c.text : "")).join("")

beforeAll(ensureBuilt, 120_000)

describe("a downstream's messages nested too deep", () => {
  let c: Connected
  const logs: unknown[] = []
  let sampled = 0
  beforeAll(async () => {
    const env = sandboxEnv()
    const servers = {
      deep: { command: process.execPath, args: [SERVER] },
      mem: { command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: join(env.HOME!, "memory.jsonl") } },
    }
    const cfg = writeConfig(env, { toolkit: { enabled: "off" }, plugins: { enabled: false }, servers, pool: { callTimeout: 20_000 } })
    c = await connectBinary(["serve", "--config", cfg], env, { sampling: {} })
    c.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(n.params))
    c.client.setRequestHandler(CreateMessageRequestSchema, async () => {
      sampled++
      return { role: "assistant", content: { type: "text", text: "ok" }, model: "m" }
    })
    await c.client.listTools()
  }, 60_000)
  afterAll(async () => {
    await c?.close()
  })

  test("a log message nested too deep is dropped with a warning, not forwarded", async () => {
    expect(text(await c.client.callTool({ name: "deep__deep_log", arguments: {} }))).toBe("logged")
    expect(text(await c.client.callTool({ name: "mem__read_graph", arguments: {} }))).toContain("entities")
    expect(logs.filter((l) => (l as { logger?: string }).logger === "deep")).toEqual([])
    expect(c.stderr()).toContain('"msg":"downstream message dropped: nested too deep","method":"notifications/message"')
  }, 30_000)

  test("a sampling request nested too deep is refused (-32600), never relayed to the client", async () => {
    const r = text(await c.client.callTool({ name: "deep__deep_request", arguments: {} }, undefined, { timeout: 25_000 }))
    expect(r).toBe("error: sampling/createMessage refused: its params nest more than 10,000 levels of arrays and objects deep")
    expect(sampled).toBe(0)
    expect(text(await c.client.callTool({ name: "deep__fine", arguments: {} }))).toBe("called fine")
  }, 30_000)
})
