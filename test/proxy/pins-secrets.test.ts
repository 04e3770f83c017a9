/**
 * A tool named after a configured value (a downstream listing `fetch_<its API key>`) is pinned under
 * its masked name and a hash (`fetch_[REDACTED]#…`), never its raw name: pins.json on disk holds no
 * secret. A changed definition of it is still told from the approved one (block: withheld, approved
 * by either name), and a file written before (raw key) is re-keyed at the next listing. Real SDK
 * server (fixture keyed-resource-server) through the proxy; the registry is filled by the config
 * collector as `serve` fills it.
 */
import { afterAll, expect, test } from "bun:test"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { definitionHash, pinKey, ToolPins } from "../../src/catalog/index.ts"
import { registerConfigSecrets, secrets, silentLogger } from "../../src/core/index.ts"
import { createProxy } from "../../src/proxy/index.ts"
import { config, ROOT } from "./helpers.ts"

const FIXTURE = join(ROOT, "test", "faults", "servers", "keyed-resource-server.ts")
const KEY = `keyedN${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`
const GROUP = "config-pins-secrets"
const tool = (name: string, description: string) => ({ name, description, inputSchema: { type: "object" as const } })

const input = { toolkit: { enabled: "off" as const }, servers: { keyed: { command: process.execPath, args: [FIXTURE], env: { KEYED_API_KEY: KEY } } } }
registerConfigSecrets(input, GROUP)
afterAll(() => secrets.delete(GROUP))

test("through the proxy: pins.json names the tool masked with a hash, never by the key", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "mcpo-pins-secret-")), "pins.json")
  const pins = new ToolPins(path, "block", silentLogger)
  {
    await using proxy = createProxy({ config: config(input), log: silentLogger, toolGate: pins })
    expect((await proxy.listTools()).map((t) => t.name)).toContain(`keyed__fetch_${KEY}`)
  }
  pins.flush()
  const text = readFileSync(path, "utf8")
  expect(text).not.toContain(KEY)
  expect(Object.keys(JSON.parse(text).servers.keyed)).toContain(pinKey(`fetch_${KEY}`))
  expect(pinKey(`fetch_${KEY}`)).toMatch(/^fetch_\[REDACTED\]#[0-9a-f]{16}$/)
}, 30_000)

test("a changed definition of a tool named after the key is blocked, approved by either name, and never written raw", () => {
  const path = join(mkdtempSync(join(tmpdir(), "mcpo-pins-secret-")), "pins.json")
  const p = new ToolPins(path, "block", silentLogger)
  expect(p.gate("s", [tool(`get_${KEY}`, "x"), tool("plain", "y")]).map((t) => t.name)).toEqual([`get_${KEY}`, "plain"])
  p.flush()
  const again = new ToolPins(path, "block", silentLogger)
  expect(again.gate("s", [tool(`get_${KEY}`, "CHANGED"), tool("plain", "y")]).map((t) => t.name)).toEqual(["plain"])
  expect(again.blocked("s", `get_${KEY}`)).toContain("changed")
  expect(readFileSync(path, "utf8")).not.toContain(KEY)
  expect(new ToolPins(path, "block", silentLogger).approve("s", `get_${KEY}`)).toBe(1)
  expect(again.blocked("s", `get_${KEY}`)).toBeUndefined()
})

test("a pins file written before (the tool's raw name as key) is re-keyed at the next listing, its pin kept", () => {
  const path = join(mkdtempSync(join(tmpdir(), "mcpo-pins-secret-")), "pins.json")
  const old = tool(`get_${KEY}`, "approved")
  writeFileSync(path, JSON.stringify({ v: 1, servers: { s: { [`get_${KEY}`]: { hash: definitionHash(old), firstSeen: "2026-01-01T00:00:00.000Z" }, plain: { hash: "x", firstSeen: "2026-01-01T00:00:00.000Z" } } } }))
  const p = new ToolPins(path, "block", silentLogger)
  // the pin is kept: the approved definition passes, a changed one is withheld
  expect(p.gate("s", [tool(`get_${KEY}`, "approved")]).map((t) => t.name)).toEqual([`get_${KEY}`])
  p.flush()
  const text = readFileSync(path, "utf8")
  expect(text).not.toContain(KEY)
  expect(JSON.parse(text).servers.s[pinKey(`get_${KEY}`)].firstSeen).toBe("2026-01-01T00:00:00.000Z")
  expect(new ToolPins(path, "block", silentLogger).gate("s", [tool(`get_${KEY}`, "CHANGED")])).toEqual([])
  // `pins list` shows it by its key
  expect(new ToolPins(path, "block", silentLogger).list().map((r) => r.tool)).toContain(pinKey(`get_${KEY}`))
})
