/**
 * `bun run bench -- proxy`: server-everything `echo`, direct SDK Client vs through our proxy (the
 * compiled binary, and an in-process lean face), beside a pure Bun byte relay: the floor of any
 * extra process hop, which our figures are given as a fraction of.
 *
 * One server: BENCH_CALLS=1000 sequential calls, then 1000 at c=16 and 1000 at c=64. Four servers
 * called concurrently (calls spread round-robin over `ev1__echo`…`ev4__echo`; direct and relay:
 * four clients, one per server or relay): 1000 at c=16 and 1000 at c=64. Every path is warmed up
 * first (BENCH_WARM=5000 sequential + as many at c=16: the JIT of every process, the servers'
 * included, settles first; our CPU per call still falls for ~20 000 calls after a start, the
 * relay's does not), then BENCH_ROUNDS=5 interleaved rounds (each round runs every path back
 * to back, so machine noise hits them alike, in reverse order every other round); cells are the median round, ratios the median of
 * per-round ratios. Plus spawn-per-call (BENCH_SPAWNS=20).
 * `BENCH_BASE_BIN=<path>[,<path>…]` adds other binaries (e.g. a build from before a change) to every
 * round: before/after from one run. `BENCH_LEAN=0` leaves the lean face out, `BENCH_NO_BINARY=1` the binary.
 * Targets (issue 15), the binary against the relay: p50 ≤ 1.05×, throughput ≥ 0.9× at c=16, at c=64
 * and with four servers; against direct: p50 ≤ 1.5×, c=16 ≥ 0.7×, ≥ 200× faster than spawn-per-call.
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import { BIN, ensureBinary, ROOT, runConcurrent, runSequential, summarize, table, writeResult } from "./_util.ts"

const N = Number(process.env.BENCH_CALLS ?? 1000)
const WARM = Number(process.env.BENCH_WARM ?? 5000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const SPAWNS = Number(process.env.BENCH_SPAWNS ?? 20)
const CONC = [16, 64] as const
const SERVERS = 4
const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const RELAY = join(ROOT, "scripts", "bench", "_relay.ts")
const home = mkdtempSync(join(tmpdir(), "mcpo-bench-proxy-"))
const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, XDG_CONFIG_HOME: join(home, "c"), XDG_CACHE_HOME: join(home, "k") }

/** A config file with `names` as server-everything stdio servers (JSON for the lean face, YAML for the binary). */
function configFile(names: string[], kind: "json" | "yaml"): string {
  const file = join(home, `config-${names.length}.${kind}`)
  if (kind === "json") {
    const servers = Object.fromEntries(names.map((n) => [n, { command: "node", args: [EVERYTHING, "stdio"] }]))
    writeFileSync(file, JSON.stringify({ servers, toolkit: { enabled: "off" } }))
  } else {
    const servers = names.map((n) => `  ${n}:\n    command: node\n    args: [${JSON.stringify(EVERYTHING)}, stdio]\n`).join("")
    writeFileSync(file, `servers:\n${servers}toolkit:\n  enabled: "off"\n`)
  }
  return file
}
const many = Array.from({ length: SERVERS }, (_, i) => `ev${i + 1}`)

interface Endpoint {
  command: string
  args: string[]
  /** Tools called on this endpoint, round-robin. */
  tools: string[]
}

interface Path {
  name: string
  /** One client per endpoint; calls go round-robin over every (client, tool) pair. */
  endpoints: Endpoint[]
  seq: boolean
}

interface Cell {
  seq?: ReturnType<typeof summarize>
  conc: Record<number, { lat: ReturnType<typeof summarize>; rate: number }>
}

async function connect(e: Endpoint): Promise<Client> {
  const client = new Client({ name: "bench", version: "1" }, { capabilities: {} })
  await client.connect(new StdioClientTransport({ command: e.command, args: e.args, env, stderr: "ignore", cwd: home }))
  return client
}

interface Live {
  p: Path
  clients: Client[]
  op: () => Promise<unknown>
  cells: Cell[]
}

async function open(p: Path): Promise<Live | undefined> {
  const clients: Client[] = []
  const targets: { client: Client; tool: string }[] = []
  for (const e of p.endpoints) {
    const client = await connect(e)
    clients.push(client)
    const listed = new Set((await client.listTools()).tools.map((t) => t.name))
    const missing = e.tools.filter((t) => !listed.has(t))
    if (missing.length) {
      console.error(`skipped ${p.name}: ${missing.join(", ")} not listed`)
      await Promise.all(clients.map((c) => c.close()))
      return undefined
    }
    for (const tool of e.tools) targets.push({ client, tool })
  }
  let i = 0
  const op = (): Promise<unknown> => {
    const t = targets[i++ % targets.length]!
    return t.client.callTool({ name: t.tool, arguments: { message: "hi" } })
  }
  await runSequential(WARM, op)
  await runConcurrent(WARM, 16, op)
  return { p, clients, op, cells: [] }
}

