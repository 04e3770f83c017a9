/**
 * `bun run conformance`: the official MCP conformance suite (`@modelcontextprotocol/conformance`,
 * server scenarios) against our Streamable HTTP endpoint, with the fixture server
 * test/fixtures/conformance-server.ts as the only upstream in passthrough mode. Known failures are
 * listed, with reasons, in conformance/baseline.yml. Bounded in time; cleans up every process.
 *
 * The suite cannot send a bearer token, so this run (and only this run) sets
 * `http.allowUnauthenticated: true` on a loopback port.
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { newestSource } from "./lib/newest.ts"

const ROOT = join(import.meta.dir, "..")
const BIN = join(ROOT, "dist", "mcp-orchestrator")
const SUITE_TIMEOUT_MS = 240_000
const START_TIMEOUT_MS = 20_000


/** The built binary when it is up to date, else the sources under bun. */
function orchestratorCommand(): string[] {
  if (existsSync(BIN) && statSync(BIN).mtimeMs >= newestSource(join(ROOT, "src"))) return [BIN]
  return [process.execPath, join(ROOT, "src", "main.ts")]
}

const work = mkdtempSync(join(tmpdir(), "mcpo-conformance-"))
const config = {
  log: { level: "info" },
  servers: { conformance: { command: process.execPath, args: [join(ROOT, "test", "fixtures", "conformance-server.ts")] } },
  warm: ["conformance"],
  proxy: { passthrough: true },
  toolkit: { enabled: "off" },
  cache: { dir: join(work, "cache") },
  plugins: { enabled: false },
  http: { allowUnauthenticated: true },
}
const configPath = join(work, "config.json")
writeFileSync(configPath, JSON.stringify(config, null, 2))

const cmd = [...orchestratorCommand(), "serve", "--no-stdio", "--http", "127.0.0.1:0", "--config", configPath]
console.log(`conformance: starting ${cmd.map((a) => a.replace(ROOT + "/", "")).join(" ")}`)
const orch = Bun.spawn(cmd, {
  cwd: work,
  env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: work, XDG_CONFIG_HOME: join(work, "config"), XDG_CACHE_HOME: join(work, "xdg-cache") },
  stdin: "ignore",
  stdout: "ignore",
  stderr: "pipe",
})

let stderrText = ""
/** Reads the orchestrator's stderr (JSON log lines) until it announces its URL. */
async function waitForUrl(): Promise<string> {
  const reader = orch.stderr.getReader()
  const decoder = new TextDecoder()
  const deadline = setTimeout(() => reader.cancel().catch(() => {}), START_TIMEOUT_MS)
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      stderrText += decoder.decode(value)
      const m = /"msg":"serving Streamable HTTP","url":"(http:\/\/[^"]+)"/.exec(stderrText)
      if (m) {
        // keep draining so the child never blocks on a full pipe
        void (async () => {
          for (;;) {
            const r = await reader.read().catch(() => ({ done: true, value: undefined }))
            if (r.done) break
            stderrText += decoder.decode(r.value)
          }
        })()
        return m[1]!
      }
    }
  } finally {
    clearTimeout(deadline)
  }
  throw new Error(`the orchestrator did not start serving HTTP within ${START_TIMEOUT_MS} ms:\n${stderrText.slice(-2000)}`)
}

/** Waits (bounded) for readiness, then tells whether the fixture's tools are listed through us. */
async function fixtureVisible(url: string): Promise<boolean> {
  const base = url.replace(/\/mcp$/, "")
  for (let i = 0; i < 50; i++) {
    const r = await fetch(`${base}/readyz`).catch(() => undefined)
    if (r?.status === 200) break
    await Bun.sleep(200)
  }
  const client = new Client({ name: "conformance-probe", version: "1.0.0" }, { capabilities: {} })
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(url)))
    const { tools } = await client.listTools()
    return tools.some((t) => t.name === "test_simple_text")
  } finally {
    await client.close().catch(() => {})
  }
}

async function stop(p: Bun.Subprocess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return
  p.kill("SIGTERM")
  const t = setTimeout(() => p.kill("SIGKILL"), 5000)
  await p.exited
  clearTimeout(t)
}

let code = 1
try {
  const url = await waitForUrl()
  console.log(`conformance: orchestrator at ${url}`)
  if (!(await fixtureVisible(url))) throw new Error("the fixture server's tools are not visible through the orchestrator (passthrough proxy broken?)")
  const baseline = join(ROOT, "conformance", "baseline.yml")
  const suite = Bun.spawn(
    [process.execPath, join(ROOT, "node_modules", ".bin", "conformance"), "server", "--url", url, "--expected-failures", baseline, "-o", join(work, "results")],
    { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] },
  )
  const timer = setTimeout(() => {
    console.error(`conformance: suite exceeded ${SUITE_TIMEOUT_MS / 1000}s; stopping it`)
    suite.kill("SIGKILL")
  }, SUITE_TIMEOUT_MS)
  code = await suite.exited
  clearTimeout(timer)
  if (code !== 0) console.error(`conformance: suite exited ${code}; orchestrator log tail:\n${stderrText.split("\n").slice(-15).join("\n")}`)
} catch (e) {
  console.error(`conformance: ${e instanceof Error ? e.message : String(e)}`)
  code = 1
} finally {
  await stop(orch)
  rmSync(work, { recursive: true, force: true })
}
process.exit(code)
