/**
 * `bun run bench -- peers`: server-everything `echo` direct vs our binary vs npm peer proxies (mcp-proxy,
 * supergateway, mcp-hub; installed into bench/.peers, never project deps), interleaved in one run.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { BIN, ensureBinary, ROOT, measureRound, medianCell, roundRatio, runSequential, table, writeResult, type Cell } from "./_util.ts"
import { descendants, reap, rss } from "./_peers-launch.ts"
import { TARGETS, type Ctx, type Live, type Target } from "./_peers-targets.ts"

const N = Number(process.env.BENCH_CALLS ?? 1000)
const WARM = 100
const C = 16
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const CALL_TIMEOUT_MS = 15_000
const ONLY = process.env.BENCH_PEERS?.split(",").map((s) => s.trim()) // e.g. BENCH_PEERS=mcp-hub

interface Slot {
  t: Target
  live?: Live
  cells: Cell[]
  error?: string
  rssIdle?: ReturnType<typeof rss>
  rssAfter?: ReturnType<typeof rss>
  closed?: boolean
  /** processes in the path's tree at teardown */
  processes?: number
}

const node = Bun.which("node")
if (!node) throw new Error("node not found on PATH (server-everything and the peers run under node)")
const nodeVersion = new TextDecoder().decode(Bun.spawnSync([node, "--version"]).stdout).trim()
const home = mkdtempSync(join(tmpdir(), "mcpo-bench-peers-"))
const everything = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, XDG_CONFIG_HOME: join(home, "c"), XDG_CACHE_HOME: join(home, "k"), XDG_STATE_HOME: join(home, "s") }
const configYaml = join(home, "config.yaml")
writeFileSync(configYaml, `servers:\n  ev:\n    command: ${JSON.stringify(node)}\n    args: [${JSON.stringify(everything)}, stdio]\ntoolkit:\n  enabled: "off"\n`)

let binary: Ctx["binary"]
if (process.env.BENCH_NO_BINARY !== "1") {
  await ensureBinary()
  binary = { bin: BIN, configYaml }
}
const ctx: Ctx = { node, everything, home, env, binary }

const call = (l: Live) => l.client.callTool({ name: l.tool, arguments: { message: "hi" } }, undefined, { timeout: CALL_TIMEOUT_MS })




const msg = (e: unknown) => (e instanceof Error ? e.message : String(e)).replace(/\s+/g, " ").slice(0, 400)

const slots: Slot[] = TARGETS.filter((t) => t.kind !== "binary" || binary)
  .filter((t) => !ONLY || t.kind !== "peer" || ONLY.some((o) => t.name.startsWith(o)))
  .map((t) => ({ t, cells: [] }))

/** Closes a path and checks that every process of its tree (snapshot before closing) is gone. */
async function teardown(s: Slot): Promise<void> {
  const l = s.live
  if (!l || s.closed) return
  s.closed = true
  const tree = l.root ? [l.root, ...descendants(l.root)] : []
  s.processes = tree.length
  await l.dispose().catch((e) => console.error(`${s.t.name}: close: ${msg(e)}`))
  const { lingered, survived } = await reap(tree)
  if (lingered.length) notes.push(`${s.t.name}: ${lingered.length} of ${tree.length} processes still running 3 s after close, SIGKILLed by the bench`)
  if (survived.length) leftovers.push(`${s.t.name}: ${survived.join(",")}`)
}

async function drop(s: Slot, why: string): Promise<void> {
  s.error = why
  console.error(`${s.t.name}: ${why}`)
  await teardown(s)
}

let interrupted = false
const onSignal = () => {
  interrupted = true
}
process.on("SIGINT", onSignal)
process.on("SIGTERM", onSignal)

