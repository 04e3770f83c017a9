/**
 * @module app/demo
 * `mcp-orchestrator demo`: starts the orchestrator on the example config as a child over stdio,
 * connects to it as a real MCP client, lists the aggregated tools, calls a few, prints latencies.
 */
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { Client } from "@modelcontextprotocol/client"
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio"
import exampleYaml from "../../examples/servers.yaml" with { type: "text" }
import { ConfigError, errorMessage, OrchestratorError, readTextFile } from "../core/index.ts"

export interface DemoOptions {
  /** Orchestrator executable (default: this binary when compiled, else dist/mcp-orchestrator, else `bun src/main.ts`). */
  binary?: string
  /** Config to run instead of the embedded example (placeholders `${REPO}`, `${DATA}`, `${NODE}` are filled in). */
  configPath?: string
  /** Repository root holding node_modules (default: found from the binary, the cwd or this file). */
  repo?: string
  out: (line: string) => void
}

export const EXAMPLE_CONFIG: string = exampleYaml as unknown as string
const PROBE = "node_modules/@modelcontextprotocol/server-everything/dist/index.js"

/** Fill the example's placeholders. */
export function resolveExample(text: string, v: { repo: string; data: string; node: string }): string {
  return text.replaceAll("${REPO}", v.repo).replaceAll("${DATA}", v.data).replaceAll("${NODE}", v.node)
}

/** Where `findRepo` looks from (tests set them; by default this process's). */
export interface RepoSearch {
  /** The compiled binary's path (undefined when running from source). */
  binary?: string | undefined
  cwd?: string
  /** This file's directory when running from source. */
  sourceDir?: string | undefined
}

function thisProcess(): RepoSearch {
  const compiled = Bun.main.startsWith("/$bunfs/") || Bun.main.startsWith("B:\\~BUN")
  return { binary: compiled ? process.execPath : undefined, cwd: process.cwd(), sourceDir: compiled ? undefined : import.meta.dir }
}

/** `dir` and each directory above it, up to the root. */
function upFrom(dir: string): string[] {
  const out: string[] = []
  for (let d = resolve(dir); ; d = dirname(d)) {
    out.push(d)
    if (dirname(d) === d) return out
  }
}

/**
 * The checkout whose node_modules holds the demo's servers: `explicit`, else the nearest one at or
 * above the binary's directory (a symlink to dist/mcp-orchestrator followed), the working
 * directory (the demo run from any subdirectory of the checkout) or, from source, this file.
 */
export function findRepo(explicit?: string, from: RepoSearch = thisProcess()): string | undefined {
  if (explicit !== undefined && existsSync(join(explicit, PROBE))) return explicit
  const starts: string[] = []
  if (from.binary) {
    let real = from.binary
    try {
      real = realpathSync(from.binary)
    } catch {
      // not there (any more): its path as given
    }
    starts.push(dirname(real))
  }
  if (from.cwd) starts.push(from.cwd)
  if (from.sourceDir) starts.push(from.sourceDir)
  for (const start of starts) for (const dir of upFrom(start)) if (existsSync(join(dir, PROBE))) return dir
  return undefined
}

function orchestratorCommand(repo: string, binary?: string): string[] {
  if (binary) return [binary]
  if (Bun.main.startsWith("/$bunfs/")) return [process.execPath]
  const dist = join(repo, "dist", "mcp-orchestrator")
  if (existsSync(dist)) return [dist]
  return [process.execPath, join(repo, "src", "main.ts")]
}

/** The `--example` config's text; one that cannot be read is a usage error naming it (exit 2). */
function readExample(path: string): string {
  try {
    return readTextFile(path, 1 << 20).text
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? errorMessage(e)
    throw new ConfigError([`--example ${path}: cannot read the file (${code})`], { remedy: "Pass a config file that exists (YAML or JSON; ${REPO}, ${DATA} and ${NODE} are filled in), or leave --example out to run the embedded example." })
  }
}

