/**
 * What `bench idle` measures with: compiling a small entry with the release flags, and VmRSS of a
 * process after it answered `initialize` + `tools/list` over stdio and settled.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { COMPILE_FLAGS } from "../lib/build-config.ts"
import { ROOT } from "./_util.ts"

export const MIB = 1024 * 1024
export const SETTLE_MS = 1500
const INIT = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } } }

/** VmRSS of a pid, in bytes. */
/**
 * Drops `file`'s pages from the page cache (`dd iflag=nocache`, best effort). A binary that was just
 * written (every bench builds its own) is wholly in the cache, and the kernel's fault-around then maps
 * up to 16 cached neighbours of every page a process touches: 3–6 MiB more file-backed RSS than the
 * same binary read from disk, and not the same amount for two builds. Evicting both the floor and
 * ours before they run measures them from the same state (an installed binary, not a fresh build).
 */
export function evictFromPageCache(file: string): void {
  Bun.spawnSync(["dd", `if=${file}`, "iflag=nocache", "count=0", "status=none"], { stdio: ["ignore", "ignore", "ignore"] })
}

export function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))
  if (!m) throw new Error(`no VmRSS for ${pid}`)
  return Number(m[1]) * 1024
}

/** Compiles `source` (a bun entry that answers initialize and stays up) with the release flags. */
export async function compile(dir: string, name: string, source: string): Promise<string> {
  const src = join(dir, `${name}.ts`)
  writeFileSync(src, source)
  const out = join(dir, name)
  const p = Bun.spawn([process.execPath, "build", ...COMPILE_FLAGS, "--outfile", out, src], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] })
  if ((await p.exited) !== 0) throw new Error(`build of ${name} failed`)
  return out
}

/** A stdio loop that answers `initialize` and `tools/list` (appended to every probe: the floor's body). */
export const ANSWER = `for await (const chunk of process.stdin) { for (const l of String(chunk).split("\\n")) { if (!l) continue; const m = JSON.parse(l); if (m.id !== undefined) process.stdout.write(JSON.stringify({jsonrpc:"2.0",id:m.id,result:m.method==="initialize"?{protocolVersion:"2025-06-18",capabilities:{},serverInfo:{name:"bare",version:"0"}}:{tools:[]}})+"\\n") } }\n`

/** Spawns `cmd`, sends initialize (+ tools/list), waits for the answers, settles, reads its RSS. */
export async function rssAfterList(cmd: string[], env: Record<string, string>, settleMs = SETTLE_MS): Promise<number> {
  return (await rssSeries(cmd, env, [settleMs]))[0]!
}

/** Like `rssAfterList`, reading the RSS at each of `at` (ms after the tools/list answer, ascending). */
export async function rssSeries(cmd: string[], env: Record<string, string>, at: readonly number[]): Promise<number[]> {
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
  const rss: number[] = []
  const t0 = performance.now()
  for (const ms of at) {
    await Bun.sleep(Math.max(0, t0 + ms - performance.now())) // let warm-up, the cache write and GC run
    rss.push(rssOf(p.pid))
  }
  p.stdin.end()
  p.kill()
  await p.exited
  return rss
}

/**
 * The module groups a stdio `serve` that only proxies evaluates, in load order. Probe k imports
 * groups 1..k (`import * as`, kept alive), so the step from k-1 to k is what group k adds on top of
 * what it needs: the steps add up to the whole import graph, unlike probes of one module each
 * (which overlap: every SDK piece pulls zod).
 */
export const GROUPS: ReadonlyArray<{ name: string; imports: string[] }> = [
  { name: "zod", imports: ["zod"] },
  { name: "QuickJS (core + wasm variant, not instantiated)", imports: ["quickjs-emscripten-core", "@jitl/quickjs-wasmfile-release-sync"] },
  { name: "src/core + src/config", imports: ["src/core/index.ts", "src/config/index.ts"] },
  { name: "src/cache + src/catalog", imports: ["src/cache/index.ts", "src/catalog/index.ts"] },
  { name: "src/pool", imports: ["src/pool/index.ts"] },
  { name: "src/proxy", imports: ["src/proxy/index.ts"] },
  { name: "src/sandbox + src/plugin", imports: ["src/sandbox/index.ts", "src/plugin/index.ts"] },
  { name: "src/mcp", imports: ["src/mcp/index.ts"] },
  { name: "src/app (orchestrator, serve) + src/cli", imports: ["src/app/orchestrator.ts", "src/app/serve.ts", "src/cli/index.ts"] },
]

/**
 * Modules that session no longer evaluates (loaded where first used), each measured on top of all
 * of GROUPS: what it would add back.
 */
export const LAZY: ReadonlyArray<{ name: string; imports: string[] }> = [
  { name: "yaml (only for a YAML config file)", imports: ["yaml"] },
  { name: "jsonc-parser (only for a .json config with comments or trailing commas)", imports: ["jsonc-parser/lib/esm/main.js"] },
  { name: "commander (only for a command line other than plain serve)", imports: ["commander"] },
  { name: "src/http: Hono app, OpenAPI, Swagger UI, prom-client (only with --http)", imports: ["src/http/index.ts"] },
  { name: "src/docker + src/manage (only with the Toolkit enabled)", imports: ["src/docker/index.ts", "src/manage/index.ts"] },
  { name: "src/auth: OAuth (only for a remote server's sign-in)", imports: ["src/auth/index.ts"] },
  { name: "MCP SDK core schemas + client bundle (only for a modern or remote downstream, OAuth)", imports: ["@modelcontextprotocol/core", "@modelcontextprotocol/client"] },
]

/** The source of a probe importing GROUPS 1..k (and `extra`), written under the repo (imports resolve from it). */
export function cumulativeProbe(k: number, dirFromRoot: string, extra: readonly string[] = []): string {
  const up = dirFromRoot.split("/").map(() => "..").join("/")
  const specs = [...GROUPS.slice(0, k).flatMap((g) => g.imports), ...extra]
  const lines = specs.map((s, i) => `import * as m${i} from ${JSON.stringify(s.startsWith("src/") ? `${up}/${s}` : s)}`)
  return `${lines.join("\n")}\n;(globalThis as any).x = [${specs.map((_, i) => `m${i}`).join(", ")}]\n`
}
