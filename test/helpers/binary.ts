/**
 * Test helpers for driving the compiled binary: build it once if missing, connect the SDK Client
 * over stdio with an explicit environment, list child processes.
 */
import { afterEach } from "bun:test"
import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import type { ClientCapabilities } from "@modelcontextprotocol/sdk/types.js"
import { newestSource } from "../../scripts/lib/newest.ts"
import { isAlive, isReaper, pidsWhere } from "./proc.ts"

export const ROOT = join(import.meta.dir, "..", "..")
/** The binary under test: dist/mcp-orchestrator, or `$MCPO_TEST_BIN` (a private build, e.g. for parallel work). */
export const BIN = process.env.MCPO_TEST_BIN || join(ROOT, "dist", "mcp-orchestrator")

let built: Promise<void> | undefined
/** Builds BIN when it is missing or older than any file in src/. */
export function ensureBuilt(): Promise<void> {
  built ??= (async () => {
    if (existsSync(BIN) && statSync(BIN).mtimeMs >= newestSource(join(ROOT, "src"))) return
    const p = Bun.spawn([process.execPath, "scripts/build.ts", "--outfile", BIN], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] })
    if ((await p.exited) !== 0) throw new Error("build failed")
  })()
  return built
}


/** A fresh HOME/XDG sandbox so tests never read the developer's config or cache. */
export function sandboxEnv(extra: Record<string, string> = {}): Record<string, string> {
  const home = mkdtempSync(join(tmpdir(), "mcpo-test-"))
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    XDG_CONFIG_HOME: join(home, "config"),
    XDG_CACHE_HOME: join(home, "cache"),
    ...extra,
  }
}

/** Writes `config` as JSON to `$HOME/cfg/config.json` of the sandbox `env` (see sandboxEnv) and returns its path. */
export function writeConfig(env: Record<string, string>, config: unknown): string {
  const dir = join(env.HOME!, "cfg")
  mkdirSync(dir, { recursive: true })
  const path = join(dir, "config.json")
  writeFileSync(path, JSON.stringify(config, null, 2))
  return path
}

export interface Connected {
  client: Client
  transport: StdioClientTransport
  stderr: () => string
  pid: number | undefined
  close(): Promise<void>
}

/** Starts the binary with `args` and connects a real SDK Client over stdio. */
export async function connectBinary(args: string[] = [], env: Record<string, string> = sandboxEnv(), capabilities: ClientCapabilities = {}): Promise<Connected> {
  await ensureBuilt()
  const transport = new StdioClientTransport({ command: BIN, args, env, stderr: "pipe", cwd: env.HOME })
  let err = ""
  transport.stderr?.on("data", (d: Buffer) => (err += d.toString()))
  const client = new Client({ name: "test-client", version: "1.0.0" }, { capabilities })
  await client.connect(transport)
  return { client, transport, stderr: () => err, pid: transport.pid ?? undefined, close: () => client.close() }
}

/** Lists tools until `name` is among them (a server still starting), at most ~10 s; returns the last names seen. */
export async function listUntil(client: Client, name: string): Promise<string[]> {
  let names: string[] = []
  for (let i = 0; i < 200 && !names.includes(name); i++) {
    names = (await client.listTools()).tools.map((t) => t.name)
    if (!names.includes(name)) await Bun.sleep(50)
  }
  return names
}

/**
 * What a request's outcome brings the client, as one text to search for a leak: its result as JSON,
 * or its error's message and data.
 */
export async function answerText(p: Promise<unknown>): Promise<string> {
  return p.then(
    (r) => JSON.stringify(r),
    (e: unknown) => `${(e as Error).message} ${JSON.stringify((e as { data?: unknown }).data ?? null)}`,
  )
}

/**
 * PIDs of live processes whose parent is `pid` (from /proc): the downstreams an orchestrator
 * started, not its watchdog (core/reaper; `reaperOf` finds that one).
 */
export function childrenOf(pid: number): number[] {
  return pidsWhere((f) => Number(f[1]) === pid).filter((c) => !isReaper(c))
}

/** The watchdog of the orchestrator `pid` (core/reaper), once it started one. */
export function reaperOf(pid: number): number | undefined {
  return pidsWhere((f) => Number(f[1]) === pid).find(isReaper)
}

export { isAlive }

export function tempDir(prefix = "mcpo-"): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export interface HttpBinary {
  proc: ReturnType<typeof Bun.spawn<"ignore", "ignore", "pipe">>
  /** The Streamable HTTP endpoint (…/mcp). */
  url: string
  /** Everything the binary wrote to stderr so far (read on in the background). */
  stderr(): string
}

/** A list for the HTTP binaries a test file starts: each is stopped (SIGTERM, awaited) after every test. */
export function httpRunsStoppedAfterEach(): HttpBinary[] {
  const runs: HttpBinary[] = []
  afterEach(async () => {
    for (const r of runs.splice(0)) {
      r.proc.kill("SIGTERM")
      await r.proc.exited
    }
  })
  return runs
}

/**
 * Starts `serve --no-stdio --http 127.0.0.1:0 --config cfg` (plus `args`) and resolves with its
 * /mcp URL once it logs that it serves (within 15 s; rejects with its stderr otherwise).
 */
export async function startHttpBinary(cfg: string, env: Record<string, string>, args: string[] = []): Promise<HttpBinary> {
  await ensureBuilt()
  const proc = Bun.spawn([BIN, "serve", "--no-stdio", "--http", "127.0.0.1:0", "--config", cfg, ...args], { env, cwd: env.HOME, stdin: "ignore", stdout: "ignore", stderr: "pipe" })
  let err = ""
  const reader = proc.stderr.getReader()
  const dec = new TextDecoder()
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 15 s:\n${err}`)), 15_000)
    void (async () => {
      let found = false
      for (;;) {
        const { value, done } = await reader.read()
        if (done) {
          clearTimeout(timer)
          if (!found) reject(new Error(`binary exited:\n${err}`))
          return
        }
        err += dec.decode(value)
        const m = found ? null : /"msg":"serving Streamable HTTP","url":"([^"]+)"/.exec(err)
        if (m) {
          found = true
          clearTimeout(timer)
          resolve(m[1]!)
        }
      }
    })()
  })
  return { proc, url, stderr: () => err }
}

const MEMORY_SERVER = join(ROOT, "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")

/** The text blocks of a tool result, joined. */
export function resultText(r: unknown): string {
  return ((r as { content?: { type: string; text?: string }[] }).content ?? []).map((c) => (c.type === "text" ? (c.text ?? "") : "")).join("")
}

/**
 * The binary serving `servers` beside a well-behaved neighbour (`mem`: server-memory), as a fault
 * test sets it up: Toolkit and plugins off, a 20 s call timeout; `first` is the one tools/list a
 * client like Cursor makes.
 */
export async function beside(servers: Record<string, unknown>): Promise<{ c: Connected; first: string[] }> {
  const env = sandboxEnv()
  const mem = { command: process.execPath, args: [MEMORY_SERVER], env: { MEMORY_FILE_PATH: join(env.HOME!, "memory.jsonl") } }
  const cfg = writeConfig(env, { toolkit: { enabled: "off" }, plugins: { enabled: false }, servers: { ...servers, mem }, pool: { callTimeout: 20_000 } })
  const c = await connectBinary(["serve", "--config", cfg], env)
  // one list, as Cursor: it never lists again
  const first = (await c.client.listTools()).tools.map((t) => t.name)
  return { c, first }
}
