/**
 * `bun run bench -- http`: server-everything `echo` through our Streamable HTTP endpoint (compiled
 * binary, `serve --no-stdio --http`, proxied as `ev__echo`) vs a direct stdio SDK client, at
 * concurrency 1 and 16: p50, p99, calls/s and the ratios, measured in this one run. Two HTTP
 * clients: the SDK v1 `Client` (legacy era: a session) and the SDK v2 `Client` pinned to 2026-07-28
 * (modern era: stateless requests). While the binary does not proxy yet, the HTTP side calls our
 * own `orchestrator_status` instead (labelled). `BENCH_ROUNDS` (default 3) interleaved rounds of the
 * three paths: the ratios are printed as the median and the spread over the rounds. Beside them: the
 * orchestrator's CPU time per call (Linux, from /proc: steadier than latency on a busy machine), the
 * clients' own floor (each client against a no-op server), and the HTTP face's own JavaScript per
 * call measured in process (_http-layer.ts).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from "@modelcontextprotocol/client"
import { StdioClientTransport as ModernStdio } from "@modelcontextprotocol/client/stdio"
import { httpLayerCost } from "./_http-layer.ts"
import { BIN, ensureBinary, ROOT, summarize, table, writeResult, runConcurrent } from "./_util.ts"

const N = Number(process.env.BENCH_CALLS ?? 1000)
/** Warm-up calls per path and round (sequential, then as many at c=16): the JIT of every process settles first. */
const WARM = Number(process.env.BENCH_WARM ?? 5000)
const C = 16
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3))
const TOKEN = "bench-" + crypto.randomUUID()
const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const home = mkdtempSync(join(tmpdir(), "mcpo-bench-http-"))
const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, XDG_CONFIG_HOME: join(home, "c"), XDG_CACHE_HOME: join(home, "k") }
const cfg = join(home, "config.json")
const ECHO_V2 = [process.execPath, join(ROOT, "scripts", "bench", "_echo-v2-server.ts"), "stdio"]
// ev: server-everything (legacy era); v2: the SDK v2 echo server, the same downstream as the 2026-07-28 client's relay floor
writeFileSync(cfg, JSON.stringify({ servers: { ev: { command: "node", args: [EVERYTHING, "stdio"] }, v2: { command: ECHO_V2[0], args: ECHO_V2.slice(1) } }, warm: ["ev", "v2"], toolkit: { enabled: "off" }, log: { level: "warn" } }))

/** What the two SDK majors' clients have in common here. */
type AnyClient = Pick<Client, "callTool" | "listTools" | "close">
type Call = (client: AnyClient) => Promise<unknown>

function run(client: AnyClient, call: Call, n: number, c: number): Promise<{ lat: number[]; rate: number }> {
  return runConcurrent(n, c, () => call(client))
}

/** CPU time (user + system, ms) the process has used so far; undefined where /proc is not there. */
function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return undefined
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100 // clock ticks at USER_HZ 100
}

/** p50/p99/rate at c=1 and c=16; `pid`: also that process's CPU µs per call. */
async function measure(client: AnyClient, call: Call, pid?: number) {
  await run(client, call, WARM, 1)
  await run(client, call, WARM, C)
  const t0 = cpuMs(pid)
  const c1 = await run(client, call, N, 1)
  const t1 = cpuMs(pid)
  const c16 = await run(client, call, N, C)
  const t2 = cpuMs(pid)
  const cpu = (a?: number, b?: number) => (a !== undefined && b !== undefined ? ((b - a) * 1000) / N : NaN)
  return { c1: { ...summarize(c1.lat), rate: c1.rate, cpuUs: cpu(t0, t1) }, c16: { ...summarize(c16.lat), rate: c16.rate, cpuUs: cpu(t1, t2) } }
}

