/**
 * The HTTP face's limits through the compiled binary (`serve --no-stdio --http 127.0.0.1:0`), with
 * the SDK's Streamable HTTP client and raw requests: a full session table makes room by closing the
 * least recently used idle session (clients that close without DELETE), /metrics stays bounded
 * when clients call names that do not exist, a body over http.bodyLimit is answered with a JSON-RPC
 * 413 naming the key (declared, chunked, and a declared size far past any cap), and the allow lists
 * are normalized (trailing slash, default ports, a JSON array in the environment) with a warning for
 * entries that can never match.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { sandboxEnv, startHttpBinary, tempDir, type HttpBinary } from "../helpers/binary.ts"

const TOKEN = "limits-token-" + crypto.randomUUID()
const BODY_LIMIT = 4096
const V = "2026-07-28"
const ENVELOPE = { "io.modelcontextprotocol/protocolVersion": V, "io.modelcontextprotocol/clientCapabilities": {} }

let run: HttpBinary
const dir = tempDir("mcpo-http-limits-")

beforeAll(async () => {
  const config = {
    toolkit: { enabled: "off" },
    plugins: { enabled: false },
    http: { bodyLimit: BODY_LIMIT, allowedHosts: ["mcp.example.com:443", "https://wrong.example.com/mcp"] },
  }
  const cfg = join(dir, "config.json")
  writeFileSync(cfg, JSON.stringify(config))
  // a JSON array where the variable takes a comma-separated list; the first entry with a trailing slash
  run = await startHttpBinary(cfg, sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN, MCPO_HTTP_ALLOWED_ORIGINS: '["https://app.example.com/","https://b.example.com"]' }))
}, 120_000)

afterAll(async () => {
  if (run && run.proc.exitCode === null) {
    run.proc.kill("SIGKILL")
    await run.proc.exited
  }
})

/** stderr once it contains `needle` (logs are batched), or as it is after 2 s. */
async function logged(needle: string): Promise<string> {
  for (let i = 0; i < 750 && !run.stderr().includes(needle); i++) await Bun.sleep(20)
  return run.stderr()
}

const auth = (): Record<string, string> => ({ Authorization: `Bearer ${TOKEN}` })
const route = (path: string): string => run.url.replace(/\/mcp$/, path)

async function connect(): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(run.url), { requestInit: { headers: auth() } })
  const client = new Client({ name: "limits", version: "1.0.0" }, { capabilities: {} })
  await client.connect(transport)
  return { client, transport }
}

/** What a raw HTTP/1.1 exchange gets back: everything the server writes until it closes the connection. */
async function rawExchange(head: string): Promise<string> {
  const { hostname, port } = new URL(run.url)
  let out = ""
  await new Promise<void>((resolve, reject) => {
    Bun.connect({
      hostname,
      port: Number(port),
      socket: {
        open(s) {
          s.write(head)
        },
        data(_s, d) {
          out += new TextDecoder().decode(d)
        },
        close() {
          resolve()
        },
        error(_s, e) {
          reject(e)
        },
      },
    }).catch(reject)
  })
  return out
}

