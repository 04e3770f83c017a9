/**
 * Regressions (QA qa19, a cache directory in an odd state):
 * - an entry of a server's earlier definition dated in the future (written while a clock was wrong)
 *   counted as written last, for good: it was never pruned. It now has no age to trust and goes
 *   like an old one.
 * - `cache stats` counted entries of a newer mcp-orchestrator (a later file format, which the cache
 *   leaves alone) as invalid; they are counted apart.
 * - the preload at start read every entry file whole (each up to 256 MiB), also ones the memory
 *   layer cannot keep; it now reads no file larger than the memory cap and stops at the cap in
 *   total. A file not preloaded stays on disk and is read when its key is asked for.
 */
import { afterAll, expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import * as fsp from "node:fs/promises"
import { join } from "node:path"
import { CachedToolListStore, createCache, FileDriver, type TtlCache } from "../../src/cache/index.ts"
import { encodeEntry } from "../../src/cache/file-format.ts"
import { entryPath } from "../../src/cache/file-paths.ts"
import { LayeredDriver } from "../../src/cache/layered.ts"
import { MemoryDriver } from "../../src/cache/memory.ts"
import { ConfigSchema } from "../../src/config/index.ts"
import { BIN, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"
import { tempDir } from "./helpers.ts"

const made: Array<{ remove(): void }> = []
afterAll(() => made.forEach((t) => t.remove()))
const DAY = 24 * 3600_000
const dir = (): string => {
  const t = tempDir("odd-disk")
  made.push(t)
  return t.dir
}
const hash = (n: number): string => n.toString(16).padStart(12, "0")

async function run(at: string, fn: (store: CachedToolListStore, cache: TtlCache) => Promise<void>, skewMs = 0): Promise<void> {
  const clock = { now: () => performance.now(), wall: () => Date.now() + skewMs }
  await using cache = createCache(ConfigSchema.parse({ cache: { dir: at } }).cache, { maintainEvery: 0, clock })
  await cache.preload()
  const store = new CachedToolListStore(cache)
  await fn(store, cache)
  await store.flush()
}

test("an earlier definition's entry dated a year ahead is pruned like an old one", async () => {
  const at = dir()
  // written while the clock was a year ahead
  await run(at, (store) => store.save(`fs@${hash(1)}`, [{ name: "a" }]), 365 * DAY)
  // the config's edited definition lists now
  await run(at, (store) => store.save(`fs@${hash(2)}`, [{ name: "a" }]))
  let keys: string[] = []
  await run(at, async (_s, cache) => void (keys = (await cache.driver.keys()).sort()))
  expect(keys).toEqual([`tools:downstream:fs@${hash(2)}`])
})

test("cache stats counts entries of a newer format apart from invalid ones", async () => {
  await ensureBuilt()
  const env = sandboxEnv()
  const entries = join(env.XDG_CACHE_HOME!, "mcp-orchestrator", "entries")
  mkdirSync(entries, { recursive: true })
  const good = encodeEntry("tools:x", Date.now(), "[]")
  writeFileSync(entryPath(entries, "tools:x"), good)
  // a later version's header (format 2), otherwise sound
  const newer = Buffer.from(encodeEntry("tools:y", Date.now(), "[]").toString("utf8").replace('"v":1', '"v":2'))
  writeFileSync(entryPath(entries, "tools:y"), newer)
  writeFileSync(entryPath(entries, "tools:z"), "garbage\n")
  const r = Bun.spawnSync([BIN, "cache", "stats", "--json"], { env, cwd: env.HOME })
  expect(r.exitCode).toBe(0)
  expect(JSON.parse(r.stdout.toString())).toMatchObject({ entries: 1, invalid: 1, newer: 1 })
  const text = Bun.spawnSync([BIN, "cache", "stats"], { env, cwd: env.HOME }).stdout.toString()
  expect(text).toContain("invalid: 1")
  expect(text).toContain("of a newer mcp-orchestrator: 1 (left as they are)")
}, 30_000)

test("the preload reads no file larger than the memory cap; that entry is still read when asked for", async () => {
  const at = dir()
  const big = "x".repeat(512 * 1024)
  {
    await using w = new FileDriver({ dir: at })
    await w.set("tools:big", { value: big, storedAt: Date.now() })
    await w.set("tools:small", { value: "s", storedAt: Date.now() })
  }
  const opened: string[] = []
  const open = ((p: string, ...rest: unknown[]) => {
    opened.push(String(p))
    return (fsp.open as (...a: unknown[]) => Promise<fsp.FileHandle>)(p, ...rest)
  }) as typeof fsp.open
  const bigFile = entryPath(join(at, "entries"), "tools:big")
  await using d = new LayeredDriver(new MemoryDriver({ maxEntries: 100, maxBytes: 64 * 1024 }), new FileDriver({ dir: at, fs: { open } }))
  expect(await d.warm(["tools:"])).toBe(1)
  expect(opened).not.toContain(bigFile)
  expect(d.memory.has("tools:small")).toBe(true)
  // not judged (nor quarantined): read when its key is asked for
  expect((await d.get("tools:big"))?.value).toBe(big)
  expect(d.stats().quarantined).toBe(0)
})