async function round(l: Live): Promise<Cell> {
  const cell: Cell = { conc: {} }
  if (l.p.seq) cell.seq = summarize(await runSequential(N, l.op))
  for (const c of CONC) {
    const r = await runConcurrent(N, c, l.op)
    cell.conc[c] = { lat: summarize(r.lat), rate: r.rate }
  }
  return cell
}

async function spawnPerCall(): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < SPAWNS; i++) {
    const t = performance.now()
    const client = await connect({ command: "node", args: [EVERYTHING, "stdio"], tools: ["echo"] })
    await client.callTool({ name: "echo", arguments: { message: "hi" } })
    await client.close()
    out.push(performance.now() - t)
  }
  return out
}

const direct = (tool = "echo"): Endpoint => ({ command: "node", args: [EVERYTHING, "stdio"], tools: [tool] })
const relayed = (): Endpoint => ({ command: process.execPath, args: [RELAY, "node", EVERYTHING, "stdio"], tools: ["echo"] })
const binaries: { name: string; bin: string }[] = []
if (process.env.BENCH_NO_BINARY !== "1") {
  await ensureBinary()
  binaries.push({ name: "binary", bin: BIN })
}
for (const bin of (process.env.BENCH_BASE_BIN ?? "").split(",").filter(Boolean)) binaries.push({ name: `binary (${bin})`, bin })

const one = configFile(["ev"], "yaml")
const four = configFile(many, "yaml")
const single: Path[] = [
  { name: "direct", endpoints: [direct()], seq: true },
  { name: "relay", endpoints: [relayed()], seq: true },
  ...(process.env.BENCH_LEAN === "0" ? [] : [{ name: "lean face (in-process createProxy)", endpoints: [{ command: process.execPath, args: [join(ROOT, "scripts", "bench", "_proxy-face.ts"), configFile(["ev"], "json")], tools: ["ev__echo"] }], seq: true }]),
  ...binaries.map((b) => ({ name: b.name, endpoints: [{ command: b.bin, args: ["serve", "--config", one], tools: ["ev__echo"] }], seq: true })),
]
const multi: Path[] = [
  { name: `direct ×${SERVERS}`, endpoints: many.map(() => direct()), seq: false },
  { name: `relay ×${SERVERS}`, endpoints: many.map(() => relayed()), seq: false },
  ...binaries.map((b) => ({ name: `${b.name}, ${SERVERS} servers`, endpoints: [{ command: b.bin, args: ["serve", "--config", four], tools: many.map((n) => `${n}__echo`) }], seq: false })),
]

const live: Live[] = []
for (const p of [...single, ...multi]) {
  const l = await open(p)
  if (l) live.push(l)
}
// every other round runs the paths in reverse order: a drift of the machine within a round (load,
// a vCPU's clock) then favours no path; ratios stay per round
for (let r = 0; r < ROUNDS; r++) for (const l of r % 2 === 0 ? live : [...live].reverse()) l.cells.push(await round(l))
await Promise.all(live.flatMap((l) => l.clients.map((c) => c.close())))
const spawn = summarize(await spawnPerCall())

const cellsOf = (name: string): Cell[] | undefined => live.find((l) => l.p.name === name)?.cells
/** Median over rounds of a/b within each round. */
function ratio(a: Cell[], b: Cell[] | undefined, key: (c: Cell) => number | undefined): number | undefined {
  if (!b) return undefined
  const rs: number[] = []
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = key(a[i]!)
    const y = key(b[i]!)
    if (x !== undefined && y !== undefined) rs.push(x / y)
  }
  rs.sort((x, y) => x - y)
  if (!rs.length) return undefined
  const m = rs.length >> 1
  return rs.length % 2 ? rs[m]! : (rs[m - 1]! + rs[m]!) / 2
}
/** The median round's value. */
function median(cells: Cell[], key: (c: Cell) => number | undefined): number {
  const xs = cells.map(key).filter((x): x is number => x !== undefined).sort((a, b) => a - b)
  return xs[xs.length >> 1] ?? NaN
}
const p50 = (c: Cell): number | undefined => c.seq?.p50
const rate = (k: number) => (c: Cell): number | undefined => c.conc[k]?.rate
const fmt = (x: number | undefined): string | number => (x === undefined ? "" : Math.round(x * 100) / 100)

