/**
 * `bun run bench -- idle`: resident memory (VmRSS) of `serve` over stdio that only proxies, after
 * `initialize` + `tools/list` with 3 reference servers (everything, memory, filesystem), next to a
 * bare compiled Bun binary (same compile flags) that has answered `initialize` — the floor,
 * measured in the same run. Target: ≤ floor + 25 MiB. The orchestrator's own RSS only (children
 * are separate processes). `BENCH_MODULES=1` also prints what importing each heavy dependency
 * costs in a compiled binary (RSS above the bare one), the figures behind the lazy loading
 * (`BENCH_MODULES=zod,src/pool` for some of them).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { BIN, ensureBinary, ROOT, summarize, table, writeResult } from "./_util.ts"

const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const SETTLE_MS = 1500
const MIB = 1024 * 1024
const INIT = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } } }
const FLAGS = ["--compile", "--minify", "--bytecode", "--format=esm", "--no-compile-autoload-dotenv", "--no-compile-autoload-bunfig"]
const MODS = join(ROOT, "node_modules", "@modelcontextprotocol")

/** VmRSS of a pid, in bytes. */
export function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))
  if (!m) throw new Error(`no VmRSS for ${pid}`)
  return Number(m[1]) * 1024
}

/** Compiles `source` (a bun entry that answers initialize and stays up) with the release flags. */
async function compile(dir: string, name: string, source: string): Promise<string> {
  const src = join(dir, `${name}.ts`)
  writeFileSync(src, source)
  const out = join(dir, name)
  const p = Bun.spawn([process.execPath, "build", ...FLAGS, "--outfile", out, src], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] })
  if ((await p.exited) !== 0) throw new Error(`build of ${name} failed`)
  return out
}

const ANSWER = `for await (const chunk of process.stdin) { for (const l of String(chunk).split("\\n")) { if (!l) continue; const m = JSON.parse(l); if (m.id !== undefined) process.stdout.write(JSON.stringify({jsonrpc:"2.0",id:m.id,result:m.method==="initialize"?{protocolVersion:"2025-06-18",capabilities:{},serverInfo:{name:"bare",version:"0"}}:{tools:[]}})+"\\n") } }\n`

/** Spawns `cmd`, sends initialize (+ tools/list), waits for the answers, settles, reads its RSS. */
async function rssAfterList(cmd: string[], env: Record<string, string>): Promise<number> {
  const p = Bun.spawn(cmd, { stdin: "pipe", stdout: "pipe", stderr: "ignore", env, cwd: env.HOME })
  const lines = [INIT, { jsonrpc: "2.0", method: "notifications/initialized" }, { jsonrpc: "2.0", id: 2, method: "tools/list" }]
  p.stdin.write(lines.map((l) => JSON.stringify(l) + "\n").join(""))
  p.stdin.flush()
  const reader = p.stdout.getReader()
  const dec = new TextDecoder()
  let buf = ""
  while (!buf.includes('"id":2')) {
    const { value, done } = await reader.read()
    if (done) throw new Error(`${cmd[0]} closed before answering tools/list: ${buf.slice(0, 300)}`)
    buf += dec.decode(value, { stream: true })
  }
  await Bun.sleep(SETTLE_MS) // let warm-up, the cache write and GC run
  const rss = rssOf(p.pid)
  p.stdin.end()
  p.kill()
  await p.exited
  return rss
}

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

const ours: number[] = []
const base: number[] = []
for (let i = 0; i < RUNS; i++) {
  ours.push(await rssAfterList([BIN, "serve", "--config", cfg], env))
  base.push(await rssAfterList([bare], env))
}
const o = summarize(ours.map((b) => b / MIB))
const b = summarize(base.map((x) => x / MIB))
console.log(`RSS after initialize + tools/list (3 reference servers), ${RUNS} interleaved runs, ${SETTLE_MS} ms settle\n`)
console.log(table([
  { process: "mcp-orchestrator serve (stdio)", runs: o.n, "p50 MiB": o.p50, "min MiB": o.min, "max MiB": o.max },
  { process: "bare bun binary (floor)", runs: b.n, "p50 MiB": b.p50, "min MiB": b.min, "max MiB": b.max },
]))
const over = o.p50 - b.p50
console.log(`\nidle RSS: ${o.p50.toFixed(1)} MiB = floor ${b.p50.toFixed(1)} MiB + ${over.toFixed(1)} MiB — target ≤ floor + 25 MiB: ${over <= 25 ? "met" : "NOT met"}`)

