/**
 * @module test/cache/create
 * `createCache` from config (directory resolution, disabled = memory only), preload across a
 * restart, and the tool-list store the proxy uses to answer tools/list at start.
 */
import { afterAll, expect, test } from "bun:test"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { CachedToolListStore, createCache, resolveCacheDir } from "../../src/cache/index.ts"
import { ConfigSchema } from "../../src/config/index.ts"
import { ManualClock } from "../../src/core/index.ts"
import { captureLog } from "../proxy/helpers.ts"
import { tempDir } from "./helpers.ts"

const t = tempDir("create")
afterAll(() => t.remove())
const cfg = (over: Record<string, unknown> = {}) => ConfigSchema.parse({ cache: over }).cache

test("directory: config dir (with ~), else absolute XDG_CACHE_HOME, else ~/.cache", () => {
  expect(resolveCacheDir("/x/y", { HOME: "/home/u" })).toBe("/x/y")
  expect(resolveCacheDir("~/c", { HOME: "/home/u" })).toBe("/home/u/c")
  expect(resolveCacheDir(undefined, { HOME: "/home/u", XDG_CACHE_HOME: "/xdg" })).toBe("/xdg/mcp-orchestrator")
  expect(resolveCacheDir(undefined, { HOME: "/home/u", XDG_CACHE_HOME: "relative" })).toBe("/home/u/.cache/mcp-orchestrator")
  expect(resolveCacheDir(undefined, { HOME: "/home/u" })).toBe("/home/u/.cache/mcp-orchestrator")
})

test("config defaults give the documented TTLs", () => {
  expect(cfg().ttl).toEqual({ catalog: 43_200_000, servers: 30_000, tools: 300_000, inspect: 3_600_000, config: 30_000, secrets: 30_000, profiles: 30_000 })
})

test("createCache is layered under XDG_CACHE_HOME; preload after a restart answers before any loader runs", async () => {
  const env = { XDG_CACHE_HOME: join(t.dir, "xdg"), HOME: t.dir }
  const clock = new ManualClock()
  {
    await using c = createCache(cfg(), { env, clock, maintainEvery: 0 })
    expect(c.stats()).toMatchObject({ driver: "layered", dir: join(t.dir, "xdg", "mcp-orchestrator") })
    const store = new CachedToolListStore(c)
    await store.save("github", [{ name: "create_issue" }, { name: "search" }])
    await c.getOrLoad("catalog", "show:", async () => ({ servers: ["github"] }))
  }
  expect(existsSync(join(t.dir, "xdg", "mcp-orchestrator", "entries"))).toBe(true)
  clock.advance(3_600_000) // an hour later: tools (5 min) are stale, the catalog (12 h) is fresh
  await using c = createCache(cfg(), { env, clock, maintainEvery: 0 })
  expect(await c.preload()).toBe(2)
  expect(c.stats()).toMatchObject({ preloaded: 2, memoryEntries: 2 })
  const store = new CachedToolListStore(c)
  expect(await store.load("github")).toEqual([{ name: "create_issue" }, { name: "search" }])
  expect(await store.load("other")).toBeUndefined()
  const never = async (): Promise<unknown> => {
    throw new Error("loader must not run")
  }
  expect(await c.getOrLoad("catalog", "show:", never)).toEqual({ servers: ["github"] })
  expect(c.stats()).toMatchObject({ hits: 1, staleServes: 1, misses: 1, loads: 0 })
  await store.invalidate("github")
  expect(await store.load("github")).toBeUndefined()
})

test("a corrupt stored tool list is dropped by the store's check, with a warning naming its key", async () => {
  const { log, records } = captureLog()
  await using c = createCache(cfg({ dir: join(t.dir, "bad") }), { maintainEvery: 0, log })
  await c.set("tools", "downstream:s", [{ nope: 1 }])
  expect(await new CachedToolListStore(c).load("s")).toBeUndefined()
  expect(c.stats().invalid).toBe(1)
  expect(records.find((r) => r.msg === "cached value failed validation; dropped")).toMatchObject({ kind: "tools", entry: "downstream:s", error: "Error: tool list entry has no name" })
})

test("cache.enabled=false keeps a memory-only cache and writes nothing", async () => {
  const dir = join(t.dir, "off")
  await using c = createCache(cfg({ enabled: false, dir }), { maintainEvery: 0 })
  expect(await c.getOrLoad("servers", "enabled", async () => ["a"])).toEqual(["a"])
  expect(await c.getOrLoad("servers", "enabled", async () => ["b"])).toEqual(["a"])
  expect(c.stats().driver).toBe("memory")
  expect(existsSync(dir)).toBe(false)
})
