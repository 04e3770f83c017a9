/**
 * `bun run bench -- http`: server-everything `echo` through our Streamable HTTP endpoint (compiled
 * binary, `serve --no-stdio --http`, proxied as `ev__echo`) vs a direct stdio SDK client, at
 * concurrency 1 and 16: p50, p99, calls/s and the ratios, measured in this one run. Two HTTP
 * clients: the SDK v1 `Client` (legacy era: a session) and the SDK v2 `Client` pinned to 2026-07-28
 * (modern era: stateless requests). While the binary does not proxy yet, the HTTP side calls our
 * own `orchestrator_status` instead (labelled).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from "@modelcontextprotocol/client"
import { BIN, ensureBinary, ROOT, summarize, table, writeResult, runConcurrent } from "./_util.ts"

const N = Number(process.env.BENCH_CALLS ?? 1000)
const WARM = 100
const C = 16
const TOKEN = "bench-" + crypto.randomUUID()
const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const home = mkdtempSync(join(tmpdir(), "mcpo-bench-http-"))
const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, XDG_CONFIG_HOME: join(home, "c"), XDG_CACHE_HOME: join(home, "k") }
const cfg = join(home, "config.json")
writeFileSync(cfg, JSON.stringify({ servers: { ev: { command: "node", args: [EVERYTHING, "stdio"] } }, warm: ["ev"], toolkit: { enabled: "off" }, log: { level: "warn" } }))

/** What the two SDK majors' clients have in common here. */
type AnyClient = Pick<Client, "callTool" | "listTools" | "close">
type Call = (client: AnyClient) => Promise<unknown>

function run(client: AnyClient, call: Call, n: number, c: number): Promise<{ lat: number[]; rate: number }> {
  return runConcurrent(n, c, () => call(client))
}

async function measure(client: AnyClient, call: Call) {
  await run(client, call, WARM, 1)
  const c1 = await run(client, call, N, 1)
  const c16 = await run(client, call, N, C)
  return { c1: { ...summarize(c1.lat), rate: c1.rate }, c16: { ...summarize(c16.lat), rate: c16.rate } }
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

const { proc, url } = await startBinary()
let results: Record<string, unknown> = {}
try {
  const http = new Client({ name: "bench", version: "1" }, { capabilities: {} })
  await http.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }))
  // wait (bounded) for the warm server's tools to be listed through the proxy
  let proxied = false
  for (let i = 0; i < 50 && !proxied; i++) {
    proxied = (await http.listTools()).tools.some((t) => t.name === "ev__echo")
    if (!proxied) await Bun.sleep(100)
  }
  const httpCall: Call = proxied ? echo("ev__echo") : (c) => c.callTool({ name: "orchestrator_status", arguments: {} })
  const httpLabel = proxied ? "HTTP → orchestrator → stdio echo" : "HTTP → orchestrator own tool (proxy not wired)"
  const modern = new ModernClient({ name: "bench", version: "1" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } })
  await modern.connect(new ModernTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }))
  const d = await measure(direct, echo("echo"))
  const h = await measure(http, httpCall)
  const m = await measure(modern as unknown as AnyClient, httpCall)
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
  const row = (path: string, m: typeof d) => [
    { path, c: 1, p50_ms: m.c1.p50, p99_ms: m.c1.p99, calls_per_s: Math.round(m.c1.rate) },
    { path, c: C, p50_ms: m.c16.p50, p99_ms: m.c16.p99, calls_per_s: Math.round(m.c16.rate) },
  ]
  console.log(table([...row("direct stdio echo", d), ...row(`${httpLabel} (legacy client)`, h), ...row(`${httpLabel} (2026-07-28 client)`, m), ...row("floor: legacy client → no-op HTTP server", fl), ...row("floor: 2026-07-28 client → no-op HTTP server", fm)]))
  const ratiosOf = (x: typeof d) => ({
    p50_c1: x.c1.p50 / d.c1.p50,
    p99_c1: x.c1.p99 / d.c1.p99,
    rate_c1: x.c1.rate / d.c1.rate,
    p50_c16: x.c16.p50 / d.c16.p50,
    rate_c16: x.c16.rate / d.c16.rate,
  })
  const ratios = ratiosOf(h)
  const modernRatios = ratiosOf(m)
  for (const [label, r] of [["legacy", ratios], ["2026-07-28", modernRatios]] as const) {
    console.log(
      `\nHTTP (${label} client) vs direct: p50 ${r.p50_c1.toFixed(2)}× (c=1), p99 ${r.p99_c1.toFixed(2)}× (c=1), throughput ${r.rate_c1.toFixed(2)}× (c=1), ${r.rate_c16.toFixed(2)}× (c=${C}) [targets: p50 ≤ 2×, c=${C} ≥ 0.5×]`,
    )
  }
  console.log(`\nclient floor (no-op server, c=${C}): legacy client ${Math.round(fl.c16.rate)} calls/s, 2026-07-28 client ${Math.round(fm.c16.rate)} calls/s`)
  results = { calls: N, concurrency: [1, C], proxied, direct: d, http: h, ratios, modern: m, modernRatios, floor: { legacy: fl, modern: fm } }
} finally {
  await direct.close()
  proc.kill("SIGTERM")
  await proc.exited
  rmSync(home, { recursive: true, force: true })
}
console.log(`wrote ${writeResult("http", results)}`)