/** Starts the binary in HTTP-only mode and returns its /mcp URL. */
async function startBinary(): Promise<{ proc: Bun.Subprocess; url: string }> {
  const proc = Bun.spawn([BIN, "serve", "--no-stdio", "--http", "127.0.0.1:0", "--config", cfg, "--log-level", "info"], {
    env: { ...env, MCPO_HTTP_TOKEN: TOKEN },
    cwd: home,
    stdin: "ignore",
    stdout: "ignore",
    stderr: "pipe",
  })
  const reader = proc.stderr.getReader()
  let text = ""
  const deadline = performance.now() + 15_000
  while (performance.now() < deadline) {
    const { value, done } = await reader.read()
    if (done) break
    text += new TextDecoder().decode(value)
    const m = /"msg":"serving Streamable HTTP","url":"([^"]+)"/.exec(text)
    if (m) {
      void (async () => {
        while (!(await reader.read()).done) {
          // drain
        }
      })()
      return { proc, url: m[1]! }
    }
  }
  proc.kill("SIGKILL")
  throw new Error(`binary did not serve HTTP:\n${text}`)
}

/**
 * The clients' own floor: a no-op Streamable HTTP server in this process that answers every call at
 * once (a session for the legacy client, stateless for the modern one). What a client SDK spends per
 * call shows here, beside the orchestrator rows (the v2 client costs more per call than the v1 one).
 */
function floorServer(): { url: string; stop: () => void } {
  const echo = { content: [{ type: "text", text: "Echo: hi" }] }
  const srv = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      if (req.method !== "POST") return new Response(null, { status: 405 })
      const m = (await req.json()) as { id?: number | string; method: string; params?: { _meta?: Record<string, unknown> } }
      if (m.id === undefined) return new Response(null, { status: 202 })
      const modern = m.params?._meta?.["io.modelcontextprotocol/protocolVersion"] !== undefined
      let result: Record<string, unknown> = echo
      if (m.method === "initialize") result = { protocolVersion: "2025-11-25", capabilities: { tools: {} }, serverInfo: { name: "floor", version: "1" } }
      else if (m.method === "server/discover") result = { supportedVersions: ["2026-07-28"], capabilities: { tools: {} }, ttlMs: 0, cacheScope: "private", _meta: { "io.modelcontextprotocol/serverInfo": { name: "floor", version: "1" } } }
      if (modern) result = { ...result, resultType: "complete" }
      return Response.json({ jsonrpc: "2.0", id: m.id, result }, m.method === "initialize" ? { headers: { "mcp-session-id": "floor" } } : undefined)
    },
  })
  return { url: `http://127.0.0.1:${srv.port}/mcp`, stop: () => void srv.stop(true) }
}

await ensureBinary()
const direct = new Client({ name: "bench", version: "1" }, { capabilities: {} })
await direct.connect(new StdioClientTransport({ command: "node", args: [EVERYTHING, "stdio"], env, stderr: "ignore", cwd: home }))
const echo = (name: string): Call => (c) => c.callTool({ name, arguments: { message: "hi" } })

/** The HTTP floor (_http-relay.ts): Bun.serve relaying lines to its own `server` (default server-everything), in its own process. */
async function startRelay(server: string[] = ["node", EVERYTHING, "stdio"]): Promise<{ proc: Bun.Subprocess<"ignore", "pipe", "inherit">; url: string }> {
  const proc = Bun.spawn([process.execPath, join(ROOT, "scripts", "bench", "_http-relay.ts"), ...server], { env, cwd: home, stdin: "ignore", stdout: "pipe", stderr: "inherit" })
  const reader = proc.stdout.getReader()
  let text = ""
  while (!text.includes("\n")) {
    const { value, done } = await reader.read()
    if (done) throw new Error(`the HTTP relay did not start: ${text}`)
    text += new TextDecoder().decode(value)
  }
  reader.releaseLock()
  return { proc, url: text.trim() }
}
const relay = await startRelay()
const relayed = new Client({ name: "bench", version: "1" }, { capabilities: {} })
await relayed.connect(new StreamableHTTPClientTransport(new URL(relay.url)))
// the 2026-07-28 client's own floor: the same SDK v2 echo server (both eras) over stdio, and behind the line relay
const PIN = { versionNegotiation: { mode: { pin: "2026-07-28" } } } as const
const modernDirect = new ModernClient({ name: "bench", version: "1" }, PIN)
await modernDirect.connect(new ModernStdio({ command: ECHO_V2[0]!, args: ECHO_V2.slice(1), env, stderr: "ignore", cwd: home }))
const modernRelay = await startRelay(ECHO_V2)
const modernRelayed = new ModernClient({ name: "bench", version: "1" }, PIN)
await modernRelayed.connect(new ModernTransport(new URL(modernRelay.url)))

