/**
 * @module test/cache/memory
 * Memory driver: conformance plus LRU bounds (entries, bytes) and never-read-first eviction.
 */
import { expect, test } from "bun:test"
import { MemoryDriver } from "../../src/cache/index.ts"
import { runCacheConformance } from "./conformance.ts"

runCacheConformance("memory", async () => {
  const driver = new MemoryDriver()
  return { driver, cleanup: async () => driver[Symbol.asyncDispose]() }
}, { fcRuns: 1000 })

const e = (value: unknown) => ({ value, storedAt: 1 })

test("bounded by entries: least recently used goes first", async () => {
  const d = new MemoryDriver({ maxEntries: 3 })
  for (const k of ["a", "b", "c"]) await d.set(k, e(k))
  await d.get("a")
  await d.get("b")
  await d.get("c")
  await d.get("a") // order of use now b, c, a
  await d.set("d", e("d")) // d is new (never read) and stays: evicts the LRU read one, b
  expect((await d.keys()).sort()).toEqual(["a", "c", "d"])
  expect(d.stats().evictions).toBe(1)
})

test("entries never read are evicted before entries that were read", async () => {
  const d = new MemoryDriver({ maxEntries: 3 })
  await d.set("read1", e(1))
  await d.set("cold1", e(2))
  await d.set("read2", e(3))
  await d.get("read1")
  await d.get("read2")
  await d.set("new", e(4)) // cold1 was never read: it goes, though read1 is older
  expect((await d.keys()).sort()).toEqual(["new", "read1", "read2"])
  await d.set("newer", e(5)) // now "new" is the only never-read one left besides "newer"
  expect((await d.keys()).sort()).toEqual(["newer", "read1", "read2"])
})

test("a refreshed hot entry stays hot", async () => {
  const d = new MemoryDriver({ maxEntries: 2 })
  await d.set("hot", e(1))
  await d.get("hot")
  await d.set("hot", e(2)) // refresh
  await d.set("x", e(3))
  await d.set("y", e(4))
  expect((await d.keys()).sort()).toEqual(["hot", "y"])
})

test("bounded by bytes", async () => {
  const d = new MemoryDriver({ maxBytes: 1000 })
  for (let i = 0; i < 10; i++) await d.set(`k${i}`, e("x".repeat(200)))
  const s = d.stats()
  expect(s.bytes).toBeLessThanOrEqual(1000)
  expect(s.entries).toBe(4)
  expect(s.evictions).toBe(6)
  expect(await d.get("k9")).toBeDefined()
  expect(await d.get("k0")).toBeUndefined()
})

test("a value bigger than the whole budget is not kept and does not flush the rest", async () => {
  const d = new MemoryDriver({ maxBytes: 1000 })
  await d.set("small", e("s"))
  await d.set("huge", e("x".repeat(5000)))
  expect(await d.get("huge")).toBeUndefined()
  expect(await d.get("small")).toBeDefined()
})

test("values handed out are frozen copies", async () => {
  const d = new MemoryDriver()
  await d.set("k", e({ a: [1] }))
  const got = (await d.get("k"))!.value as { a: number[] }
  expect(Object.isFrozen(got)).toBe(true)
  expect(() => got.a.push(2)).toThrow()
})
