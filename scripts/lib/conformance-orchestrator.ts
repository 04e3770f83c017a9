/**
 * One orchestrator for `bun run conformance`: `serve --no-stdio --http 127.0.0.1:0` with the fixture
 * server test/fixtures/conformance-server.ts as its only upstream (passthrough), the downstream era
 * pinned, in a private temp dir. Started, checked (the fixture's tools must be visible through the
 * pool), and stopped; its stderr is kept for the failure report.
 *
 * The suite cannot send a bearer token, so this run (and only this run) sets
 * `http.allowUnauthenticated: true` on a loopback port.
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/client"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/client"
import { newestSource } from "./newest.ts"

const START_TIMEOUT_MS = 20_000

export interface ConformanceOrchestrator {
  url: string
  /** The last lines of its JSON log (stderr). */
  logTail(lines: number): string
  stop(): Promise<void>
}

/** The built binary when it is up to date, else the sources under bun. */
function orchestratorCommand(root: string): string[] {
  const bin = join(root, "dist", "mcp-orchestrator")
  if (existsSync(bin) && statSync(bin).mtimeMs >= newestSource(join(root, "src"))) return [bin]
  return [process.execPath, join(root, "src", "main.ts")]
}

/** Starts an orchestrator fronting the fixture spoken to in `era`; throws (after cleaning up) when it does not come up. */
export async function startOrchestrator(root: string, era: "legacy" | "modern", bin?: string): Promise<ConformanceOrchestrator> {
  const work = mkdtempSync(join(tmpdir(), `mcpo-conformance-${era}-`))
  const config = {
    log: { level: "info" },
    servers: { conformance: { command: process.execPath, args: [join(root, "test", "fixtures", "conformance-server.ts")], protocol: era } },
    warm: ["conformance"],
    proxy: { passthrough: true },
    toolkit: { enabled: "off" },
    cache: { dir: join(work, "cache") },
    plugins: { enabled: false },
    http: { allowUnauthenticated: true },
  }
  const configPath = join(work, "config.json")
  writeFileSync(configPath, JSON.stringify(config, null, 2))
  const cmd = [...(bin ? [bin] : orchestratorCommand(root)), "serve", "--no-stdio", "--http", "127.0.0.1:0", "--config", configPath]
  const child = Bun.spawn(cmd, {
    cwd: work,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: work,
      XDG_CONFIG_HOME: join(work, "config"),
      XDG_CACHE_HOME: join(work, "xdg-cache"),
      XDG_STATE_HOME: join(work, "state"),
    },
    stdin: "ignore",
    stdout: "ignore",
    stderr: "pipe",
  })
  let log = ""
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM")
      const t = setTimeout(() => child.kill("SIGKILL"), 5000)
      await child.exited
      clearTimeout(t)
    }
    rmSync(work, { recursive: true, force: true })
  }
  const logTail = (n: number) => log.trimEnd().split("\n").slice(-n).join("\n")
  try {
    const url = await waitForUrl(child, (chunk) => (log += chunk), () => log)
    await waitReady(url)
    if (!(await fixtureVisible(url))) throw new Error(`the fixture's tools are not visible through the ${era} orchestrator (passthrough proxy broken?)`)
    return { url, logTail, stop }
  } catch (e) {
    await stop()
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n${logTail(20)}`)
  }
}

/** Reads the child's stderr until it announces its URL, then keeps draining it into `onChunk`. */
async function waitForUrl(child: Bun.Subprocess<"ignore", "ignore", "pipe">, onChunk: (s: string) => void, text: () => string): Promise<string> {
  const reader = child.stderr.getReader()
  const decoder = new TextDecoder()
  const deadline = setTimeout(() => reader.cancel().catch(() => {}), START_TIMEOUT_MS)
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      onChunk(decoder.decode(value, { stream: true }))
      const m = /"msg":"serving Streamable HTTP","url":"(http:\/\/[^"]+)"/.exec(text())
      if (m) {
        // keep draining so the child never blocks on a full pipe
        void (async () => {
          for (;;) {
            const r = await reader.read().catch(() => ({ done: true as const, value: undefined }))
            if (r.done) break
            onChunk(decoder.decode(r.value, { stream: true }))
          }
        })()
        return m[1]!
      }
    }
  } finally {
    clearTimeout(deadline)
  }
  throw new Error(`the orchestrator did not start serving HTTP within ${START_TIMEOUT_MS} ms`)
}

async function waitReady(url: string): Promise<void> {
  const base = url.replace(/\/mcp$/, "")
  for (let i = 0; i < 100; i++) {
    const r = await fetch(`${base}/readyz`).catch(() => undefined)
    if (r?.status === 200) return
    await Bun.sleep(200)
  }
}

/** Lists tools through the HTTP face as a legacy client: the fixture's must be there. */
async function fixtureVisible(url: string): Promise<boolean> {
  const client = new Client({ name: "conformance-probe", version: "1.0.0" }, { capabilities: {} })
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(url)))
    const { tools } = await client.listTools()
    return tools.some((t) => t.name === "test_simple_text")
  } finally {
    await client.close().catch(() => {})
  }
}
