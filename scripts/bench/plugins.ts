/**
 * `bun run bench -- plugins`: route hook overhead per tool call with 0, 1 and 5 routing plugins
 * (p50/p99), sandbox and context creation costs, the synchronous parser lane, RSS per plugin, and
 * the first tools/list of a start with 20 large plugins, their checks done vs reused (the compiled
 * binary, next to the floor of no plugins: _plugin-start.ts). Writes bench/results/plugins.json.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { PluginHost } from "../../src/plugin/index.ts"
import { Sandbox } from "../../src/sandbox/index.ts"
import { GuestEngine } from "../../src/sandbox/engine.ts"
import { quickjsWasm } from "../../src/sandbox/wasm.ts"
import { pluginStart } from "./_plugin-start.ts"
import { summarize, table, writeResult } from "./_util.ts"

const CALLS = 5000
const WARMUP = 500
const us = (ms: number): number => Math.round(ms * 1000 * 10) / 10

/** A realistic routing rule: alias table, deny list, default arguments. */
const rule = (i: number): string => `
const ALIASES = { ls: "list_directory", cat: "read_text_file" }
const DENY = new Set(["get-env", "delete_entities"])
export default {
  name: "rule-${i}",
  route(call) {
    const tool = ALIASES[call.tool] ?? call.tool
    if (DENY.has(tool)) return { deny: tool + " is not allowed" }
    if (tool === "read_text_file" && !("head" in call.args)) return { tool, args: { head: 200, ...call.args } }
    return tool === call.tool ? undefined : { tool }
  },
}
`

function rssMiB(): number {
  Bun.gc(true)
  return process.memoryUsage().rss / 1024 / 1024
}

async function routeOverhead(n: number): Promise<{ plugins: number; p50_us: number; p99_us: number; mean_us: number }> {
  const dir = mkdtempSync(join(tmpdir(), "mcpo-bench-plugins-"))
  for (let i = 0; i < n; i++) writeFileSync(join(dir, `rule-${i}.js`), rule(i))
  await using host = await PluginHost.create({ dirs: [dir], log: silentLogger, builtinPrompts: false })
  const call = { server: "everything", tool: "echo", args: { message: "hello" } }
  // what the proxy does per call: skip entirely when no plugin has a route hook
  const once = async (): Promise<unknown> => (host.hasRoute ? host.route(call) : undefined)
  for (let i = 0; i < WARMUP; i++) await once()
  const samples: number[] = []
  for (let i = 0; i < CALLS; i++) {
    const t = performance.now()
    await once()
    samples.push(performance.now() - t)
  }
  rmSync(dir, { recursive: true, force: true })
  const s = summarize(samples)
  return { plugins: n, p50_us: us(s.p50), p99_us: us(s.p99), mean_us: us(s.mean) }
}

async function creation(): Promise<Record<string, { p50_ms: number; p99_ms: number; n: number }>> {
  const out: Record<string, { p50_ms: number; p99_ms: number; n: number }> = {}
  const ms = (xs: number[]) => {
    const s = summarize(xs)
    return { p50_ms: Math.round(s.p50 * 100) / 100, p99_ms: Math.round(s.p99 * 100) / 100, n: s.n }
  }
  const wasm = await quickjsWasm()
  // engine level (inside a worker this is the same code): new WASM module instance, then runtime + context + module eval
  const modules: number[] = []
  const contexts: number[] = []
  for (let i = 0; i < 20; i++) {
    let t = performance.now()
    using engine = await GuestEngine.create(wasm, { memoryBytes: 32 << 20, stackBytes: 512 << 10 }, () => {})
    modules.push(performance.now() - t)
    for (let j = 0; j < 10; j++) {
      t = performance.now()
      engine.load(rule(0), "rule.js", 1000)
      contexts.push(performance.now() - t)
    }
  }
  out["WASM module instance (fixed memory)"] = ms(modules)
  out["runtime + context + module eval"] = ms(contexts)
  // cold sandbox: worker spawn + module instance + eval + first call
  const cold: number[] = []
  const afterFault: number[] = []
  for (let i = 0; i < 15; i++) {
    const t = performance.now()
    await using sb = new Sandbox({ label: "bench", log: silentLogger })
    await sb.load(`export default { f(x) { if (x) throw new Error("x"); return 1 } }`, "b.js", 2000)
    await sb.call(["f"], [0], 100)
    cold.push(performance.now() - t)
    await sb.call(["f"], [1], 100).catch(() => {})
    const t2 = performance.now()
    await sb.call(["f"], [0], 100)
    afterFault.push(performance.now() - t2)
  }
  out["cold sandbox (worker + load + first call)"] = ms(cold)
  out["first call after a guest fault (fresh runtime)"] = ms(afterFault)
  // synchronous lane (parser seam), warm
  await using sb = new Sandbox({ label: "bench-sync", log: silentLogger })
  await sb.load(`export default { f(t) { return t.length } }`, "s.js", 2000)
  sb.callSync(["f"], ["x"], 1000)
  const sync: number[] = []
  for (let i = 0; i < 2000; i++) {
    const t = performance.now()
    sb.callSync(["f"], ["abc"], 1000)
    sync.push(performance.now() - t)
  }
  out["sync lane call (warm)"] = ms(sync)
  return out
}

const RSS_PLUGINS = 20

async function rssPerPlugin(): Promise<{ plugins: number; before_mib: number; after_mib: number; per_plugin_mib: number }> {
  const dir = mkdtempSync(join(tmpdir(), "mcpo-bench-rss-"))
  for (let i = 0; i < RSS_PLUGINS; i++) writeFileSync(join(dir, `rule-${i}.js`), rule(i))
  await quickjsWasm()
  const before = rssMiB()
  await using host = await PluginHost.create({ dirs: [dir], log: silentLogger, builtinPrompts: false })
  await host.route({ server: "a", tool: "b", args: {} })
  const after = rssMiB()
  rmSync(dir, { recursive: true, force: true })
  return { plugins: RSS_PLUGINS, before_mib: Math.round(before), after_mib: Math.round(after), per_plugin_mib: Math.round(((after - before) / RSS_PLUGINS) * 10) / 10 }
}

const route = [await routeOverhead(0), await routeOverhead(1), await routeOverhead(5)]
const create = await creation()
const rss = await rssPerPlugin()
const start = await pluginStart()

console.log(`route hook overhead per tool call (${CALLS} sequential calls after ${WARMUP} warm-up; target p50 ≤ 200 µs)`)
console.log(table(route.map((r) => ({ plugins: r.plugins, "p50 µs": r.p50_us, "p99 µs": r.p99_us, "mean µs": r.mean_us }))))
const r1 = route[1]!
const r5 = route[2]!
console.log(`5 plugins / 1 plugin p50: ${(r5.p50_us / r1.p50_us).toFixed(2)}x`)
console.log("\ncreation costs")
console.log(table(Object.entries(create).map(([what, v]) => ({ what, "p50 ms": v.p50_ms, "p99 ms": v.p99_ms, n: v.n }))))
console.log(`\nRSS: ${rss.before_mib} MiB → ${rss.after_mib} MiB with ${rss.plugins} route plugins (${rss.per_plugin_mib} MiB per plugin; all plugins share one worker)`)
console.log("\nfirst tools/list of a start (no stored answer) with large plugins: compile checks done at this start vs reused from the cache dir")
console.log(table(start.map((r) => ({ ...r }))))
console.log(`\nwrote ${writeResult("plugins", { route, creation: create, rss, start, target: { route_p50_us: 200 }, ratio_5_over_1_p50: r5.p50_us / r1.p50_us })}`)
