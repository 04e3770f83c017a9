/**
 * `bun run bench -- idle`: resident memory (VmRSS) of `serve` over stdio that only proxies, after
 * `initialize` + `tools/list` with 3 reference servers (everything, memory, filesystem), next to a
 * bare compiled Bun binary (same compile flags) that has answered `initialize` — the floor,
 * measured in the same run. Target: ≤ floor + 25 MiB. The orchestrator's own RSS only (children
 * are separate processes). `BENCH_MODULES=1` also prints what each module group of that session
 * costs: compiled probes that import groups 1..k (scripts/bench/_idle-probe.ts GROUPS, in load
 * order), each step's RSS over the previous one, p50 of 3 interleaved runs, and the same session
 * with no server at all (what the session's work adds beyond evaluating its modules).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, relative } from "node:path"
import { STARTUP_JIT_MS } from "../../src/core/jit.ts"
import { ANSWER, compile, cumulativeProbe, GROUPS, LAZY, MIB, rssAfterList, rssSeries, SETTLE_MS } from "./_idle-probe.ts"
import { BIN, ensureBinary, ROOT, summarize, table, writeResult } from "./_util.ts"

const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const MODS = join(ROOT, "node_modules", "@modelcontextprotocol")

await ensureBinary()
const dir = mkdtempSync(join(tmpdir(), "mcpo-bench-idle-"))
const bare = await compile(dir, "bare", ANSWER)
const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir, XDG_CONFIG_HOME: join(dir, "c"), XDG_CACHE_HOME: join(dir, "k") }
const cfg = join(dir, "config.json")
writeFileSync(
  cfg,
  JSON.stringify({
    toolkit: { enabled: "off" },
    servers: {
      everything: { command: "node", args: [join(MODS, "server-everything", "dist", "index.js"), "stdio"] },
      memory: { command: "node", args: [join(MODS, "server-memory", "dist", "index.js")], env: { MEMORY_FILE_PATH: join(dir, "memory.jsonl") } },
      files: { command: "node", args: [join(MODS, "server-filesystem", "dist", "index.js"), dir] },
    },
  }),
)

/** The second reading: well after the binary's JIT policy went back to normal (src/core/jit.ts). */
const LATE_MS = STARTUP_JIT_MS + 3000
const ours: number[] = []
const late: number[] = []
const base: number[] = []
for (let i = 0; i < RUNS; i++) {
  const [first, then] = await rssSeries([BIN, "serve", "--config", cfg], env, [SETTLE_MS, LATE_MS])
  ours.push(first!)
  late.push(then!)
  base.push(await rssAfterList([bare], env))
}
const o = summarize(ours.map((b) => b / MIB))
const l = summarize(late.map((b) => b / MIB))
const b = summarize(base.map((x) => x / MIB))
console.log(`RSS after initialize + tools/list (3 reference servers), ${RUNS} interleaved runs, ${SETTLE_MS} ms settle (and ${LATE_MS} ms, past the start's JIT policy)\n`)
console.log(table([
  { process: `mcp-orchestrator serve (stdio), ${SETTLE_MS} ms`, runs: o.n, "p50 MiB": o.p50, "min MiB": o.min, "max MiB": o.max },
  { process: `mcp-orchestrator serve (stdio), ${LATE_MS} ms`, runs: l.n, "p50 MiB": l.p50, "min MiB": l.min, "max MiB": l.max },
  { process: "bare bun binary (floor)", runs: b.n, "p50 MiB": b.p50, "min MiB": b.min, "max MiB": b.max },
]))
const over = Math.max(o.p50, l.p50) - b.p50
console.log(`\nidle RSS: ${o.p50.toFixed(1)} MiB (${l.p50.toFixed(1)} MiB at ${LATE_MS / 1000} s) = floor ${b.p50.toFixed(1)} MiB + ${over.toFixed(1)} MiB (the larger) — target ≤ floor + 25 MiB: ${over <= 25 ? "met" : "NOT met"}`)

const modules: Record<string, number> = {}
if (process.env.BENCH_MODULES) {
  // Probe sources live under the repo (.tmp/ is ignored) so their imports resolve from node_modules.
  mkdirSync(join(ROOT, ".tmp"), { recursive: true })
  const probeDir = mkdtempSync(join(ROOT, ".tmp", "idle-probes-"))
  const bins = [bare]
  for (let k = 1; k <= GROUPS.length; k++) bins.push(await compile(probeDir, `upto-${k}`, cumulativeProbe(k, relative(ROOT, probeDir)) + ANSWER))
  for (const [i, l] of LAZY.entries()) bins.push(await compile(probeDir, `lazy-${i}`, cumulativeProbe(GROUPS.length, relative(ROOT, probeDir), l.imports) + ANSWER))
  const empty = join(dir, "empty.json")
  writeFileSync(empty, JSON.stringify({ toolkit: { enabled: "off" }, servers: {} }))
  const runs = [...bins.map((bin) => [bin]), [BIN, "serve", "--config", empty], [BIN, "serve", "--config", cfg]]
  const samples: number[][] = runs.map(() => [])
  for (let i = 0; i < 3; i++) for (const [j, cmd] of runs.entries()) samples[j]!.push((await rssAfterList(cmd, env)) / MIB)
  const p50 = samples.map((s) => summarize(s).p50)
  const floor = p50[0]!
  const rows: Array<Record<string, string | number>> = []
  for (let k = 1; k <= GROUPS.length; k++) {
    modules[GROUPS[k - 1]!.name] = p50[k]! - p50[k - 1]!
    rows.push({ "+ module group": GROUPS[k - 1]!.name, "RSS MiB": p50[k]!, "step MiB": p50[k]! - p50[k - 1]!, "over floor MiB": p50[k]! - floor })
  }
  const all = p50[GROUPS.length]!
  const lazyAt = GROUPS.length + 1
  const [none, three] = [p50[lazyAt + LAZY.length]!, p50[lazyAt + LAZY.length + 1]!]
  rows.push({ "+ module group": "serve, no server (what serve loads and does)", "RSS MiB": none, "step MiB": none - all, "over floor MiB": none - floor })
  rows.push({ "+ module group": "serve, 3 reference servers", "RSS MiB": three, "step MiB": three - none, "over floor MiB": three - floor })
  modules["serve, no server"] = none - all
  modules["3 reference servers"] = three - none
  const lazyRows = LAZY.map((l, i) => {
    modules[l.name] = p50[lazyAt + i]! - all
    return { "not evaluated by that session": l.name, "would add MiB": p50[lazyAt + i]! - all }
  })
  console.log(`\nmodule groups of a stdio session that only proxies, imported cumulatively in compiled probes (p50 of 3):\n${table(rows)}\n\n${table(lazyRows)}`)
}
console.log(`results: ${writeResult("idle", { runs: RUNS, ours: o, oursLate: l, lateMs: LATE_MS, bare: b, overMiB: over, targetOverMiB: 25, modules })}`)
