/**
 * `bun run bench -- proxy`: server-everything `echo`, direct SDK Client vs through our proxy (the
 * compiled binary, and an in-process lean face), plus a pure Bun byte relay as the floor of any
 * extra process hop. Every path is warmed up (BENCH_WARM=2000 calls: the JIT of every process,
 * the server's included, settles first), then BENCH_ROUNDS=5 interleaved rounds of 1000 sequential
 * calls and 1000 at concurrency 16; ratios are medians of per-round ratios (a round runs every path
 * back to back, so machine noise hits them alike). Plus spawn-per-call (20). Targets: p50 ≤ 1.5×
 * direct, c=16 throughput ≥ 0.7× direct, pooled ≥ 200× faster than spawn-per-call.
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import { BIN, ensureBinary, ROOT, summarize, table, writeResult, measureRound, medianCell, roundRatio, runSequential, type Cell } from "./_util.ts"

const N = Number(process.env.BENCH_CALLS ?? 1000)
const WARM = Number(process.env.BENCH_WARM ?? 2000)
const C = 16
const SPAWNS = Number(process.env.BENCH_SPAWNS ?? 20)
const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const home = mkdtempSync(join(tmpdir(), "mcpo-bench-proxy-"))
const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, XDG_CONFIG_HOME: join(home, "c"), XDG_CACHE_HOME: join(home, "k") }
const serverCfg = { servers: { ev: { command: "node", args: [EVERYTHING, "stdio"] } }, toolkit: { enabled: "off" } }
const cfgJson = join(home, "config.json")
writeFileSync(cfgJson, JSON.stringify(serverCfg))
const cfgYaml = join(home, "config.yaml")
writeFileSync(cfgYaml, `servers:\n  ev:\n    command: node\n    args: [${JSON.stringify(EVERYTHING)}, stdio]\ntoolkit:\n  enabled: "off"\n`)

interface Path {
  name: string
  command: string
  args: string[]
  tool: string
}

async function connect(p: Path): Promise<Client> {
  const client = new Client({ name: "bench", version: "1" }, { capabilities: {} })
  await client.connect(new StdioClientTransport({ command: p.command, args: p.args, env, stderr: "ignore", cwd: home }))
  return client
}



const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)




/** Connect every path, warm up, then run the rounds interleaved so machine noise hits all paths alike. */
async function measureAll(ps: Path[]): Promise<{ cells: Record<string, Cell[]>; results: Record<string, Cell | undefined> }> {
  const live: { p: Path; client: Client; cells: Cell[] }[] = []
  const out: Record<string, Cell | undefined> = {}
  const cells: Record<string, Cell[]> = {}
  for (const p of ps) {
    const client = await connect(p)
    const tools = await client.listTools()
    if (!tools.tools.some((t) => t.name === p.tool)) {
      console.error(`skipped ${p.name}: ${p.tool} not listed (the binary does not proxy yet?)`)
      await client.close()
      out[p.name] = undefined
      continue
    }
    await runSequential(WARM, () => client.callTool({ name: p.tool, arguments: { message: "hi" } }))
    live.push({ p, client, cells: [] })
  }
  for (let r = 0; r < ROUNDS; r++) for (const l of live) l.cells.push(await measureRound(N, C, () => l.client.callTool({ name: l.p.tool, arguments: { message: "hi" } })))
  for (const l of live) {
    out[l.p.name] = medianCell(l.cells)
    cells[l.p.name] = l.cells
    await l.client.close()
  }
  return { cells, results: out }
}

async function spawnPerCall(): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < SPAWNS; i++) {
    const t = performance.now()
    const client = await connect({ name: "spawn", command: "node", args: [EVERYTHING, "stdio"], tool: "echo" })
    await client.callTool({ name: "echo", arguments: { message: "hi" } })
    await client.close()
    out.push(performance.now() - t)
  }
  return out
}

const paths: Path[] = [
  { name: "direct", command: "node", args: [EVERYTHING, "stdio"], tool: "echo" },
  { name: "Bun byte relay (floor, no parsing)", command: process.execPath, args: [join(ROOT, "scripts", "bench", "_relay.ts"), "node", EVERYTHING, "stdio"], tool: "echo" },
  { name: "proxy in-process (lean face)", command: process.execPath, args: [join(ROOT, "scripts", "bench", "_proxy-face.ts"), cfgJson], tool: "ev__echo" },
]
if (process.env.BENCH_NO_BINARY !== "1") {
  await ensureBinary()
  paths.push({ name: "binary (dist/mcp-orchestrator)", command: BIN, args: ["serve", "--config", cfgYaml], tool: "ev__echo" })
}

const { cells, results } = await measureAll(paths)
const spawn = summarize(await spawnPerCall())

const direct = results.direct!
const rows = Object.entries(results)
  .filter(([, r]) => r)
  .map(([name, r]) => ({
    path: name,
    "seq p50 ms": r!.seq.p50,
    "seq p99 ms": r!.seq.p99,
    "seq calls/s": Math.round(r!.seqRate),
    "c16 p50 ms": r!.c16.p50,
    "c16 p99 ms": r!.c16.p99,
    "c16 calls/s": Math.round(r!.c16Rate),
    "p50 ×direct": roundRatio(cells[name]!, cells.direct, (c) => c.seq.p50)!,
    "c16 tput ×direct": roundRatio(cells[name]!, cells.direct, (c) => c.c16Rate)!,
    "× faster than spawn": spawn.p50 / r!.seq.p50,
  }))
console.log(`server-everything echo; ${N} sequential and ${N} at c=${C} after ${WARM} warm-up calls per path, ${ROUNDS} interleaved rounds (cells: median round; ratios: median of per-round ratios); spawn-per-call n=${SPAWNS} (p50 ${spawn.p50.toFixed(1)} ms)\n`)
console.log(table(rows))
const proxied = rows.filter((r) => r.path !== "direct" && !r.path.startsWith("Bun byte relay"))
const best = proxied.find((r) => r.path.startsWith("binary")) ?? proxied[0]
const targets = best
  ? {
      path: best.path,
      p50Ratio: { value: best["p50 ×direct"], target: "≤ 1.5", ok: best["p50 ×direct"] <= 1.5 },
      c16ThroughputRatio: { value: best["c16 tput ×direct"], target: "≥ 0.7", ok: best["c16 tput ×direct"] >= 0.7 },
      vsSpawnPerCall: { value: best["× faster than spawn"], target: "≥ 200", ok: best["× faster than spawn"] >= 200 },
    }
  : undefined
if (targets) console.log(`\ntargets (${targets.path}): p50 ${targets.p50Ratio.value.toFixed(2)}× (${targets.p50Ratio.ok ? "ok" : "MISSED"}), c16 throughput ${targets.c16ThroughputRatio.value.toFixed(2)}× (${targets.c16ThroughputRatio.ok ? "ok" : "MISSED"}), vs spawn ${Math.round(targets.vsSpawnPerCall.value)}× (${targets.vsSpawnPerCall.ok ? "ok" : "MISSED"})`)
console.log(`wrote ${writeResult("proxy", { calls: N, concurrency: C, warmup: WARM, rounds: ROUNDS, spawns: SPAWNS, results, perRound: cells, spawnPerCall: spawn, rows, targets })}`)