const singleRows = live.filter((l) => l.p.seq).map((l) => {
  const d = cellsOf("direct")
  const f = cellsOf("relay")
  return {
    path: l.p.name,
    "seq p50 ms": median(l.cells, p50),
    "seq p99 ms": median(l.cells, (c) => c.seq?.p99),
    "c16 calls/s": Math.round(median(l.cells, rate(16))),
    "c64 calls/s": Math.round(median(l.cells, rate(64))),
    "p50 ×relay": fmt(ratio(l.cells, f, p50)),
    "c16 ×relay": fmt(ratio(l.cells, f, rate(16))),
    "c64 ×relay": fmt(ratio(l.cells, f, rate(64))),
    "p50 ×direct": fmt(ratio(l.cells, d, p50)),
    "c16 ×direct": fmt(ratio(l.cells, d, rate(16))),
    "c64 ×direct": fmt(ratio(l.cells, d, rate(64))),
    "× faster than spawn": Math.round(spawn.p50 / median(l.cells, p50)),
  }
})
const multiRows = live.filter((l) => !l.p.seq).map((l) => {
  const d = cellsOf(`direct ×${SERVERS}`)
  const f = cellsOf(`relay ×${SERVERS}`)
  return {
    path: l.p.name,
    "c16 calls/s": Math.round(median(l.cells, rate(16))),
    "c64 calls/s": Math.round(median(l.cells, rate(64))),
    "c16 p99 ms": median(l.cells, (c) => c.conc[16]?.lat.p99),
    "c64 p99 ms": median(l.cells, (c) => c.conc[64]?.lat.p99),
    "c16 ×relay": fmt(ratio(l.cells, f, rate(16))),
    "c64 ×relay": fmt(ratio(l.cells, f, rate(64))),
    "c16 ×direct": fmt(ratio(l.cells, d, rate(16))),
    "c64 ×direct": fmt(ratio(l.cells, d, rate(64))),
  }
})

console.log(`server-everything echo; ${ROUNDS} interleaved rounds after ${WARM} + ${WARM} (c=16) warm-up calls per path (cells: median round; ratios: median of per-round ratios); spawn-per-call n=${SPAWNS} (p50 ${spawn.p50.toFixed(1)} ms)\n`)
console.log(`One server: ${N} sequential, ${N} at c=16, ${N} at c=64\n`)
console.log(table(singleRows))
console.log(`\n${SERVERS} servers called concurrently (round-robin; direct and relay: one client per server): ${N} at c=16, ${N} at c=64\n`)
console.log(table(multiRows))

type Target = { value: number | undefined; target: string; ok: boolean }
const check = (value: number | undefined, op: "≤" | "≥", bound: number): Target => ({ value, target: `${op} ${bound}`, ok: value !== undefined && (op === "≤" ? value <= bound : value >= bound) })
const targets: Record<string, Record<string, Target>> = {}
for (const b of binaries) {
  const s = live.find((l) => l.p.name === b.name)?.cells
  const m = live.find((l) => l.p.name === `${b.name}, ${SERVERS} servers`)?.cells
  if (!s) continue
  const relay = cellsOf("relay")
  const relayMany = cellsOf(`relay ×${SERVERS}`)
  const direct1 = cellsOf("direct")
  targets[b.name] = {
    "p50 ×relay": check(ratio(s, relay, p50), "≤", 1.05),
    "c16 ×relay": check(ratio(s, relay, rate(16)), "≥", 0.9),
    "c64 ×relay": check(ratio(s, relay, rate(64)), "≥", 0.9),
    [`${SERVERS} servers c16 ×relay`]: check(m && ratio(m, relayMany, rate(16)), "≥", 0.9),
    [`${SERVERS} servers c64 ×relay`]: check(m && ratio(m, relayMany, rate(64)), "≥", 0.9),
    "p50 ×direct": check(ratio(s, direct1, p50), "≤", 1.5),
    "c16 ×direct": check(ratio(s, direct1, rate(16)), "≥", 0.7),
    "× faster than spawn": check(spawn.p50 / median(s, p50), "≥", 200),
  }
  const line = Object.entries(targets[b.name]!).map(([k, t]) => `${k} ${t.value === undefined ? "?" : t.value.toFixed(2)} (${t.target}: ${t.ok ? "ok" : "MISSED"})`)
  console.log(`\ntargets (${b.name}): ${line.join(", ")}`)
}
const perRound = Object.fromEntries(live.map((l) => [l.p.name, l.cells]))
console.log(`wrote ${writeResult("proxy", { calls: N, concurrency: CONC, servers: SERVERS, warmup: WARM, rounds: ROUNDS, spawns: SPAWNS, perRound, spawnPerCall: spawn, single: singleRows, multi: multiRows, targets })}`)
// protocol eras (issue 12): modern downstreams (stdio, HTTP) beside legacy ones, and the legacy hot path vs the HEAD build in the same run (_proxy-eras.ts; BENCH_NO_ERAS=1 skips)
if (process.env.BENCH_NO_ERAS !== "1" && process.env.BENCH_NO_BINARY !== "1") await (await import("./_proxy-eras.ts")).benchEras({ calls: N, concurrency: 16, warmup: WARM, rounds: ROUNDS })
process.exit(0)
