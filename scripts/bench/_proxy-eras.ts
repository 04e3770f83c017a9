/**
 * The protocol-era rows of `bun run bench -- proxy` (issue 12, "Performance holds"):
 *
 * 1. **Modern downstreams beside legacy ones.** One SDK v2 echo server (_echo-v2-server.ts, both
 *    eras, so the same server code is measured in each) over stdio and over HTTP, each pinned
 *    `protocol: legacy` and `protocol: modern` behind one binary. The client is the SDK v1 Client
 *    over stdio (Cursor's way). Each proxied row's ratio is against a direct client of the same era
 *    and transport (SDK v1 for legacy, SDK v2 pinned to 2026-07-28 for modern).
 * 2. **The legacy stdio hot path holds.** server-everything `echo` direct, through the binary built
 *    from the last commit (HEAD, "today's"; or `$BENCH_BASELINE_BIN`) and through the working tree's
 *    binary, in the same interleaved rounds: the working tree's ratios vs direct must stay within 5 %
 *    of the baseline's (p50 ≤ 1.05×, c16 throughput ≥ 0.95×).
 *
 * Rounds interleave every path (machine noise hits them alike); ratios are medians of per-round
 * ratios. Writes results/proxy-eras*.json. `BENCH_NO_BASELINE=1` skips part 2.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Client as V2Client, StreamableHTTPClientTransport as V2Http } from "@modelcontextprotocol/client"
import { StdioClientTransport as V2Stdio } from "@modelcontextprotocol/client/stdio"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { BIN, medianCell, measureRound, ROOT, roundRatio, runSequential, table, writeResult, type Cell } from "./_util.ts"

export interface ErasOptions {
  calls: number
  concurrency: number
  warmup: number
  rounds: number
}

const MODERN = "2026-07-28"
/** How far the working tree's legacy hot path may drift from the baseline build's ratios. */
const TOLERANCE = 0.05
const ECHO = join(ROOT, "scripts", "bench", "_echo-v2-server.ts")
const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")

interface Conn {
  call(): Promise<unknown>
  close(): Promise<void>
}

interface Path {
  name: string
  /** The row this one's ratios are taken against (a direct path); none for a direct path itself. */
  vs?: string
  connect(): Promise<Conn>
}

type Target = { stdio: { command: string; args: string[] } } | { url: string }

async function legacyClient(target: Target, env: Record<string, string>, cwd: string, tool: string): Promise<Conn> {
  const client = new Client({ name: "bench", version: "1" }, { capabilities: {} })
  await client.connect("url" in target ? new StreamableHTTPClientTransport(new URL(target.url)) : new StdioClientTransport({ ...target.stdio, env, stderr: "ignore", cwd }))
  if (!(await client.listTools()).tools.some((t) => t.name === tool)) throw new Error(`${tool} is not listed`)
  return { call: () => client.callTool({ name: tool, arguments: { message: "hi" } }), close: () => client.close() }
}

async function modernClient(target: Target, env: Record<string, string>, cwd: string): Promise<Conn> {
  const client = new V2Client({ name: "bench", version: "1" }, { versionNegotiation: { mode: { pin: MODERN } } })
  await client.connect("url" in target ? new V2Http(new URL(target.url)) : new V2Stdio({ ...target.stdio, env, stderr: "ignore", cwd }))
  if (client.getProtocolEra() !== "modern") throw new Error("the direct modern client did not negotiate 2026-07-28")
  return { call: () => client.callTool({ name: "echo", arguments: { message: "hi" } }), close: () => client.close() }
}

/** The binary built from HEAD (today's committed code), in a scratch tree; undefined when it cannot be built. */
async function baselineBinary(home: string): Promise<string | undefined> {
  if (process.env.BENCH_BASELINE_BIN) return process.env.BENCH_BASELINE_BIN
  const tree = join(home, "baseline")
  mkdirSync(tree, { recursive: true })
  // git archive reads the commit without touching the work tree or the index
  const archive = Bun.spawn(["git", "archive", "--format=tar", "HEAD"], { cwd: ROOT, stdout: "pipe", stderr: "ignore" })
  const untar = Bun.spawn(["tar", "-x", "-C", tree], { stdin: archive.stdout, stdout: "ignore", stderr: "ignore" })
  if ((await archive.exited) !== 0 || (await untar.exited) !== 0) return undefined
  symlinkSync(join(ROOT, "node_modules"), join(tree, "node_modules"))
  const out = join(tree, "mcp-orchestrator")
  const build = Bun.spawn([process.execPath, join(tree, "scripts", "build.ts"), "--outfile", out], { cwd: tree, stdout: "ignore", stderr: "ignore" })
  return (await build.exited) === 0 && existsSync(out) ? out : undefined
}