const { proc, url } = await startBinary()
let results: Record<string, unknown> = {}
try {
  const http = new Client({ name: "bench", version: "1" }, { capabilities: {} })
  await http.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }))
  // wait (bounded) for the warm server's tools to be listed through the proxy
  let proxied = false
  for (let i = 0; i < 50 && !proxied; i++) {
    const names = (await http.listTools()).tools.map((t) => t.name)
    proxied = names.includes("ev__echo") && names.includes("v2__echo")
    if (!proxied) await Bun.sleep(100)
  }
  const httpCall: Call = proxied ? echo("ev__echo") : (c) => c.callTool({ name: "orchestrator_status", arguments: {} })
  const httpLabel = proxied ? "HTTP → orchestrator → stdio echo" : "HTTP → orchestrator own tool (proxy not wired)"
  const modern = new ModernClient({ name: "bench", version: "1" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } })
  await modern.connect(new ModernTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }))
  type M = Awaited<ReturnType<typeof measure>>
  const rounds: { d: M; h: M; m: M; r: M; md: M; mr: M; m2: M }[] = []
  for (let r = 0; r < ROUNDS; r++) {
    rounds.push({
      d: await measure(direct, echo("echo")),
      h: await measure(http, httpCall, proc.pid),
      m: await measure(modern as unknown as AnyClient, httpCall, proc.pid),
      r: await measure(relayed, echo("echo"), relay.proc.pid),
      md: await measure(modernDirect as unknown as AnyClient, echo("echo")),
      mr: await measure(modernRelayed as unknown as AnyClient, echo("echo"), modernRelay.proc.pid),
      m2: await measure(modern as unknown as AnyClient, echo("v2__echo"), proc.pid),
    })
  }
  await http.close()
  await modern.close()
  const floor = floorServer()
  const legacyFloor = new Client({ name: "bench", version: "1" }, { capabilities: {} })
  await legacyFloor.connect(new StreamableHTTPClientTransport(new URL(floor.url)))
  const modernFloor = new ModernClient({ name: "bench", version: "1" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } })
  await modernFloor.connect(new ModernTransport(new URL(floor.url)))
  const fl = await measure(legacyFloor, echo("echo"))
  const fm = await measure(modernFloor as unknown as AnyClient, echo("echo"))
  await legacyFloor.close()
  await modernFloor.close()
  floor.stop()
  const layer = await httpLayerCost()
  const us = (v: number) => (Number.isNaN(v) ? "" : Math.round(v))
  const row = (path: string, m: M) => [
    { path, c: 1, p50_ms: m.c1.p50, p99_ms: m.c1.p99, calls_per_s: Math.round(m.c1.rate), cpu_us_per_call: us(m.c1.cpuUs) },
    { path, c: C, p50_ms: m.c16.p50, p99_ms: m.c16.p99, calls_per_s: Math.round(m.c16.rate), cpu_us_per_call: us(m.c16.cpuUs) },
  ]
  // the median round (by the legacy client's p50 ratio) in the table; every round in the ratios below
  const ratiosOf = (x: M, d: M) => ({
    p50_c1: x.c1.p50 / d.c1.p50,
    p99_c1: x.c1.p99 / d.c1.p99,
    rate_c1: x.c1.rate / d.c1.rate,
    p50_c16: x.c16.p50 / d.c16.p50,
    rate_c16: x.c16.rate / d.c16.rate,
  })
  const perRound = rounds.map((r) => ({ legacy: ratiosOf(r.h, r.d), modern: ratiosOf(r.m, r.d), relay: ratiosOf(r.r, r.d), overRelay: ratiosOf(r.h, r.r), modernRelay: ratiosOf(r.mr, r.md), modernOverRelay: ratiosOf(r.m2, r.mr) }))
  const mid = [...rounds.keys()].sort((a, b) => perRound[a]!.legacy.p50_c1 - perRound[b]!.legacy.p50_c1)[Math.floor(rounds.length / 2)]!
  const { d, h, m, r: rl, md, mr, m2 } = rounds[mid]!
  console.log(table([...row("direct stdio echo", d), ...row(`${httpLabel} (legacy client)`, h), ...row(`${httpLabel} (2026-07-28 client)`, m), ...row("floor: legacy client → Bun HTTP→stdio line relay → echo", rl), ...row("floor: legacy client → no-op HTTP server", fl), ...row("floor: 2026-07-28 client → no-op HTTP server", fm), ...row("2026-07-28 client → SDK v2 echo server, stdio", md), ...row("floor: 2026-07-28 client → HTTP line relay → that server", mr), ...row("2026-07-28 client → orchestrator → that server", m2)]))
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!
  const spread = (v: number[]) => `${median(v).toFixed(2)}× (${Math.min(...v).toFixed(2)}–${Math.max(...v).toFixed(2)})`
  const summary = (era: "legacy" | "modern" | "relay" | "overRelay" | "modernRelay" | "modernOverRelay") => {
    const of = (k: keyof ReturnType<typeof ratiosOf>) => perRound.map((r) => r[era][k])
    return { p50_c1: median(of("p50_c1")), rate_c16: median(of("rate_c16")), text: `p50 ${spread(of("p50_c1"))} (c=1), throughput ${spread(of("rate_c16"))} (c=${C})` }
  }
  const ratios = summary("legacy")
  const modernRatios = summary("modern")
  console.log(`\nvs direct stdio, median (min–max) of ${ROUNDS} interleaved round(s) [targets: p50 ≤ 2×, c=${C} ≥ 0.5×]`)
  console.log(`  HTTP, legacy client:     ${ratios.text}`)
  console.log(`  HTTP, 2026-07-28 client: ${modernRatios.text}`)
  const relayRatios = summary("relay")
  const overRelay = summary("overRelay")
  console.log(`  floor, HTTP line relay:  ${relayRatios.text}  (what any HTTP hop costs on this stack, same client)`)
  console.log(`ours (legacy client) vs that relay [the floor]: ${overRelay.text}`)
  const modernRelayRatios = summary("modernRelay")
  const modernOverRelay = summary("modernOverRelay")
  console.log(`2026-07-28 client's own HTTP floor: the line relay in front of an SDK v2 echo server vs that server over stdio: ${modernRelayRatios.text}`)
  console.log(`ours (2026-07-28 client → orchestrator → the same SDK v2 echo server) vs that relay: ${modernOverRelay.text}`)
  console.log(`relay CPU per call: ${Math.round(rl.c1.cpuUs)} µs (c=1), ${Math.round(rl.c16.cpuUs)} µs (c=${C})`)
  const cpu = (x: M) => (Number.isNaN(x.c1.cpuUs) ? "n/a" : `${Math.round(x.c1.cpuUs)} µs (c=1), ${Math.round(x.c16.cpuUs)} µs (c=${C})`)
  console.log(`\norchestrator CPU per call (median round): legacy client ${cpu(h)}; 2026-07-28 client ${cpu(m)}`)
  console.log(`client floor (no-op server, c=${C}): legacy client ${Math.round(fl.c16.rate)} calls/s, 2026-07-28 client ${Math.round(fm.c16.rate)} calls/s`)
  console.log(
    `HTTP face's own JavaScript per call (in process, no sockets): legacy ${(layer.legacy - layer.floor).toFixed(1)} µs, 2026-07-28 ${(layer.modern - layer.floor).toFixed(1)} µs over a ${layer.floor.toFixed(1)} µs floor (Request + parse + Response)`,
  )
  results = { calls: N, rounds: ROUNDS, concurrency: [1, C], proxied, direct: d, http: h, ratios, modern: m, modernRatios, relay: rl, relayRatios, overRelay, modernDirect: md, modernRelay: mr, modernViaOurs: m2, modernRelayRatios, modernOverRelay, perRound, floor: { legacy: fl, modern: fm }, layerUs: layer }
} finally {
  await direct.close()
  await relayed.close().catch(() => {})
  await modernRelayed.close().catch(() => {})
  await modernDirect.close().catch(() => {})
  relay.proc.kill("SIGTERM")
  modernRelay.proc.kill("SIGTERM")
  await relay.proc.exited
  await modernRelay.proc.exited
  proc.kill("SIGTERM")
  await proc.exited
  rmSync(home, { recursive: true, force: true })
}
console.log(`wrote ${writeResult("http", results)}`)
