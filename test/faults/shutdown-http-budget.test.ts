/**
 * A SIGTERM of `serve --http` while a call waits on a server that ignores SIGTERM and another
 * client is still uploading a request body (a slow link, a client that stalled mid-request): the
 * shutdown ends within its budget, on its own. Before, the HTTP listener's settle (the pass that
 * lets requests of connections already made be read and answered) waited its whole 500 ms for the
 * unfinished request after the drain's second and the downstream's close graces had spent the
 * rest: the budget ran out ("exiting now", every child SIGKILLed) on every such stop. Now the
 * settle fits what is left of the budget. Through the compiled binary; the verdict is the log's
 * (BUDGET_OVERRUN), not a clock.
 */
import { beforeAll, expect, test } from "bun:test"
import { connect, type Socket } from "node:net"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { ensureBuilt, sandboxEnv, startHttpBinary, tempDir } from "../helpers/binary.ts"
import { killAlive, reportedPids, survivors } from "../helpers/pid-world.ts"
import { BUDGET_OVERRUN, exitCode, waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const STUBBORN = join(import.meta.dir, "servers", "stubborn-server.ts")
const TOKEN = "shutdown-budget-" + crypto.randomUUID()
const rpc = (m: Record<string, unknown>): string => JSON.stringify({ jsonrpc: "2.0", ...m })
const INIT = rpc({ id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "budget", version: "1" } } })
const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json, text/event-stream" }

/** A POST whose headers promise a body of 1000 bytes of which only the first few are ever sent. */
async function stalledUpload(port: number, session: string): Promise<Socket> {
  const sock = connect(port, "127.0.0.1")
  sock.on("error", () => {})
  await new Promise((r) => sock.once("connect", r))
  const head = { host: `127.0.0.1:${port}`, ...headers, "mcp-session-id": session, "mcp-protocol-version": "2025-06-18", "content-length": "1000" }
  sock.write(`POST /mcp HTTP/1.1\r\n${Object.entries(head).map(([k, v]) => `${k}: ${v}`).join("\r\n")}\r\n\r\n{"jsonrpc":"2.0",`)
  return sock
}

test.skipIf(process.platform !== "linux")("SIGTERM with a call at a server ignoring SIGTERM and a request body still uploading: within the budget, the call answered, nothing left", async () => {
  const dir = tempDir("mcpo-http-budget-")
  const pids = join(dir, "pids")
  const calls = join(dir, "calls")
  const cfg = join(dir, "config.yaml")
  const server = `{ command: ${JSON.stringify(process.execPath)}, args: [${[STUBBORN, "--pid-file", pids, "--calls", calls].map((a) => JSON.stringify(a)).join(", ")}] }`
  writeFileSync(cfg, ["servers:", `  s: ${server}`, "warm: [s]", 'toolkit: { enabled: "off" }', "plugins: { enabled: false }", ""].join("\n"))
  const h = await startHttpBinary(cfg, sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN }))
  const started = await reportedPids(pids, 2)
  let sock: Socket | undefined
  try {
    expect(started.length).toBe(2)
    const init = await fetch(h.url, { method: "POST", headers, body: INIT })
    const sid = init.headers.get("mcp-session-id")!
    await init.text()
    const session = { ...headers, "mcp-session-id": sid, "mcp-protocol-version": "2025-06-18" }
    expect((await fetch(h.url, { method: "POST", headers: session, body: rpc({ method: "notifications/initialized" }) })).status).toBe(202)
    const call = fetch(h.url, { method: "POST", headers: session, body: rpc({ id: 2, method: "tools/call", params: { name: "s__hang", arguments: {} } }) }).then((r) => r.text())
    // the downstream has the call: the shutdown drains it for its second, then closes a server that ignores SIGTERM
    await waitFor("the downstream to get the call", () => existsSync(calls) && readFileSync(calls, "utf8").includes("hang"), 20_000)
    sock = await stalledUpload(Number(new URL(h.url).port), sid)
    await Bun.sleep(200)
    h.proc.kill("SIGTERM")
    expect(await exitCode(h.proc)).toBe(0)
    expect(await call).toContain("[SHUTTING_DOWN] the orchestrator is stopping (SIGTERM)")
    await waitFor("the log's end", () => h.stderr().includes("shutting down"))
    expect(h.stderr()).not.toMatch(BUDGET_OVERRUN)
    expect(h.stderr()).not.toContain('"msg":"exiting now"')
    expect(await survivors(started)).toEqual([])
  } finally {
    sock?.destroy()
    h.proc.kill("SIGKILL")
    killAlive(started)
  }
}, 60_000)
