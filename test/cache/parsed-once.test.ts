/**
 * The memory layer holds each value parsed and deep-frozen, made once: a hit hands out that same
 * value (no parse, no copy), a value read from disk is parsed once (the memory layer keeps the very
 * value the read returns, frozen, instead of serialising and parsing it again), and a write
 * serialises the value once for both layers. What callers see: the stored values, frozen all the
 * way down, the same object on every hit, never affected by what the caller does to its own object
 * after storing it. The time is not asserted here (measured by hand: docs/cache.md).
 */
import { afterAll, describe, expect, spyOn, test } from "bun:test"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createCache } from "../../src/cache/index.ts"

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

const TTL = { catalog: 3_600_000, servers: 60_000, inspect: 60_000, tools: 300_000, config: 60_000, secrets: 60_000, profiles: 60_000 }
function cache(dir: string | undefined, maxBytes = 64 * 1024 * 1024) {
  return createCache({ enabled: dir !== undefined, dir, maxEntries: 100, maxBytes, ttl: TTL } as never, { maintainEvery: 0 })
}
const fresh = (): string => {
  const d = mkdtempSync(join(tmpdir(), "mcpo-parsed-once-"))
  dirs.push(d)
  return d
}

/** A small catalog-shaped value: objects in arrays in objects. */
const catalog = () => ({ name: "docker-mcp", servers: Array.from({ length: 50 }, (_, i) => ({ name: `s${i}`, tools: [{ name: "t", arguments: [{ name: "q", type: "string" }] }], env: { MODE: "prod" } })) })

/** Every object and array of `v` is frozen. */
function deeplyFrozen(v: unknown): boolean {
  if (v === null || typeof v !== "object") return true
  if (!Object.isFrozen(v)) return false
  return Object.values(v as Record<string, unknown>).every(deeplyFrozen)
}

describe("the memory layer keeps one parsed, frozen value", () => {
  test("stored: equal to what was stored, frozen, the same object at every hit, not the caller's", async () => {
    const c = cache(fresh())
    const mine = catalog()
    await c.set("catalog", "show", mine)
    mine.servers[0]!.name = "changed by the caller"
    mine.servers.push({ name: "added", tools: [], env: { MODE: "x" } })
    const a = (await c.peek("catalog", "show"))!.value as ReturnType<typeof catalog>
    expect(a).toEqual(catalog())
    expect(a).not.toBe(mine)
    expect(deeplyFrozen(a)).toBe(true)
    expect((await c.peek("catalog", "show"))!.value).toBe(a)
    expect(await c.getOrLoad<unknown>("catalog", "show", async () => ({ other: true }))).toBe(a)
    expect(() => {
      ;(a.servers[1]!.env as { MODE: string }).MODE = "dev"
    }).toThrow(TypeError)
    await c[Symbol.asyncDispose]()
  })

  test("read from disk: the read returns the value the memory layer keeps (frozen), and later hits the same", async () => {
    const dir = fresh()
    const w = cache(dir)
    await w.set("catalog", "show", catalog())
    await w[Symbol.asyncDispose]()

    const r = cache(dir)
    const first = (await r.peek("catalog", "show"))!.value
    expect(first).toEqual(catalog())
    expect(deeplyFrozen(first)).toBe(true)
    expect((await r.peek("catalog", "show"))!.value).toBe(first)
    await r[Symbol.asyncDispose]()
  })

  test("preloaded from disk: frozen, the same object at every hit", async () => {
    const dir = fresh()
    const w = cache(dir)
    await w.set("catalog", "show", catalog())
    await w.set("servers", "enabled", ["a", "b"])
    await w[Symbol.asyncDispose]()

    const r = cache(dir)
    expect(await r.preload()).toBe(2)
    const v = (await r.peek("catalog", "show"))!.value
    expect(v).toEqual(catalog())
    expect(deeplyFrozen(v)).toBe(true)
    expect((await r.peek("catalog", "show"))!.value).toBe(v)
    expect((await r.peek("servers", "enabled"))!.value).toEqual(["a", "b"])
    await r[Symbol.asyncDispose]()
  })

  test("a loader's value: what the next reads return is equal and frozen; the file holds the same", async () => {
    const dir = fresh()
    const c = cache(dir)
    const loaded = catalog()
    expect(await c.getOrLoad("catalog", "show", async () => loaded)).toEqual(catalog())
    const hit = (await c.peek("catalog", "show"))!.value
    expect(hit).toEqual(catalog())
    expect(deeplyFrozen(hit)).toBe(true)
    await c[Symbol.asyncDispose]()
    const again = cache(dir)
    expect((await again.peek("catalog", "show"))!.value).toEqual(catalog())
    await again[Symbol.asyncDispose]()
  })

  test("a value over the memory budget is read from disk each time, equal; memory-only caches copy too", async () => {
    const dir = fresh()
    const small = cache(dir, 1024)
    await small.set("catalog", "show", catalog())
    expect((await small.peek("catalog", "show"))!.value).toEqual(catalog())
    expect((await small.peek("catalog", "show"))!.value).toEqual(catalog())
    await small[Symbol.asyncDispose]()

    const mem = cache(undefined)
    const mine = catalog()
    await mem.set("catalog", "show", mine)
    mine.name = "changed"
    const v = (await mem.peek("catalog", "show"))!.value
    expect(v).toEqual(catalog())
    expect(deeplyFrozen(v)).toBe(true)
    await mem[Symbol.asyncDispose]()
  })
})

describe("parsed and serialised once", () => {
  test("a read from disk parses the value's text once; a hit parses nothing; a write serialises the value once", async () => {
    const dir = fresh()
    const w = cache(dir)
    const value = catalog()
    const stringify = spyOn(JSON, "stringify")
    try {
      await w.set("catalog", "show", value)
      expect(stringify.mock.calls.filter((c) => c[0] === value).length).toBe(1)
    } finally {
      stringify.mockRestore()
    }
    await w[Symbol.asyncDispose]()

    const r = cache(dir)
    const parse = spyOn(JSON, "parse")
    try {
      const valueTexts = (): number => parse.mock.calls.filter((c) => String(c[0]).includes('"docker-mcp"')).length
      await r.peek("catalog", "show")
      expect(valueTexts()).toBe(1)
      await r.peek("catalog", "show")
      await r.getOrLoad("catalog", "show", async () => catalog())
      expect(valueTexts()).toBe(1)
    } finally {
      parse.mockRestore()
    }
    await r[Symbol.asyncDispose]()
  })
})
