/**
 * Requests that race a SIGTERM over HTTP (through the compiled binary, HTTP only): connections made
 * before the signal whose requests are written as it is sent (a legacy `initialize`, a legacy
 * session's `tools/list`, a 2026-07-28 `tools/list`) each get an HTTP answer with a JSON-RPC body
 * (served, or SHUTTING_DOWN), never a reset. Before, with nothing to wait for the shutdown closed the
 * listener before the event loop had read them: every one of those connections was reset.
 */
import { beforeAll, expect, test } from "bun:test"
import { connect, type Socket } from "node:net"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { ensureBuilt, sandboxEnv, startHttpBinary, tempDir } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const TOKEN = "shutdown-race-" + crypto.randomUUID()
const MODERN = "2026-07-28"
const rpc = (m: Record<string, unknown>): string => JSON.stringify({ jsonrpc: "2.0", ...m })
const INIT = rpc({ id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "race", version: "1" } } })
const LIST = rpc({ id: 2, method: "tools/list" })
const MODERN_LIST = rpc({ id: 3, method: "tools/list", params: { _meta: { "io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": {} } } })

/** A raw HTTP/1.1 POST to `path` (each on its own connection, so none waits behind another). */
function request(port: number, body: string, extra: Record<string, string>): string {
  const headers = { host: `127.0.0.1:${port}`, authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json, text/event-stream", "content-length": String(Buffer.byteLength(body)), ...extra }
  return `POST /mcp HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n${body}`
}

/** What the connection got until it closed: the bytes, or the error that ended it (a reset). */
function outcome(s: Socket): Promise<{ got: string; error?: string }> {
  return new Promise((resolve) => {
    let got = ""
    s.on("data", (d) => (got += d.toString()))
    s.on("error", (e) => resolve({ got, error: (e as NodeJS.ErrnoException).code ?? e.message }))
    s.on("close", () => resolve({ got }))
  })
}

test("requests written as SIGTERM is sent, on connections made before it (both eras): every one answered, none reset", async () => {
  const dir = tempDir("mcpo-race-")
  const cfg = join(dir, "config.yaml")
  writeFileSync(cfg, ["servers: {}", 'toolkit: { enabled: "off" }', "plugins: { enabled: false }", ""].join("\n"))
  const h = await startHttpBinary(cfg, sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN }))
  const port = Number(new URL(h.url).port)
  const init = await fetch(h.url, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json, text/event-stream" }, body: INIT })
  const sid = init.headers.get("mcp-session-id")!
  await init.text()
  const kinds = [
    request(port, INIT, {}),
    request(port, LIST, { "mcp-session-id": sid, "mcp-protocol-version": "2025-06-18" }),
    request(port, MODERN_LIST, { "mcp-protocol-version": MODERN, "mcp-method": "tools/list" }),
  ]
  const sockets = await Promise.all(Array.from({ length: 30 }, () => new Promise<Socket>((resolve, reject) => {
    const s = connect(port, "127.0.0.1", () => resolve(s))
    s.once("error", reject)
  })))
  const outcomes = sockets.map(outcome)
  h.proc.kill("SIGTERM")
  sockets.forEach((s, i) => s.write(kinds[i % kinds.length]!))
  const got = await Promise.all(outcomes)
  await h.proc.exited
  expect(h.proc.exitCode).toBe(0)
  const resets = got.filter((g) => g.error !== undefined || g.got === "")
  expect(resets.map((g) => g.error ?? "closed without an answer")).toEqual([])
  for (const g of got) {
    expect(g.got).toMatch(/^HTTP\/1\.1 \d{3} /)
    const body = g.got.slice(g.got.indexOf("\r\n\r\n") + 4)
    expect(body).toContain('"jsonrpc":"2.0"')
    expect(body).toMatch(/"result"|\[SHUTTING_DOWN\]/)
  }
}, 30_000)
