/**
 * @module test/cache/answer-after-write
 * A load a caller waits on answers once its entry is on disk: a process ended right after the
 * answer (stdin closed and the shutdown budget spent on a busy machine, a kill) leaves it for the
 * next start. The disk's rename is held back until released, so the order is seen without timing.
 */
import { afterAll, expect, test } from "bun:test"
import { rename } from "node:fs/promises"
import { FileDriver, LayeredDriver, MemoryDriver, TtlCache } from "../../src/cache/index.ts"
import { tempDir } from "./helpers.ts"

const dirs: Array<{ remove(): void }> = []
afterAll(() => dirs.forEach((d) => d.remove()))

const TTL = { catalog: 3_600_000, servers: 3_600_000, tools: 3_600_000, inspect: 3_600_000, config: 3_600_000, secrets: 3_600_000, profiles: 3_600_000 }

test("getOrLoad resolves only after the loaded entry was written: a fresh process reads it", async () => {
  const d = tempDir("answer-write")
  dirs.push(d)
  let release!: () => void
  const held = new Promise<void>((r) => (release = r))
  let renamed = false
  const file = new FileDriver({
    dir: d.dir,
    fs: {
      rename: async (from, to) => {
        await held
        await rename(from, to)
        renamed = true
      },
    },
  })
  const cache = new TtlCache({ driver: new LayeredDriver(new MemoryDriver({ maxEntries: 100, maxBytes: 1 << 20 }), file), ttl: TTL, maintainEvery: 0 })
  let answered = false
  const answer = cache.getOrLoad("inspect", "scope/duckduckgo", async () => ({ tools: [{ name: "search" }], leftOut: { count: 1 } })).then((v) => {
    answered = true
    // what a process killed now would leave: the entry is on disk already
    expect(renamed).toBe(true)
    return v
  })
  // the write is held: no answer yet (a few turns of the event loop, not a timed wait)
  for (let i = 0; i < 20; i++) await Promise.resolve()
  await Bun.sleep(0)
  expect(answered).toBe(false)
  release()
  expect(await answer).toEqual({ tools: [{ name: "search" }], leftOut: { count: 1 } })
  // another process's cache (a fresh driver on the directory) serves it without loading
  await using next = new TtlCache({ driver: new LayeredDriver(new MemoryDriver({ maxEntries: 100, maxBytes: 1 << 20 }), new FileDriver({ dir: d.dir })), ttl: TTL, maintainEvery: 0 })
  expect(await next.getOrLoad("inspect", "scope/duckduckgo", async (): Promise<unknown> => "loaded again")).toEqual({ tools: [{ name: "search" }], leftOut: { count: 1 } })
  await cache[Symbol.asyncDispose]()
})

test("a load whose write fails answers once the write was tried: the disk layer is degraded, the answer stands", async () => {
  const d = tempDir("answer-write-fail")
  dirs.push(d)
  const file = new FileDriver({ dir: d.dir, fs: { rename: async () => Promise.reject(Object.assign(new Error("no space"), { code: "ENOSPC" })) } })
  await using cache = new TtlCache({ driver: new LayeredDriver(new MemoryDriver({ maxEntries: 100, maxBytes: 1 << 20 }), file), ttl: TTL, maintainEvery: 0 })
  expect(await cache.getOrLoad("inspect", "k", async () => ({ a: 1 }))).toEqual({ a: 1 })
  expect(cache.stats().degraded).toBe(true)
})