export async function runDemo(opts: DemoOptions): Promise<void> {
  const out = opts.out
  const repo = findRepo(opts.repo)
  if (!repo) {
    throw new OrchestratorError("internal", "DEMO_NO_SERVERS", "the demo's MCP servers (@modelcontextprotocol/server-*) are not installed here", {
      remedy: "Run the demo from inside a checkout after `bun install`, or run that checkout's dist/mcp-orchestrator, or pass --repo <checkout>.",
    })
  }
  const node = Bun.which("node") ? "node" : (Bun.which("bun") ?? "bun")
  // read before the scratch directory exists: a file that cannot be read leaves nothing behind
  const text = opts.configPath ? readExample(opts.configPath) : EXAMPLE_CONFIG
  const data = mkdtempSync(join(tmpdir(), "mcpo-demo-"))
  mkdirSync(join(data, "files"))
  writeFileSync(join(data, "files", "hello.txt"), "Hello from the mcp-orchestrator demo.\n")
  const configFile = join(data, "config.yaml")
  writeFileSync(configFile, resolveExample(text, { repo, data, node }))
  const [command, ...pre] = orchestratorCommand(repo, opts.binary)
  const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: data, XDG_CONFIG_HOME: join(data, "config"), XDG_CACHE_HOME: join(data, "cache") }
  const transport = new StdioClientTransport({ command: command!, args: [...pre, "serve", "--config", configFile], env, stderr: "pipe", cwd: data })
  let stderr = ""
  transport.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)))
  const client = new Client({ name: "mcp-orchestrator-demo", version: "1" }, { capabilities: {} })
  const ms = (t: number): string => `${(performance.now() - t).toFixed(1)} ms`
  // Ctrl-C (or a kill) during the demo: the orchestrator and its servers are stopped and the
  // scratch directory removed, as at a normal end (it was left in the temp directory)
  let stopping = false
  const interrupted = (signal: NodeJS.Signals): void => {
    stopping = true
    void client
      .close()
      .catch(() => {})
      .finally(() => {
        rmSync(data, { recursive: true, force: true })
        process.exit(signal === "SIGINT" ? 130 : 143)
      })
  }
  process.once("SIGINT", interrupted)
  process.once("SIGTERM", interrupted)
  try {
    out(`orchestrator: ${[command, ...pre].join(" ")} serve --config ${configFile}`)
    let t = performance.now()
    await client.connect(transport)
    out(`initialize                       ${ms(t)}`)
    t = performance.now()
    const { tools } = await client.listTools()
    out(`tools/list                       ${ms(t)}  ${tools.length} tools`)
    const byServer = new Map<string, number>()
    for (const tool of tools) {
      const server = tool.name.includes("__") ? tool.name.split("__")[0]! : "(orchestrator)"
      byServer.set(server, (byServer.get(server) ?? 0) + 1)
    }
    for (const [server, n] of byServer) {
      const example = tools.find((x) => (server === "(orchestrator)" ? !x.name.includes("__") : x.name.startsWith(`${server}__`)))?.name
      out(`  ${server.padEnd(14)} ${String(n).padStart(3)} tools, e.g. ${example}`)
    }
    const call = async (label: string, name: string, args: Record<string, unknown>): Promise<string> => {
      const t0 = performance.now()
      const r = await client.callTool({ name, arguments: args })
      const content = (r.content ?? []) as { type: string; text?: string }[]
      const first = content.find((c) => c.type === "text")?.text ?? JSON.stringify(content[0] ?? r)
      if (r.isError) throw new Error(`${name} failed: ${first}`)
      out(`${label.padEnd(32)} ${ms(t0)}  ${first.replace(/\s+/g, " ").slice(0, 70)}`)
      return first
    }
    await call("everything__echo", "everything__echo", { message: "hello through the pool" })
    await call("memory__create_entities", "memory__create_entities", { entities: [{ name: "demo", entityType: "run", observations: [`at ${new Date().toISOString()}`] }] })
    await call("memory__read_graph", "memory__read_graph", {})
    await call("files__list_directory", "files__list_directory", { path: join(data, "files") })
    const lat: number[] = []
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now()
      await client.callTool({ name: "everything__echo", arguments: { message: "x" } })
      lat.push(performance.now() - t0)
    }
    lat.sort((a, b) => a - b)
    out(`200 × everything__echo          p50 ${lat[99]!.toFixed(2)} ms, p99 ${lat[197]!.toFixed(2)} ms (warm session, no spawn)`)
    t = performance.now()
    await client.close()
    out(`shutdown                         ${ms(t)}`)
    out("demo OK")
  } catch (e) {
    // the requests the interruption cut fail here: the signal handler ends the process, not this
    if (stopping) return await new Promise<never>(() => {})
    await client.close().catch(() => {})
    throw new OrchestratorError("internal", "DEMO_FAILED", `demo failed: ${errorMessage(e)}${stderr ? `\norchestrator stderr (tail):\n${stderr.slice(-1500)}` : ""}`, { cause: e })
  } finally {
    process.off("SIGINT", interrupted)
    process.off("SIGTERM", interrupted)
    rmSync(data, { recursive: true, force: true })
  }
}