describe("binary: HTTP limits", () => {
  test("260 SDK clients that call a tool and close without DELETE all get a session: the least recently used idle one is evicted (logged at info)", async () => {
    let first: string | undefined
    for (let i = 0; i < 260; i++) {
      const { client, transport } = await connect()
      first ??= transport.sessionId
      const r = await client.callTool({ name: "orchestrator_status", arguments: {} })
      expect(r.isError).toBeFalsy()
      await client.close() // the SDK v1 client sends no DELETE
    }
    const log = await logged('"msg":"http session evicted"')
    expect(log).toMatch(/"level":"info".*"msg":"http session evicted","session":"[0-9a-f]{8}","idleMs":\d+,"maxSessions":256/)
    // the first session was the least recently used: it is gone
    const gone = await fetch(run.url, {
      method: "POST",
      headers: { ...auth(), "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-session-id": first!, "mcp-protocol-version": "2025-06-18" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    })
    expect(gone.status).toBe(404)
    const metrics = await (await fetch(route("/metrics"))).text()
    expect(metrics).toMatch(/^mcpo_http_sessions 256$/m)
  }, 60_000)

  test("500 modern tools/call of distinct unknown names: one (unknown) series, /metrics does not grow per name", async () => {
    // an own tool called once, so its series exists before the count
    const { client } = await connect()
    await client.callTool({ name: "orchestrator_status", arguments: {} })
    await client.close()
    const before = await (await fetch(route("/metrics"))).text()
    for (let i = 0; i < 500; i++) {
      const name = `no_such_tool_${i}`
      const res = await fetch(run.url, {
        method: "POST",
        headers: { ...auth(), "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": V, "mcp-method": "tools/call", "mcp-name": name },
        body: JSON.stringify({ jsonrpc: "2.0", id: i, method: "tools/call", params: { name, arguments: {}, _meta: ENVELOPE } }),
      })
      expect(((await res.json()) as { error?: { message: string } }).error?.message).toContain("Unknown tool")
    }
    const after = await (await fetch(route("/metrics"))).text()
    expect(after.includes("no_such_tool_")).toBe(false)
    expect(after).toMatch(/^mcpo_tool_calls_total\{server="",tool="\(unknown\)",outcome="error"\} 500$/m)
    // one new series (21 lines: the counter, 17 buckets, +Inf, sum, count), not 500 of them
    const series = (text: string) => text.split("\n").filter((l) => l.startsWith("mcpo_tool_call")).length
    expect(series(after) - series(before)).toBe(21)
    // an own tool keeps its name
    expect(after).toMatch(/^mcpo_tool_calls_total\{server="",tool="orchestrator_status",outcome="ok"\} \d+$/m)
  }, 60_000)

  test("a body over http.bodyLimit is a JSON-RPC 413 naming the limit and the key: declared, chunked, and declared far past any cap", async () => {
    const big = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: { pad: "x".repeat(BODY_LIMIT) } })
    const headers = { ...auth(), "content-type": "application/json", accept: "application/json, text/event-stream" }
    const declared = await fetch(run.url, { method: "POST", headers, body: big })
    const chunked = await fetch(run.url, {
      method: "POST",
      headers,
      body: new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < 8; i++) c.enqueue(new TextEncoder().encode("x".repeat(1024)))
          c.close()
        },
      }),
    })
    for (const res of [declared, chunked]) {
      expect(res.status).toBe(413)
      const body = (await res.json()) as { jsonrpc: string; id: null; error: { code: number; message: string } }
      expect(body).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32600 } })
      expect(body.error.message).toContain(`${BODY_LIMIT} bytes`)
      expect(body.error.message).toContain("http.bodyLimit")
    }
    // 10 GB declared, no byte of it sent: answered at once from the headers, and the connection closed
    const { host } = new URL(run.url)
    const raw = await rawExchange(`POST /mcp HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n`)
    expect(raw).toStartWith("HTTP/1.1 413")
    expect(raw).toMatch(/\r\nconnection: close\r\n/i)
    expect(raw).toContain('"message":"Request body over 4096 bytes (http.bodyLimit')
    // an over-limit body on another route is refused the same way (it takes no body)
    const other = await fetch(route("/healthz"), { method: "POST", body: big })
    expect(other.status).toBe(413)
    expect(await other.text()).toContain("http.bodyLimit")
    // and a request within the limit still works
    const { client } = await connect()
    expect((await client.listTools()).tools.length).toBeGreaterThan(0)
    await client.close()
  })

  test("allow lists: a trailing slash, a default port and a JSON array in the environment match; entries that cannot match are warned about with their key", async () => {
    const at = async (headers: Record<string, string>) => (await fetch(route("/healthz"), { headers })).status
    expect(await at({ Origin: "https://app.example.com" })).toBe(200)
    expect(await at({ Origin: "https://b.example.com" })).toBe(200)
    expect(await at({ Origin: "https://APP.example.com:443" })).toBe(200)
    expect(await at({ Origin: "http://app.example.com" })).toBe(403)
    expect(await at({ Host: "mcp.example.com" })).toBe(200)
    expect(await at({ Host: "mcp.example.com:443" })).toBe(200)
    expect(await at({ Host: "mcp.example.com:8443" })).toBe(403)
    const refused = await fetch(route("/healthz"), { headers: { Host: "evil.example.com" } })
    expect(((await refused.json()) as { message: string }).message).toContain('Host header "evil.example.com" not allowed')
    const log = await logged("http allow-list entry can never match")
    expect(log).toMatch(/"level":"warn".*"msg":"http allow-list entry can never match","setting":"http.allowedHosts","entry":"https:\/\/wrong.example.com\/mcp","why":"a Host is name\[:port\], without scheme or path: use \\"wrong.example.com\\""/)
    // the JSON array in the environment is read as its entries (config/env), not warned about
    expect(log).not.toContain("JSON array")
    // entries that work are not warned about
    expect(log).not.toContain('"entry":"mcp.example.com:443"')
  })
})