const modules: Record<string, number> = {}
if (process.env.BENCH_MODULES) {
  // What each dependency costs once imported and evaluated in a compiled binary (above the bare one).
  const probes: Record<string, string> = {
    hono: `import { Hono } from "hono"; (globalThis as any).x = new Hono();`,
    "@hono/swagger-ui": `import * as m from "@hono/swagger-ui"; (globalThis as any).x = m;`,
    "prom-client": `import * as m from "prom-client"; (globalThis as any).x = new m.Registry();`,
    quickjs: `import * as m from "quickjs-emscripten-core"; import v from "@jitl/quickjs-wasmfile-release-sync"; (globalThis as any).x = [m, v];`,
    "sdk types": `import * as m from "@modelcontextprotocol/sdk/types.js"; (globalThis as any).x = m;`,
    "sdk http client transports": `import * as a from "@modelcontextprotocol/sdk/client/sse.js"; import * as b from "@modelcontextprotocol/sdk/client/streamableHttp.js"; import * as c from "@modelcontextprotocol/sdk/client/auth.js"; (globalThis as any).x = [a, b, c];`,
    "@modelcontextprotocol/client (v2)": `import * as m from "@modelcontextprotocol/client"; (globalThis as any).x = m;`,
    "src/mcp": `import * as m from "../../src/mcp/index.ts"; (globalThis as any).x = m;`,
    "src/pool": `import * as m from "../../src/pool/index.ts"; (globalThis as any).x = m;`,
    "src/catalog": `import * as m from "../../src/catalog/index.ts"; (globalThis as any).x = m;`,
    "src/docker": `import * as m from "../../src/docker/index.ts"; (globalThis as any).x = m;`,
    "src/manage": `import * as m from "../../src/manage/index.ts"; (globalThis as any).x = m;`,
    "src/config": `import * as m from "../../src/config/index.ts"; (globalThis as any).x = m;`,
    "src/cli": `import * as m from "../../src/cli/index.ts"; (globalThis as any).x = m;`,
    "src/http (app, openapi, metrics)": `import * as m from "../../src/http/index.ts"; (globalThis as any).x = m;`,
    "src/sandbox": `import * as m from "../../src/sandbox/index.ts"; (globalThis as any).x = m;`,
    "src/auth": `import * as m from "../../src/auth/index.ts"; (globalThis as any).x = m;`,
    "src/proxy": `import * as m from "../../src/proxy/index.ts"; (globalThis as any).x = m;`,
    "src/app/orchestrator": `import * as m from "../../src/app/orchestrator.ts"; (globalThis as any).x = m;`,
    zod: `import { z } from "zod"; (globalThis as any).x = z.object({ a: z.string() });`,
    yaml: `import * as m from "yaml"; (globalThis as any).x = m;`,
    commander: `import * as m from "commander"; (globalThis as any).x = m;`,
    "sdk client": `import { Client } from "@modelcontextprotocol/sdk/client/index.js"; (globalThis as any).x = Client;`,
    "sdk server": `import { Server } from "@modelcontextprotocol/sdk/server/index.js"; (globalThis as any).x = Server;`,
  }
  const rows: Array<Record<string, string | number>> = []
  // Probe sources live under the repo (.tmp/ is ignored) so their imports resolve from node_modules.
  mkdirSync(join(ROOT, ".tmp"), { recursive: true })
  const probeDir = mkdtempSync(join(ROOT, ".tmp", "idle-probes-"))
  const only = process.env.BENCH_MODULES === "1" ? undefined : process.env.BENCH_MODULES.split(",")
  for (const [name, imp] of Object.entries(probes)) {
    if (only && !only.includes(name)) continue
    const bin = await compile(probeDir, `probe-${name.replace(/\W+/g, "-")}`, `${imp}\n${ANSWER}`)
    const samples: number[] = []
    for (let i = 0; i < 3; i++) samples.push((await rssAfterList([bin], env)) / MIB)
    const p50 = summarize(samples).p50
    modules[name] = p50 - b.p50
    rows.push({ module: name, "RSS MiB": p50, "over floor MiB": p50 - b.p50 })
  }
  console.log(`\nper-module cost (compiled binary importing only that module, p50 of 3):\n${table(rows)}`)
}
console.log(`results: ${writeResult("idle", { runs: RUNS, ours: o, bare: b, overMiB: over, targetOverMiB: 25, modules })}`)
