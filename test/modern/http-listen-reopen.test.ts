/**
 * A 2026-07-28 Streamable HTTP downstream whose `subscriptions/listen` streams end right after being
 * acknowledged (test/fixtures/servers/modern-listen-http.ts, raw JSON-RPC over HTTP), through the
 * compiled binary with the SDK v1 Client (Cursor's way): the listen is opened again, paced (never a
 * hot loop), and a tools list change the server announces on the re-opened listen reaches the
 * client (its lists say `ttlMs` 1 h, so nothing else would read them again). Both ends: a closed
 * stream and a `complete` result; and a change made after the lists were read but before the first
 * listen was acknowledged (a listen the server is slow to register). The stdio-era twin is listen-reopen.test.ts.
 */
import { afterEach, expect, test } from "bun:test"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, listUntil, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"
import { BUN, ROOT, until } from "../proxy/helpers.ts"
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { RELISTEN_MS } from "../../src/pool/modern-listen.ts"

const FIXTURE = join(ROOT, "test", "fixtures", "servers", "modern-listen-http.ts")

const stops: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s()
})

/** The fixture server (its `env`) and the binary in front of it; returns the client and the listen log. */
async function start(env: Record<string, string>): Promise<{ c: Connected; opens: () => number[] }> {
  await ensureBuilt()
  const dir = tempDir("mcpo-listen-http-")
  const portFile = join(dir, "port")
  const log = join(dir, "listens.log")
  const server = Bun.spawn([BUN, FIXTURE, portFile], { env: { ...process.env, ...env, LISTEN_LOG: log }, stdio: ["ignore", "ignore", "inherit"] })
  stops.push(async () => {
    server.kill()
    await server.exited
  })
  expect(await until(() => existsSync(portFile) && readFileSync(portFile, "utf8").length > 0, 10_000)).toBe(true)
  const url = `http://127.0.0.1:${readFileSync(portFile, "utf8")}/mcp`
  const senv = sandboxEnv()
  const cfg = join(senv.HOME!, "config.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, warm: ["lh"], servers: { lh: { url } } }))
  const c = await connectBinary(["--config", cfg], senv)
  stops.push(() => c.close())
  const opens = (): number[] => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").filter(Boolean).map(Number) : [])
  return { c, opens }
}

for (const end of ["close", "complete"] as const) {
  test(`a listen that ends (${end}) after its acknowledgement is opened again, and a later list change on it reaches the client`, async () => {
    const { c, opens } = await start({ LISTEN_END: end, LISTEN_ENDS: "1" })
    expect(await listUntil(c.client, "lh__grow")).toContain("lh__grow")
    // the first listen ended; the second is acknowledged (and stays open)
    expect(await until(() => opens().length >= 2 && c.stderr().includes("subscriptions/listen open again"), 30_000)).toBe(true)
    const [first, second] = opens()
    // paced: not at once after the end (RELISTEN_MS, less a margin for the fixture's 50 ms)
    expect(second! - first!).toBeGreaterThanOrEqual(RELISTEN_MS * 0.8)
    const r = (await c.client.callTool({ name: "lh__grow", arguments: {} })) as { content: { text: string }[] }
    expect(r.content[0]!.text).toBe("grew")
    // announced on the re-opened listen only (the list's ttlMs is an hour)
    expect(await until(async () => (await c.client.listTools()).tools.some((t) => t.name === "lh__grown"), 20_000)).toBe(true)
    expect(c.stderr()).not.toContain("subscriptions/listen refused")
  }, 90_000)
}

test("a list change made after the lists were read but before the first listen is acknowledged reaches the client once it is", async () => {
  const gate = join(tempDir("mcpo-listen-gate-"), "open")
  const { c } = await start({ LISTEN_ENDS: "0", LISTEN_GATE: gate })
  // listed (over its own POST) while the listen waits at the server, unregistered
  expect(await listUntil(c.client, "lh__grow")).toContain("lh__grow")
  let changed = false
  c.client.setNotificationHandler(ToolListChangedNotificationSchema, () => void (changed = true))
  // announced to no listen: only a second read after the acknowledgement can see it (ttlMs is an hour)
  expect((await c.client.callTool({ name: "lh__grow", arguments: {} })).content).toEqual([{ type: "text", text: "grew" }])
  writeFileSync(gate, "")
  expect(await until(() => changed, 20_000)).toBe(true)
  expect((await c.client.listTools()).tools.map((t) => t.name)).toContain("lh__grown")
}, 90_000)

test("a server that ends every listen after acknowledging it is asked again at a doubling pace, not in a loop", async () => {
  const { c, opens } = await start({ LISTEN_END: "complete" })
  expect(await listUntil(c.client, "lh__grow")).toContain("lh__grow")
  expect(await until(() => opens().length >= 3, 30_000)).toBe(true)
  const [a, b, d] = opens()
  expect(b! - a!).toBeGreaterThanOrEqual(RELISTEN_MS * 0.8)
  // the second wait is twice the first (restartDelay: RELISTEN_MS × 2ⁿ, jitter below ±20%)
  expect(d! - b!).toBeGreaterThanOrEqual(RELISTEN_MS * 2 * 0.8)
  // the client's tools are unaffected
  expect((await c.client.callTool({ name: "lh__ping_tool", arguments: {} })).content).toEqual([{ type: "text", text: "pong" }])
}, 90_000)
