/**
 * Server lists are stored on disk only (`set(…, { memory: false })`): read back at the next start,
 * never kept as a second in-memory copy of every list for the whole run (RSS with 5 000 tools).
 */
import { afterAll, expect, test } from "bun:test"
import { CachedToolListStore, createCache } from "../../src/cache/index.ts"
import { ConfigSchema } from "../../src/config/index.ts"
import { tempDir } from "./helpers.ts"

const t = tempDir("disk-only")
afterAll(() => t.remove())
const cfg = (over: Record<string, unknown> = {}) => ConfigSchema.parse({ cache: { dir: t.dir, ...over } }).cache
const tools = [{ name: "create_issue" }, { name: "search" }]

test("a saved tool list is on disk, not in memory; the next start reads it back", async () => {
  {
    await using c = createCache(cfg(), { maintainEvery: 0 })
    await c.set("tools", "other", { kept: true }) // an ordinary value stays in memory
    const store = new CachedToolListStore(c)
    await store.save("github", tools)
    await store.saveLists("github", { prompts: [], resources: [], templates: [] })
    expect(c.stats()).toMatchObject({ memoryEntries: 1 })
    // read back in the same run too (from disk)
    expect(await store.load("github")).toEqual(tools)
  }
  await using c = createCache(cfg(), { maintainEvery: 0 })
  expect(await c.preload()).toBe(3)
  expect(await new CachedToolListStore(c).load("github")).toEqual(tools)
})

test("a disk-only save drops an older memory copy (the preloaded list of the last run)", async () => {
  await using c = createCache(cfg(), { maintainEvery: 0 })
  await c.preload()
  const before = c.stats() as { memoryEntries: number }
  expect(before.memoryEntries).toBeGreaterThan(0)
  await new CachedToolListStore(c).save("github", [{ name: "only" }])
  expect((c.stats() as { memoryEntries: number }).memoryEntries).toBe(before.memoryEntries - 1)
  expect(await new CachedToolListStore(c).load("github")).toEqual([{ name: "only" }])
})

test("a memory-only cache (cache.enabled: false) keeps it: there is no disk to read it from", async () => {
  await using c = createCache(cfg({ enabled: false }), { maintainEvery: 0 })
  await new CachedToolListStore(c).save("github", tools)
  expect(await new CachedToolListStore(c).load("github")).toEqual(tools)
})

test("a list read back past cache.ttl.tools is served and marked stale until it is saved again", async () => {
  {
    await using c = createCache(cfg({ ttl: { tools: "1s" } }), { maintainEvery: 0 })
    await new CachedToolListStore(c).save("aging", tools)
  }
  // 1 s: the load after the save below must come within the TTL, also on a loaded machine
  await Bun.sleep(1100)
  await using c = createCache(cfg({ ttl: { tools: "1s" } }), { maintainEvery: 0 })
  await c.preload()
  const store = new CachedToolListStore(c)
  expect(await store.load("aging")).toEqual(tools)
  expect(store.wasStale("aging")).toBe(true)
  await store.save("aging", tools)
  expect(store.wasStale("aging")).toBe(false)
  expect(await store.load("aging")).toEqual(tools)
  expect(store.wasStale("aging")).toBe(false)
})
