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
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, relative } from "node:path"
import { STARTUP_JIT_MS } from "../../src/core/jit.ts"
import { ANSWER, compile, cumulativeProbe, evictFromPageCache, GROUPS, LAZY, MIB, rssAfterList, rssSeries, SETTLE_MS } from "./_idle-probe.ts"
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
/**
 * Two page-cache states, each for the floor and ours alike: "read from disk" (both evicted first: an
 * installed binary run again after the cache forgot it) and "freshly written" (both copied anew
 * just before: a binary just built or downloaded). Written pages sit in the cache as large folios
 * and the kernel maps whole folios on a fault, so the same binary counts 3–6 MiB more file-backed
 * RSS in the second state (_idle-probe.ts `evictFromPageCache`).
 */
const STATES = ["read from disk", "freshly written"] as const
type State = (typeof STATES)[number]
function prepare(state: State, bin: string): string {
  if (state === "read from disk") {
    evictFromPageCache(bin)
    return bin
  }
  const copy = `${bin}.fresh`
  copyFileSync(bin, copy)
  chmodSync(copy, 0o755)
  return copy
}
const series = Object.fromEntries(STATES.map((st) => [st, { ours: [] as number[], late: [] as number[], base: [] as number[] }]))
for (let i = 0; i < RUNS; i++) {
  for (const st of STATES) {
    const s = series[st]!
    const [first, then] = await rssSeries([prepare(st, BIN), "serve", "--config", cfg], env, [SETTLE_MS, LATE_MS])
    s.ours.push(first!)
    s.late.push(then!)
    s.base.push(await rssAfterList([prepare(st, bare)], env))
  }
}
rmSync(`${BIN}.fresh`, { force: true })
console.log(`RSS after initialize + tools/list (3 reference servers), ${RUNS} interleaved runs, ${SETTLE_MS} ms settle (and ${LATE_MS} ms, past the start's JIT policy)\n`)
const rows: Array<Record<string, string | number>> = []
const verdicts: string[] = []
const byState: Record<string, { ours: ReturnType<typeof summarize>; late: ReturnType<typeof summarize>; bare: ReturnType<typeof summarize>; overMiB: number }> = {}
for (const st of STATES) {
  const o = summarize(series[st]!.ours.map((b) => b / MIB))
  const l = summarize(series[st]!.late.map((b) => b / MIB))
  const b = summarize(series[st]!.base.map((x) => x / MIB))
  rows.push({ "binary file": st, process: `mcp-orchestrator serve (stdio), ${SETTLE_MS} ms`, runs: o.n, "p50 MiB": o.p50, "min MiB": o.min, "max MiB": o.max })
  rows.push({ "binary file": st, process: `mcp-orchestrator serve (stdio), ${LATE_MS} ms`, runs: l.n, "p50 MiB": l.p50, "min MiB": l.min, "max MiB": l.max })
  rows.push({ "binary file": st, process: "bare bun binary (floor)", runs: b.n, "p50 MiB": b.p50, "min MiB": b.min, "max MiB": b.max })
  const over = Math.max(o.p50, l.p50) - b.p50
  byState[st] = { ours: o, late: l, bare: b, overMiB: over }
  verdicts.push(`idle RSS, binary ${st}: ${o.p50.toFixed(1)} MiB (${l.p50.toFixed(1)} MiB at ${LATE_MS / 1000} s) = floor ${b.p50.toFixed(1)} MiB + ${over.toFixed(1)} MiB (the larger) — target ≤ floor + 25 MiB: ${over <= 25 ? "met" : "NOT met"}`)
}
console.log(table(rows))
console.log(`\n${verdicts.join("\n")}`)

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
  for (const bin of bins) evictFromPageCache(bin)
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
console.log(`results: ${writeResult("idle", { runs: RUNS, lateMs: LATE_MS, byState, targetOverMiB: 25, modules })}`)
