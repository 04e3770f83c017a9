/**
 * @module test/cache/conformance
 * The one suite every `CacheDriver` passes. Each implementation's test file calls
 * `runCacheConformance(name, factory)` and then adds its own cases.
 */
import { afterEach, describe, expect, test } from "bun:test"
import fc from "fast-check"
import { CacheError } from "../../src/core/index.ts"
import type { CacheDriver } from "../../src/cache/index.ts"

export interface DriverHarness {
  driver: CacheDriver
  /** A fresh driver over the same storage (persistent drivers only). */
  reopen?: () => Promise<CacheDriver>
  cleanup(): Promise<void>
}

export type DriverFactory = () => Promise<DriverHarness>

const roundTrip = (v: unknown): unknown => JSON.parse(JSON.stringify(v))

export const HOSTILE_KEYS = [
  "",
  "../../etc/passwd",
  "/etc/passwd",
  "a\u0000b",
  "..",
  ".",
  "C:\\Windows\\system32",
  "k".repeat(10_000),
  "ünïcødé/🗝️/\u202e",
  "tools:server/../../x",
]

export function runCacheConformance(name: string, factory: DriverFactory, opts: { fcRuns?: number } = {}): void {
  describe(`CacheDriver conformance: ${name}`, () => {
    let h: DriverHarness | undefined
    const open = async (): Promise<DriverHarness> => (h = await factory())
    afterEach(async () => {
      await h?.cleanup()
      h = undefined
    })

    test("a missing key is undefined and counts a miss", async () => {
      const { driver } = await open()
      expect(await driver.get("nope")).toBeUndefined()
      expect(driver.stats().misses).toBe(1)
      expect(driver.stats().entries).toBe(0)
    })

    test("set then get returns the value and its storedAt", async () => {
      const { driver } = await open()
      const value = { a: 1, b: [true, null, "x"], c: { d: 1.5 } }
      await driver.set("k", { value, storedAt: 1234 })
      expect(await driver.get("k")).toEqual({ value, storedAt: 1234 })
      expect(driver.stats().hits).toBe(1)
      expect(driver.stats().entries).toBe(1)
      expect(driver.stats().bytes).toBeGreaterThan(0)
    })

    test("overwrite keeps only the latest value", async () => {
      const { driver } = await open()
      await driver.set("k", { value: 1, storedAt: 1 })
      await driver.set("k", { value: 2, storedAt: 2 })
      expect(await driver.get("k")).toEqual({ value: 2, storedAt: 2 })
      expect(await driver.keys()).toEqual(["k"])
    })

    test("delete removes and reports whether something was there", async () => {
      const { driver } = await open()
      await driver.set("k", { value: "v", storedAt: 1 })
      expect(await driver.delete("k")).toBe(true)
      expect(await driver.get("k")).toBeUndefined()
      expect(await driver.delete("k")).toBe(false)
    })

    test("keys, entries and clear honour the prefix", async () => {
      const { driver } = await open()
      await driver.set("tools:a", { value: 1, storedAt: 1 })
      await driver.set("tools:b", { value: 2, storedAt: 2 })
      await driver.set("catalog:x", { value: 3, storedAt: 3 })
      expect((await driver.keys("tools:")).sort()).toEqual(["tools:a", "tools:b"])
      expect((await driver.keys()).sort()).toEqual(["catalog:x", "tools:a", "tools:b"])
      const entries = new Map(await driver.entries("catalog:"))
      expect([...entries]).toEqual([["catalog:x", { value: 3, storedAt: 3 }]])
      await driver.clear("tools:")
      expect(await driver.keys()).toEqual(["catalog:x"])
      await driver.clear()
      expect(await driver.keys()).toEqual([])
      expect(await driver.get("catalog:x")).toBeUndefined()
    })

    test("a value that is not JSON is refused with a CacheError and the old value is kept", async () => {
      const { driver } = await open()
      await driver.set("k", { value: "old", storedAt: 1 })
      const cyclic: Record<string, unknown> = {}
      cyclic.self = cyclic
      for (const bad of [undefined, () => 1, Symbol("s"), 10n, cyclic]) {
        const err = await driver.set("k", { value: bad, storedAt: 2 }).then(
          () => undefined,
          (e: unknown) => e,
        )
        expect(err).toBeInstanceOf(CacheError)
      }
      expect(await driver.get("k")).toEqual({ value: "old", storedAt: 1 })
    })

    test("the stored value is a copy: mutating the original after set changes nothing", async () => {
      const { driver } = await open()
      const value = { list: [1, 2], nested: { n: 1 } }
      await driver.set("k", { value, storedAt: 1 })
      value.list.push(3)
      value.nested.n = 99
      expect((await driver.get("k"))?.value).toEqual({ list: [1, 2], nested: { n: 1 } })
    })

    test("hostile keys round-trip and stay distinct", async () => {
      const { driver } = await open()
      for (const [i, k] of HOSTILE_KEYS.entries()) await driver.set(k, { value: i, storedAt: i })
      for (const [i, k] of HOSTILE_KEYS.entries()) expect((await driver.get(k))?.value).toBe(i)
      expect((await driver.keys()).sort()).toEqual([...HOSTILE_KEYS].sort())
    })

    test("operations on one key apply in call order even when not awaited", async () => {
      const { driver } = await open()
      const ops = [
        driver.set("k", { value: 1, storedAt: 1 }),
        driver.set("k", { value: 2, storedAt: 2 }),
        driver.delete("k"),
        driver.set("k", { value: 3, storedAt: 3 }),
        driver.set("gone", { value: 1, storedAt: 1 }),
        driver.delete("gone"),
      ]
      await Promise.all(ops)
      expect(await driver.get("k")).toEqual({ value: 3, storedAt: 3 })
      expect(await driver.get("gone")).toBeUndefined()
    })

    test("arbitrary keys and JSON values round-trip (fast-check)", async () => {
      const { driver } = await open()
      await fc.assert(
        fc.asyncProperty(fc.string({ unit: "binary", maxLength: 300 }), fc.jsonValue({ maxDepth: 4 }), async (key, value) => {
          await driver.set(key, { value, storedAt: 7 })
          const got = await driver.get(key)
          expect(got?.storedAt).toBe(7)
          expect(JSON.stringify(got?.value)).toBe(JSON.stringify(roundTrip(value)))
        }),
        { numRuns: opts.fcRuns ?? 200 },
      )
    })

    test("values survive reopening (persistent drivers)", async () => {
      const harness = await open()
      if (!harness.reopen) return
      await harness.driver.set("tools:srv", { value: [{ name: "t" }], storedAt: 42 })
      await harness.driver[Symbol.asyncDispose]()
      await using again = await harness.reopen()
      expect(await again.get("tools:srv")).toEqual({ value: [{ name: "t" }], storedAt: 42 })
      expect(again.stats().entries).toBe(1)
    })

    test("dispose is safe to call twice", async () => {
      const { driver } = await open()
      await driver.set("k", { value: 1, storedAt: 1 })
      await driver[Symbol.asyncDispose]()
      await driver[Symbol.asyncDispose]()
    })
  })
}
