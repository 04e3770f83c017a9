/**
 * `bun run bench -- cache`: hit latency (p50/p99, ops/s) of the memory, file and layered drivers
 * and of `TtlCache.getOrLoad`, the layered-vs-file ratio, write and preload cost, measured in one run.
 * Exports `measure` and `seedToolLists` for the warm-start-through-the-binary part.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { CachedToolListStore, ConfigSchemaCache, FileDriver, LayeredDriver, MemoryDriver, TtlCache, createCache } from "./_cache-deps.ts"
import { summarize, table, writeResult } from "./_util.ts"

const N = Number(process.env.BENCH_CACHE_OPS ?? 20_000)

/** A realistic tool list: `count` tools with descriptions and JSON schemas (~0.6 KiB each). */
export function sampleTools(count = 30): Array<{ name: string } & Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => ({
    name: `tool_${i}`,
    description: `Does thing number ${i}. `.repeat(12),
    inputSchema: { type: "object", properties: { path: { type: "string", description: "a path" }, limit: { type: "number" } }, required: ["path"] },
  }))
}

/** Per-op latency in microseconds of `n` awaited calls (after a warm-up of n/10). */
export async function measure(n: number, op: (i: number) => Promise<unknown>): Promise<ReturnType<typeof summarize> & { opsPerSec: number }> {
  for (let i = 0; i < Math.ceil(n / 10); i++) await op(i)
  const samples = new Array<number>(n)
  const start = Bun.nanoseconds()
  for (let i = 0; i < n; i++) {
    const t0 = Bun.nanoseconds()
    await op(i)
    samples[i] = (Bun.nanoseconds() - t0) / 1000
  }
  const totalS = (Bun.nanoseconds() - start) / 1e9
  return { ...summarize(samples), opsPerSec: n / totalS }
}

/** Writes tool lists for `servers` into a cache dir (what a previous run would have left). */
export async function seedToolLists(dir: string, servers: string[], tools = sampleTools()): Promise<void> {
  await using cache = createCache(ConfigSchemaCache({ dir }), { maintainEvery: 0 })
  const store = new CachedToolListStore(cache)
  for (const s of servers) await store.save(s, tools)
}

if (import.meta.main) {
  const dir = mkdtempSync(join(tmpdir(), "mcpo-bench-cache-"))
  try {
    const value = sampleTools()
    const keys = Array.from({ length: 50 }, (_, i) => `tools:downstream:srv${i}`)
    const memory = new MemoryDriver()
    const file = new FileDriver({ dir: join(dir, "file") })
    const layered = new LayeredDriver(new MemoryDriver(), new FileDriver({ dir: join(dir, "layered") }))
    for (const d of [memory, file, layered]) for (const k of keys) await d.set(k, { value, storedAt: Date.now() })
    const ttl = new TtlCache({ driver: layered, ttl: ConfigSchemaCache({}).ttl, maintainEvery: 0 })
    const pick = (i: number) => keys[i % keys.length]!

    const results = {
      memoryHit: await measure(N, (i) => memory.get(pick(i))),
      layeredHit: await measure(N, (i) => layered.get(pick(i))),
      ttlGetOrLoadHit: await measure(N, (i) => ttl.getOrLoad("tools", `downstream:srv${i % keys.length}`, async () => value)),
      fileHit: await measure(Math.min(N, 2000), (i) => file.get(pick(i))),
      fileWrite: await measure(300, (i) => file.set(pick(i), { value, storedAt: Date.now() })),
    }
    const preloadDir = join(dir, "preload")
    const servers = Array.from({ length: 100 }, (_, i) => `srv${i}`)
    await seedToolLists(preloadDir, servers)
    const t0 = performance.now()
    const warm = createCache(ConfigSchemaCache({ dir: preloadDir }), { maintainEvery: 0 })
    const preloaded = await warm.preload()
    const preloadMs = performance.now() - t0
    await warm[Symbol.asyncDispose]()

    const valueBytes = Buffer.byteLength(JSON.stringify(value))
    const rows = Object.entries(results).map(([name, s]) => ({
      op: name,
      n: s.n,
      "p50 µs": s.p50,
      "p99 µs": s.p99,
      "ops/s": Math.round(s.opsPerSec),
    }))
    const ratio = results.fileHit.p50 / results.layeredHit.p50
    console.log(`value: ${value.length} tools, ${(valueBytes / 1024).toFixed(1)} KiB JSON\n`)
    console.log(table(rows))
    console.log(`\nfile hit / layered hit (p50): ${ratio.toFixed(1)}x`)
    console.log(`preload of ${preloaded} tool lists from disk: ${preloadMs.toFixed(1)} ms`)
    const { warmStart } = await import("./_warmstart.ts")
    const ws = await warmStart()
    console.log(
      `\nwarm start (spawn → tools/list from the file cache, downstream still booting), median of ${ws.warm.n}: ${ws.warm.p50.toFixed(1)} ms (p90 ${ws.warm.p90.toFixed(1)}; target ≤ ${ws.targetMs} ms: ${ws.warm.p50 <= ws.targetMs ? "met" : "NOT met"}); cold start of the same config: ${ws.cold.ms.toFixed(0)} ms (${(ws.cold.ms / ws.warm.p50).toFixed(0)}× slower)`,
    )
    const out = writeResult("cache", { valueBytes, results, fileOverLayeredP50: ratio, preload: { entries: preloaded, ms: preloadMs }, warmStart: ws })
    console.log(`\nwritten ${out}`)
    await ttl[Symbol.asyncDispose]()
    await memory[Symbol.asyncDispose]()
    await file[Symbol.asyncDispose]()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
