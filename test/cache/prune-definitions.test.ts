/**
 * A server's stored lists are keyed by its definition (`<server>@<hash>`, app/spec-key): every edit
 * of its command, args, env or url starts new entries. The entries of earlier definitions of the same
 * server name are pruned when a run first writes under the current one: those not written for 30
 * days, any beyond the 64 most recently written, and any past 8 MiB of entries (newest first). Nothing else is touched: other server names,
 * keys that are no definition key, and an entry another process wrote meanwhile. Real file caches
 * in a temporary directory, as the binary uses them (a run = a cache opened, preloaded, closed),
 * and the binary itself with a real npm server whose definition changed.
 */
import { afterAll, expect, test } from "bun:test"
import { readdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { CachedToolListStore, createCache, FileDriver, type TtlCache } from "../../src/cache/index.ts"
import { ConfigSchema } from "../../src/config/index.ts"
import { connectBinary, ensureBuilt, isAlive, listUntil, sandboxEnv } from "../helpers/binary.ts"
import { MEMORY } from "../proxy/helpers.ts"
import { tempDir } from "./helpers.ts"

const made: Array<{ remove(): void }> = []
afterAll(() => made.forEach((t) => t.remove()))
const DAY = 24 * 3600_000
/** As documented (docs/cache.md; cache/tool-list-store OLD_DEFINITIONS_KEPT, OLD_DEFINITION_MAX_AGE_MS). */
const OLD_DEFINITIONS_KEPT = 64
const OLD_DEFINITIONS_MAX_BYTES = 8 * 1024 * 1024
const OLD_DEFINITION_MAX_AGE_MS = 30 * DAY
const tools = [{ name: "read_file" }]
const lists = { prompts: [], resources: [], templates: [] }

/** A definition hash as app/spec-key makes them (12 hex digits). */
const hash = (n: number): string => n.toString(16).padStart(12, "0")

function dir(): string {
  const t = tempDir("prune")
  made.push(t)
  return t.dir
}

/** One run on `dir`: the cache opened and preloaded (as the app does), `fn`, the cache closed. `ageMs`: its writes are that old. */
async function run(at: string, fn: (store: CachedToolListStore, cache: TtlCache) => Promise<void>, ageMs = 0): Promise<void> {
  const clock = { now: () => performance.now(), wall: () => Date.now() - ageMs }
  await using cache = createCache(ConfigSchema.parse({ cache: { dir: at } }).cache, { maintainEvery: 0, clock })
  await cache.preload()
  const store = new CachedToolListStore(cache)
  await fn(store, cache)
  await store.flush()
}

/** The keys on disk, read back by a fresh run. */
async function keysOn(at: string): Promise<string[]> {
  let keys: string[] = []
  await run(at, async (_s, cache) => void (keys = (await cache.driver.keys()).sort()))
  return keys
}

const entryFiles = (at: string): number => readdirSync(join(at, "entries")).filter((n) => n.endsWith(".entry")).length

test("editing a server's definition over and over leaves the entries of at most 64 earlier definitions", async () => {
  const at = dir()
  const edits = OLD_DEFINITIONS_KEPT + 6
  for (let edit = 1; edit <= edits; edit++) {
    await run(at, async (store) => {
      await store.save(`fs@${hash(edit)}`, tools)
      await store.saveLists(`fs@${hash(edit)}`, lists)
    })
  }
  const keys = await keysOn(at)
  // the current definition and the 64 written last, its lists and its other lists
  const kept = Array.from({ length: OLD_DEFINITIONS_KEPT + 1 }, (_, i) => hash(edits - i))
  expect(keys).toEqual(kept.flatMap((h) => [`tools:downstream-lists:fs@${h}`, `tools:downstream:fs@${h}`]).sort())
  expect(entryFiles(at)).toBe(2 * (OLD_DEFINITIONS_KEPT + 1))
})

test("a stdio server without a cwd moved among 12 projects (a definition each) keeps every project's lists", async () => {
  // app/spec-key puts the working directory in the key: each project is one definition. At 8 kept,
  // the 12th project's first write pruned the lists of the 3 opened least recently
  const at = dir()
  for (let project = 1; project <= 12; project++) await run(at, (store) => store.save(`fs@${hash(project)}`, tools))
  expect(await keysOn(at)).toEqual(Array.from({ length: 12 }, (_, i) => `tools:downstream:fs@${hash(i + 1)}`).sort())
})

test("earlier definitions' entries past 8 MiB (newest first) go, whatever their count; the newest stays however large", async () => {
  const at = dir()
  /** A list of about `bytes` on disk (random text: nothing shrinks it). */
  const sized = (bytes: number) => [{ name: "read_file", description: Buffer.from(crypto.getRandomValues(new Uint8Array(Math.floor(bytes * 0.75)))).toString("base64") }]
  const big = () => sized((3 / 8) * OLD_DEFINITIONS_MAX_BYTES)
  for (let d = 1; d <= 5; d++) await run(at, (store) => store.save(`fs@${hash(d)}`, big()))
  // written last: 5 (current), then 4, 3 (6 MiB together), 2 would make 9 MiB
  expect(await keysOn(at)).toEqual([3, 4, 5].map((d) => `tools:downstream:fs@${hash(d)}`))
  // one earlier definition larger than the bound alone stays (the one a switch back needs)
  const at2 = dir()
  await run(at2, (store) => store.save(`fs@${hash(1)}`, sized((9 / 8) * OLD_DEFINITIONS_MAX_BYTES)))
  await run(at2, (store) => store.save(`fs@${hash(2)}`, tools))
  expect(await keysOn(at2)).toEqual([1, 2].map((d) => `tools:downstream:fs@${hash(d)}`))
})

test("an earlier definition not written for 30 days goes; a recent one, other servers' and other keys stay", async () => {
  const at = dir()
  const old = OLD_DEFINITION_MAX_AGE_MS + DAY
  await run(
    at,
    async (store, cache) => {
      await store.save(`fs@${hash(1)}`, tools)
      await store.saveLists(`fs@${hash(1)}`, lists)
      await store.saveSilence(`fs@${hash(1)}`, { listed: true })
      // another server's old definition, an old key that is no definition key, an old Toolkit entry
      await store.save(`github@${hash(7)}`, tools)
      await store.save("fs", tools)
      await cache.set("tools", "docker-tools-ls", { tools: [] })
    },
    old,
  )
  // another config, two days ago, with another definition of `fs` (still in use there)
  await run(at, (store) => store.save(`fs@${hash(2)}`, tools), 2 * DAY)
  // this config's edited definition lists now
  await run(at, (store) => store.save(`fs@${hash(3)}`, tools))
  expect(await keysOn(at)).toEqual(
    [`tools:downstream:fs@${hash(2)}`, `tools:downstream:fs@${hash(3)}`, `tools:downstream:github@${hash(7)}`, "tools:downstream:fs", "tools:docker-tools-ls"].sort(),
  )
})

test("an entry another process wrote since this run read it stays", async () => {
  const at = dir()
  await run(at, (store) => store.save(`fs@${hash(1)}`, tools), OLD_DEFINITION_MAX_AGE_MS + DAY)
  const clock = { now: () => performance.now(), wall: () => Date.now() }
  await using mine = createCache(ConfigSchema.parse({ cache: { dir: at } }).cache, { maintainEvery: 0, clock })
  await mine.preload() // sees fs@1 as written 31 days ago
  // meanwhile another orchestrator sharing the directory lists that definition again
  await run(at, (store) => store.save(`fs@${hash(1)}`, [{ name: "other" }]))
  const store = new CachedToolListStore(mine)
  await store.save(`fs@${hash(2)}`, tools)
  await store.flush()
  expect(await keysOn(at)).toEqual([`tools:downstream:fs@${hash(1)}`, `tools:downstream:fs@${hash(2)}`])
})

test("the binary prunes them when its edited server lists: the old definition's entries go, others stay", async () => {
  await ensureBuilt()
  const env = sandboxEnv()
  const cacheDir = join(env.XDG_CACHE_HOME!, "mcp-orchestrator")
  const now = Date.now()
  {
    await using d = new FileDriver({ dir: cacheDir })
    const old = now - OLD_DEFINITION_MAX_AGE_MS - DAY
    // `mem` as it was defined a month ago, as another config defines it (yesterday), and another server
    await d.set(`tools:downstream:mem@${"a".repeat(12)}`, { value: tools, storedAt: old })
    await d.set(`tools:downstream-lists:mem@${"a".repeat(12)}`, { value: lists, storedAt: old })
    await d.set(`tools:downstream:mem@${"b".repeat(12)}`, { value: tools, storedAt: now - DAY })
    await d.set(`tools:downstream:github@${"a".repeat(12)}`, { value: tools, storedAt: old })
  }
  const config = join(env.HOME!, "config.json")
  writeFileSync(config, JSON.stringify({ servers: { mem: { command: "node", args: [MEMORY] } } }))
  const c = await connectBinary(["--config", config], env)
  try {
    expect(await listUntil(c.client, "mem__read_graph")).toContain("mem__read_graph")
  } finally {
    await c.close()
  }
  // its stored lists are written at the listing, earlier definitions pruned by the shutdown at the latest
  for (let i = 0; i < 400 && c.pid !== undefined && isAlive(c.pid); i++) await Bun.sleep(25)
  await using d = new FileDriver({ dir: cacheDir })
  const keys = (await d.keys()).sort()
  const current = keys.filter((k) => /^tools:downstream:mem@[0-9a-f]{12}$/.test(k) && !k.endsWith("a".repeat(12)) && !k.endsWith("b".repeat(12)))
  expect(current).toHaveLength(1)
  expect(keys.filter((k) => k.includes(`mem@${"a".repeat(12)}`))).toEqual([])
  expect(keys).toContain(`tools:downstream:mem@${"b".repeat(12)}`)
  expect(keys).toContain(`tools:downstream:github@${"a".repeat(12)}`)
}, 60_000)

test("a window's list kept apart for its environment (writer) goes with its definition, and is read first by that window", async () => {
  const at = dir()
  const writerRun = (writer: string, fn: (store: CachedToolListStore) => Promise<void>) => run(at, (_s, cache) => {
    const store = new CachedToolListStore(cache, { writer })
    return fn(store).then(() => store.flush())
  })
  await writerRun("de", (store) => store.save(`fs@${hash(1)}`, [{ name: "de" }]))
  // another environment's window lists otherwise: kept apart, the stored list stays
  await writerRun("en", (store) => store.save(`fs@${hash(1)}`, [{ name: "en" }]))
  let seen: Record<string, unknown> = {}
  await writerRun("de", async (store) => void (seen.de = await store.load(`fs@${hash(1)}`)))
  await writerRun("en", async (store) => void (seen.en = await store.load(`fs@${hash(1)}`)))
  expect(seen).toEqual({ de: [{ name: "de" }], en: [{ name: "en" }] })
  // 65 edits later, that definition's entries are all gone (its variant and writer tags too)
  for (let edit = 2; edit <= OLD_DEFINITIONS_KEPT + 2; edit++) await writerRun("de", (store) => store.save(`fs@${hash(edit)}`, tools))
  expect((await keysOn(at)).filter((k) => k.includes(hash(1)))).toEqual([])
})
