/**
 * Cache hints of 2026-07-28 list results (`ttlMs`, `cacheScope`) feed how long the proxy reuses a
 * modern server's list when that server announces no changes: `ttlMs: 0` is listed again at every
 * client list, a long one is reused (never longer than cache.ttl.tools). Real SDK v2 fixture server.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { existsSync, readFileSync, rmSync } from "node:fs"
import { join } from "node:path"
import { createProxy } from "../../src/proxy/index.ts"
import { tempDir } from "../helpers/binary.ts"
import { BUN, captureLog, config, ROOT } from "../proxy/helpers.ts"

const MODERN = join(ROOT, "test", "fixtures", "servers", "modern-server.ts")
const dir = tempDir("mcpo-hints-")
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function lists(file: string): number {
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter((m) => m === "tools/list").length : 0
}

async function listTwice(ttl: string, cacheTtl = "5m"): Promise<number> {
  const log = join(dir, `m-${ttl}-${cacheTtl}.log`)
  const spec = { command: BUN, args: [MODERN, "stdio"], env: { MODERN_LOG: log, MODERN_TTL: ttl }, protocol: "modern" as const }
  await using proxy = createProxy({ config: config({ servers: { m: spec }, cache: { ttl: { tools: cacheTtl } } }), log: captureLog().log, closeGraceMs: 200 })
  expect((await proxy.listTools()).map((t) => t.name)).toContain("m__echo")
  const first = lists(log)
  await Bun.sleep(50)
  await proxy.listTools()
  return lists(log) - first
}

describe("modern list cache hints", () => {
  test("ttlMs 0 without listChanged: listed again for the next client list", async () => {
    expect(await listTwice("0")).toBe(1)
  }, 30_000)

  test("a long ttlMs: the list is reused", async () => {
    expect(await listTwice("600000")).toBe(0)
  }, 30_000)

  test("never longer than cache.ttl.tools", async () => {
    expect(await listTwice("600000", "10ms")).toBe(1)
  }, 30_000)
})