async function measure(paths: Path[], o: ErasOptions): Promise<Record<string, Cell[]>> {
  const live: { p: Path; conn: Conn; cells: Cell[] }[] = []
  for (const p of paths) {
    try {
      const conn = await p.connect()
      await runSequential(o.warmup, () => conn.call())
      live.push({ p, conn, cells: [] })
    } catch (e) {
      console.error(`skipped ${p.name}: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  for (let r = 0; r < o.rounds; r++) for (const l of live) l.cells.push(await measureRound(o.calls, o.concurrency, () => l.conn.call()))
  const cells: Record<string, Cell[]> = {}
  for (const l of live) {
    cells[l.p.name] = l.cells
    await l.conn.close().catch(() => {})
  }
  return cells
}

function rowsOf(paths: Path[], cells: Record<string, Cell[]>): Array<Record<string, string | number>> {
  return paths
    .filter((p) => cells[p.name])
    .map((p) => {
      const m = medianCell(cells[p.name]!)
      const vs = p.vs ? cells[p.vs] : undefined
      return {
        path: p.name,
        "seq p50 ms": m.seq.p50,
        "c16 p50 ms": m.c16.p50,
        "c16 calls/s": Math.round(m.c16Rate),
        "p50 ×direct": p.vs ? (roundRatio(cells[p.name]!, vs, (c) => c.seq.p50) ?? NaN) : 1,
        "c16 tput ×direct": p.vs ? (roundRatio(cells[p.name]!, vs, (c) => c.c16Rate) ?? NaN) : 1,
      }
    })
}

/** Runs both parts, prints their tables and the 5 % check, writes results/proxy-eras*.json; false when the check failed. */
export async function benchEras(o: ErasOptions): Promise<boolean> {
  const home = mkdtempSync(join(tmpdir(), "mcpo-bench-eras-"))
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, XDG_CONFIG_HOME: join(home, "c"), XDG_CACHE_HOME: join(home, "k") }
  const portFile = join(home, "port")
  const http = Bun.spawn([process.execPath, ECHO, "http", portFile], { stdio: ["ignore", "ignore", "inherit"] })
  try {
    for (let i = 0; i < 200 && !(existsSync(portFile) && readFileSync(portFile, "utf8")); i++) await Bun.sleep(50)
    const url = `http://127.0.0.1:${readFileSync(portFile, "utf8")}/mcp`
    const echoStdio = { command: process.execPath, args: [ECHO, "stdio"] }
    const cfg = join(home, "eras.json")
    writeFileSync(
      cfg,
      JSON.stringify({
        servers: {
          sl: { ...echoStdio, protocol: "legacy" },
          sm: { ...echoStdio, protocol: "modern" },
          hl: { url, transport: "streamable-http", protocol: "legacy" },
          hm: { url, transport: "streamable-http", protocol: "modern" },
        },
        warm: ["sl", "sm", "hl", "hm"],
        toolkit: { enabled: "off" },
      }),
    )
    const binary = (tool: string): Promise<Conn> => legacyClient({ stdio: { command: BIN, args: ["serve", "--config", cfg] } }, env, home, tool)
    const eraPaths: Path[] = [
      { name: "direct stdio, legacy (SDK v1)", connect: () => legacyClient({ stdio: echoStdio }, env, home, "echo") },
      { name: "binary → stdio legacy downstream", vs: "direct stdio, legacy (SDK v1)", connect: () => binary("sl__echo") },
      { name: "direct stdio, modern (SDK v2 pinned)", connect: () => modernClient({ stdio: echoStdio }, env, home) },
      { name: "binary → stdio modern downstream", vs: "direct stdio, modern (SDK v2 pinned)", connect: () => binary("sm__echo") },
      { name: "direct HTTP, legacy (SDK v1)", connect: () => legacyClient({ url }, env, home, "echo") },
      { name: "binary → HTTP legacy downstream", vs: "direct HTTP, legacy (SDK v1)", connect: () => binary("hl__echo") },
      { name: "direct HTTP, modern (SDK v2 pinned)", connect: () => modernClient({ url }, env, home) },
      { name: "binary → HTTP modern downstream", vs: "direct HTTP, modern (SDK v2 pinned)", connect: () => binary("hm__echo") },
    ]
    const eraCells = await measure(eraPaths, o)
    const eraRows = rowsOf(eraPaths, eraCells)
    console.log(`\nprotocol eras: SDK v2 echo server (_echo-v2-server.ts) in each era; proxied rows: SDK v1 client → binary (stdio) → downstream, ratios vs a direct client of the same era and transport\n`)
    console.log(table(eraRows))
    console.log(`wrote ${writeResult("proxy-eras", { ...o, rows: eraRows, perRound: eraCells })}`)

    if (process.env.BENCH_NO_BASELINE === "1") return true
    const base = await baselineBinary(home)
    if (!base) {
      console.log("\nlegacy hot path check skipped: the HEAD baseline could not be built (set BENCH_BASELINE_BIN)")
      return true
    }
    const evCfg = join(home, "ev.json")
    writeFileSync(evCfg, JSON.stringify({ servers: { ev: { command: "node", args: [EVERYTHING, "stdio"] } }, warm: ["ev"], toolkit: { enabled: "off" } }))
    const hotPaths: Path[] = [
      { name: "direct server-everything (SDK v1)", connect: () => legacyClient({ stdio: { command: "node", args: [EVERYTHING, "stdio"] } }, env, home, "echo") },
      { name: "binary at HEAD (baseline)", vs: "direct server-everything (SDK v1)", connect: () => legacyClient({ stdio: { command: base, args: ["serve", "--config", evCfg] } }, env, home, "ev__echo") },
      { name: "binary, working tree", vs: "direct server-everything (SDK v1)", connect: () => legacyClient({ stdio: { command: BIN, args: ["serve", "--config", evCfg] } }, env, home, "ev__echo") },
    ]
    const hotCells = await measure(hotPaths, o)
    const hotRows = rowsOf(hotPaths, hotCells)
    console.log(`\nlegacy stdio hot path, same run: server-everything echo direct, through the HEAD build and through the working tree's build\n`)
    console.log(table(hotRows))
    const [baseRow, nowRow] = [hotRows.find((r) => r.path === "binary at HEAD (baseline)"), hotRows.find((r) => r.path === "binary, working tree")]
    if (!baseRow || !nowRow) return false
    const p50 = (nowRow["p50 ×direct"] as number) / (baseRow["p50 ×direct"] as number)
    const tput = (nowRow["c16 tput ×direct"] as number) / (baseRow["c16 tput ×direct"] as number)
    const ok = p50 <= 1 + TOLERANCE && tput >= 1 - TOLERANCE
    console.log(
      `\nlegacy hot path vs HEAD: p50 ratio ${(nowRow["p50 ×direct"] as number).toFixed(3)}× vs ${(baseRow["p50 ×direct"] as number).toFixed(3)}× (${p50.toFixed(3)}, ≤ ${1 + TOLERANCE}), c16 throughput ${(nowRow["c16 tput ×direct"] as number).toFixed(3)}× vs ${(baseRow["c16 tput ×direct"] as number).toFixed(3)}× (${tput.toFixed(3)}, ≥ ${1 - TOLERANCE}): ${ok ? "ok" : "MISSED"}`,
    )
    console.log(`wrote ${writeResult("proxy-eras-hotpath", { ...o, rows: hotRows, perRound: hotCells, p50Drift: p50, throughputDrift: tput, tolerance: TOLERANCE, ok })}`)
    return ok
  } finally {
    http.kill()
    await http.exited
  }
}

if (import.meta.main) {
  const n = (k: string, d: number): number => Number(process.env[k] ?? d)
  const ok = await benchEras({ calls: n("BENCH_CALLS", 1000), concurrency: 16, warmup: n("BENCH_WARM", 2000), rounds: n("BENCH_ROUNDS", 5) })
  if (!ok) process.exitCode = 1
}