const leftovers: string[] = []
const notes: string[] = []
try {
  for (const s of slots) {
    try {
      s.live = await s.t.open(ctx)
      const live = s.live
      await runSequential(WARM, () => call(live))
      s.rssIdle = rss(s.live.proxyPid)
    } catch (e) {
      await drop(s, `failed to start: ${msg(e)}`)
    }
  }
  for (let r = 0; r < ROUNDS && !interrupted; r++) {
    for (const s of slots) {
      if (!s.live || s.closed || interrupted) continue
      try {
        s.cells.push(await measureRound(N, C, () => call(s.live!)))
      } catch (e) {
        await drop(s, `failed in round ${r + 1}: ${msg(e)}`)
      }
    }
  }
  for (const s of slots) if (s.live && !s.closed) s.rssAfter = rss(s.live.proxyPid)
} finally {
  for (const s of slots) await teardown(s)
  rmSync(home, { recursive: true, force: true })
}

const results = Object.fromEntries(slots.filter((s) => s.cells.length).map((s) => [s.t.name, medianCell(s.cells)]))
const ratio = (a: Cell[], b: Cell[] | undefined, key: (c: Cell) => number): number | string => roundRatio(a, b, key) ?? "—"
const cellsOf = (name: string) => slots.find((s) => s.t.name === name && s.cells.length)?.cells
const p50 = (c: Cell) => c.seq.p50
const tput = (c: Cell) => c.c16Rate
const direct = cellsOf("direct")
const bin = cellsOf("binary")
const rows = slots
  .filter((s) => results[s.t.name])
  .map((s) => {
    const r = results[s.t.name]!
    return {
      path: s.t.name,
      "seq p50 ms": r.seq.p50,
      "seq p99 ms": r.seq.p99,
      "seq calls/s": Math.round(r.seqRate),
      "c16 p50 ms": r.c16.p50,
      "c16 p99 ms": r.c16.p99,
      "c16 calls/s": Math.round(r.c16Rate),
      "p50 ×direct": ratio(s.cells, direct, p50),
      "c16 ×direct": ratio(s.cells, direct, tput),
      "p50 ×binary": ratio(s.cells, bin, p50),
      "c16 ×binary": ratio(s.cells, bin, tput),
      "proxy RSS MiB": s.rssAfter ? Math.round(s.rssAfter.rssMiB) : "—",
    }
  })

console.log(`server-everything echo; ${N} sequential and ${N} at c=${C} after ${WARM} warm-up; median of ${ROUNDS} interleaved rounds; ratios (seq p50 latency, c16 throughput) are medians of per-round ratios\n`)
console.log(table(rows))
for (const s of slots) console.log(`  ${s.t.name}: ${s.t.detail}${s.live?.listeners.length ? `; listening on ${s.live.listeners.join(", ")}` : ""}${s.error ? `; FAILED: ${s.error}` : ""}`)
for (const n of notes) console.log(`  note: ${n}`)
console.log(leftovers.length ? `CLEANUP FAILED, still running: ${leftovers.join("; ")}` : `cleanup: all ${slots.reduce((n, s) => n + (s.processes ?? 0), 0)} processes of the measured paths are gone`)
if (interrupted) console.log("interrupted: partial results")
const detail = slots.map((s) => ({
  name: s.t.name,
  kind: s.t.kind,
  detail: s.t.detail,
  ok: !s.error && s.cells.length > 0,
  error: s.error,
  tool: s.live?.tool,
  listeners: s.live?.listeners,
  rssIdleMiB: s.rssIdle?.rssMiB,
  rssAfterMiB: s.rssAfter?.rssMiB,
  rssPeakMiB: s.rssAfter?.peakMiB,
  processes: s.processes,
  rounds: s.cells,
}))
console.log(`wrote ${writeResult("peers", { calls: N, concurrency: C, rounds: ROUNDS, warmup: WARM, node: nodeVersion, bun: Bun.version, results, rows, paths: detail, cleanupNotes: notes, leftovers })}`)
process.exit(leftovers.length ? 1 : 0)
