/**
 * Regression (found with QA defect 11): a server that relists all the time (tools/list_changed every
 * few ms, its names changing) had its whole stored tool list rewritten on every listing (36 writes
 * of 280 KB in 10 s in the QA repro). A server's list is written at most once per interval (the
 * first save at once), the latest list wins, `load` returns it, and `flush` (the orchestrator's
 * shutdown) writes what waits; an invalidated server's waiting list is never written.
 */
import { afterAll, expect, test } from "bun:test"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { CachedToolListStore, createCache } from "../../src/cache/index.ts"
import { ConfigSchema } from "../../src/config/index.ts"
import { tempDir } from "./helpers.ts"

const t = tempDir("list-coalesce")
afterAll(() => t.remove())

/** The entry files' contents (one per stored key), to see what was written. */
const onDisk = (dir: string): string => {
  const entries = join(dir, "entries")
  return readdirSync(entries)
    .filter((n) => n.endsWith(".entry"))
    .sort()
    .map((n) => readFileSync(join(entries, n), "utf8"))
    .join("\n")
}

test("a server relisting all the time: one write per interval, the latest list read back, flushed at the end", async () => {
  const dir = join(t.dir, "a")
  const cache = ConfigSchema.parse({ cache: { dir } }).cache
  {
    await using c = createCache(cache, { maintainEvery: 0 })
    const store = new CachedToolListStore(c, { saveIntervalMs: 60_000 })
    await store.save("storm", [{ name: "t0_0" }])
    await c.flush()
    const first = onDisk(dir)
    expect(first).toContain("t0_0")
    let writes = 0
    let last = first
    for (let g = 1; g <= 30; g++) {
      await store.save("storm", [{ name: `t0_${g}` }])
      const now = onDisk(dir)
      if (now !== last) writes++
      last = now
    }
    // before: the whole list written on every save (30 writes)
    expect(writes).toBe(0)
    expect(await store.load("storm")).toEqual([{ name: "t0_30" }])
    // a removed server's waiting list is dropped, never written
    await store.save("gone", [{ name: "x" }])
    await store.save("gone", [{ name: "y" }])
    await store.invalidate("gone")
    await store.flush()
  }
  await using c = createCache(cache, { maintainEvery: 0 })
  await c.preload()
  const store = new CachedToolListStore(c)
  expect(await store.load("storm")).toEqual([{ name: "t0_30" }])
  expect(await store.load("gone")).toBeUndefined()
})
