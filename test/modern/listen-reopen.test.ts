/**
 * A 2026-07-28 downstream whose `subscriptions/listen` was acknowledged and then ends with an error
 * (test/faults/servers/hostile-modern-server.ts, `HOSTILE_LISTEN=drop`), through the compiled binary
 * with the SDK v1 Client (Cursor's way). The end was taken for a refusal: the listen was never
 * re-opened and, the server announcing `tools.listChanged`, its list was never read again, so a tool
 * it added later never reached the client. Now the listen is re-opened (paced) and, while it is
 * down, the list follows its `ttlMs` (0 here: read again at each client list).
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { ResourceUpdatedNotificationSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { until } from "../proxy/helpers.ts"

const HOSTILE = join(import.meta.dir, "..", "faults", "servers", "hostile-modern-server.ts")
const text = (r: unknown): string => ((r as CallToolResult).content ?? []).map((c) => (c.type === "text" ? c.text : "")).join("")

let c: Connected
const env = sandboxEnv()

beforeAll(async () => {
  await ensureBuilt()
  const cfg = join(env.HOME!, "config.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, warm: ["flap"], servers: { flap: { command: process.execPath, args: [HOSTILE], env: { HOSTILE_LISTEN: "drop" } } } }))
  c = await connectBinary(["--config", cfg], env)
}, 120_000)
afterAll(() => c?.close())

test("a listen that was acknowledged, then ended with an error, is re-opened; meanwhile the list follows its ttlMs", async () => {
  expect((await c.client.listTools()).tools.map((t) => t.name)).toContain("flap__ok")
  expect(text(await c.client.callTool({ name: "flap__drop_listen", arguments: {} }))).toBe("dropped")
  expect(text(await c.client.callTool({ name: "flap__grow", arguments: {} }))).toBe("grew")
  // the next list has the tool the server added while its listen was down
  expect((await c.client.listTools()).tools.map((t) => t.name)).toContain("flap__grown")
  expect(c.stderr()).not.toContain("subscriptions/listen refused")
  // and the listen is open again (acknowledged a second time)
  expect(await until(() => c.stderr().includes("subscriptions/listen open again"), 60_000)).toBe(true)
}, 90_000)

test("a resource subscription's listen that was acknowledged, then ended with an error, is re-opened: updates arrive again", async () => {
  const updated: string[] = []
  c.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updated.push(n.params.uri))
  await c.client.subscribeResource({ uri: "hostile://note" })
  expect(text(await c.client.callTool({ name: "flap__touch", arguments: {} }))).toBe("touched")
  expect(await until(() => updated.length > 0, 30_000)).toBe(true)
  expect(text(await c.client.callTool({ name: "flap__drop_listen", arguments: {} }))).toBe("dropped")
  updated.length = 0
  // re-opened after its pace: each touch until then reaches no listen
  expect(
    await until(async () => {
      await c.client.callTool({ name: "flap__touch", arguments: {} })
      return updated.length > 0
    }, 60_000, 200),
  ).toBe(true)
  expect(c.stderr()).not.toContain("resource subscription refused")
}, 90_000)
