/**
 * @module test/cache/layered
 * Layered driver (memory over file): conformance, read fill, warm (preload) and eviction fallback.
 */
import { expect, test } from "bun:test"
import { FileDriver, LayeredDriver, MemoryDriver } from "../../src/cache/index.ts"
import { runCacheConformance } from "./conformance.ts"
import { tempDir } from "./helpers.ts"

const layered = (dir: string, maxEntries = 2000) =>
  new LayeredDriver(new MemoryDriver({ maxEntries }), new FileDriver({ dir }))

runCacheConformance("layered", async () => {
  const t = tempDir()
  const driver = layered(t.dir)
  return {
    driver,
    reopen: async () => layered(t.dir),
    cleanup: async () => {
      await driver[Symbol.asyncDispose]()
      t.remove()
    },
  }
})

test("a read from disk fills memory; the next read does not touch the disk", async () => {
  const t = tempDir()
  try {
    {
      await using d = layered(t.dir)
      await d.set("k", { value: { v: 1 }, storedAt: 5 })
    }
    await using d = layered(t.dir)
    expect(d.memory.has("k")).toBe(false)
    expect(await d.get("k")).toEqual({ value: { v: 1 }, storedAt: 5 })
    expect(d.memory.has("k")).toBe(true)
    const fileHits = d.file.stats().hits
    expect(await d.get("k")).toEqual({ value: { v: 1 }, storedAt: 5 })
    expect(d.file.stats().hits).toBe(fileHits)
    expect(d.stats().hits).toBe(2)
  } finally {
    t.remove()
  }
})

test("warm copies disk entries into memory without overwriting newer memory values", async () => {
  const t = tempDir()
  try {
    {
      await using d = layered(t.dir)
      await d.set("tools:a", { value: 1, storedAt: 1 })
      await d.set("tools:b", { value: 2, storedAt: 1 })
      await d.set("catalog:x", { value: 3, storedAt: 1 })
    }
    await using d = layered(t.dir)
    d.memory.setSync("tools:a", { value: 10, storedAt: 2 })
    expect(await d.warm(["tools:"])).toBe(1)
    expect(d.memory.has("tools:b")).toBe(true)
    expect(d.memory.has("catalog:x")).toBe(false)
    expect((await d.get("tools:a"))?.value).toBe(10)
  } finally {
    t.remove()
  }
})

test("an entry evicted from memory is still served from disk", async () => {
  const t = tempDir()
  try {
    await using d = layered(t.dir, 2)
    for (const k of ["a", "b", "c"]) await d.set(k, { value: k, storedAt: 1 })
    expect(d.memory.has("a")).toBe(false)
    expect((await d.get("a"))?.value).toBe("a")
  } finally {
    t.remove()
  }
})

test("warm loads the first prefixes last so they survive a small memory budget", async () => {
  const t = tempDir()
  try {
    {
      await using d = layered(t.dir)
      for (const k of ["tools:a", "tools:b", "tools:c", "catalog:x"]) await d.set(k, { value: k, storedAt: 1 })
    }
    await using d = layered(t.dir, 2)
    await d.warm(["catalog:", "tools:"])
    expect(d.memory.has("catalog:x")).toBe(true)
    expect(d.memory.stats().entries).toBe(2)
  } finally {
    t.remove()
  }
})
