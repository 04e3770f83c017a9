/**
 * What the MCP endpoint answers to requests it does not serve, in process (createHttpApp, SDK
 * clients through `app.request`): another method is 405 with `Allow`, `/mcp/` (trailing slash) is
 * `/mcp`, an unknown route's 404 names the routes, a 2026-07-28 batch is refused as such (that
 * revision has no batches), a legacy HTTP+SSE client is told to pick Streamable HTTP, a body over the limit is a JSON-RPC 413 naming http.bodyLimit, and a
 * call of a name that is not exposed is counted under one `(unknown)` tool label.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import type { Logger } from "../../src/core/index.ts"
import { BASE, INIT, TOKEN, authHeaders, connectClient, makeApp, post, type TestApp } from "./helpers.ts"

const V = "2026-07-28"
/** The tool label of names that are not exposed (metrics.ts UNKNOWN_TOOL). */
const UNKNOWN_TOOL = "(unknown)"
const ENVELOPE = { "io.modelcontextprotocol/protocolVersion": V, "io.modelcontextprotocol/clientCapabilities": {} }

let t: TestApp | undefined
afterEach(async () => {
  await t?.app[Symbol.asyncDispose]()
  t = undefined
})

type RpcError = { jsonrpc: string; id: null; error: { code: number; message: string } }

describe("methods and paths", () => {
  test("PUT, PATCH, OPTIONS (no preflight), HEAD on /mcp and /mcp/t/<name> are 405 with Allow (readable by an accepted origin: http/cors), before auth", async () => {
    t = makeApp({ toolsets: ["ro"] })
    for (const path of ["/mcp", "/mcp/", "/mcp/t/ro", "/mcp/t/%72o"]) {
      for (const method of ["PUT", "PATCH", "OPTIONS", "HEAD"]) {
        const res = await t.app.request(`${BASE}${path}`, { method, headers: { Origin: "http://localhost:3000" } })
        expect([path, method, res.status]).toEqual([path, method, 405])
        expect(res.headers.get("allow")).toBe("GET, POST, DELETE")
        expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:3000")
        if (method !== "HEAD") {
          const body = (await res.json()) as RpcError
          expect(body.error.message).toContain(`Method not allowed: ${method}`)
          expect(body.error.message).toContain("POST")
        }
      }
    }
    // the Host/Origin guard still comes first
    expect((await t.app.request(`${BASE}/mcp`, { method: "PUT", headers: { Host: "evil.example.com" } })).status).toBe(403)
  })

  test("/mcp/ with a trailing slash is /mcp: an SDK client works there; /mcp/t/<name>/ is its toolset", async () => {
    t = makeApp({ toolsets: ["ro"] })
    for (const path of ["/mcp/", "/mcp/t/ro/"]) {
      const transport = new StreamableHTTPClientTransport(new URL(`${BASE}${path}`), {
        fetch: async (url, init) => await t!.app.request(String(url), init),
        requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
      })
      const client = new Client({ name: "slash", version: "1.0.0" }, { capabilities: {} })
      await client.connect(transport)
      expect((await client.listTools()).tools.map((x) => x.name)).toContain("orchestrator_status")
      expect((await client.callTool({ name: "orchestrator_status", arguments: {} })).isError).toBeFalsy()
      await client.close()
    }
    // the trailing slash goes through the same bearer check
    expect((await t.app.request(`${BASE}/mcp/`, { method: "POST", body: JSON.stringify(INIT) })).status).toBe(401)
  })

  test("an unknown route is a 404 naming the routes", async () => {
    t = makeApp()
    for (const path of ["/mcpx", "/mcp/nope", "/exec"]) {
      const res = await t.app.request(`${BASE}${path}`, { method: "POST", headers: authHeaders() })
      expect(res.status).toBe(404)
      const body = (await res.json()) as { error: string; message: string }
      expect(body.error).toBe("not_found")
      expect(body.message).toContain(`No route POST ${path}`)
      expect(body.message).toContain("/mcp")
    }
  })

  test("where an OAuth client looks after the 401 (mcp-remote given no token), the 404 says there is no OAuth and which header to send (QA round 31)", async () => {
    // mcp-remote showed its user only "No route POST /register…" (it never shows the 401's text)
    t = makeApp()
    const paths: [string, string][] = [
      ["GET", "/.well-known/oauth-protected-resource/mcp"],
      ["GET", "/.well-known/oauth-protected-resource"],
      ["GET", "/.well-known/oauth-authorization-server"],
      ["GET", "/.well-known/openid-configuration"],
      ["POST", "/register"],
      ["GET", "/authorize"],
      ["POST", "/token"],
    ]
    for (const [method, path] of paths) {
      const res = await t.app.request(`${BASE}${path}`, { method })
      expect(res.status).toBe(404)
      const body = (await res.json()) as { error: string; message: string }
      expect(body.error).toBe("not_found")
      expect(body.message).toContain("has no OAuth")
      expect(body.message).toContain("Authorization: Bearer <token>")
      expect(body.message).toContain("MCPO_HTTP_TOKEN")
    }
  })
})

describe("legacy HTTP+SSE clients (QA 104)", () => {
  // Vercel AI SDK's transport type "sse", mcp-remote --transport sse-only, the MCP Inspector's
  // --transport sse: a GET stream first, no initialize POST. Given /mcp they showed "400 Bad Request" /
  // "Mcp-Session-Id header is required (initialize first)", which says nothing of the transport; /sse serves them.
  test("the SDK's SSE client transport given /mcp fails at connect, told to use /sse (the log says it once); given /sse it connects", async () => {
    const warned: string[] = []
    const log: Logger = { debug() {}, info() {}, error() {}, warn: (msg, f) => warned.push(`${msg} ${JSON.stringify(f)}`), child: () => log, isEnabled: () => true }
    t = makeApp({ log, toolsets: ["ro"] })
    const answers: string[] = []
    const fetchApp = async (url: string | URL, init?: RequestInit) => {
      const res = await t!.app.request(String(url), init)
      if (res.status !== 200 && res.status !== 202) answers.push(`${res.status} ${await res.clone().text()}`)
      return res
    }
    for (const path of ["/mcp", "/mcp", "/mcp/t/ro", "/sse", "/mcp/t/ro/sse"]) {
      answers.length = 0
      const transport = new SSEClientTransport(new URL(`${BASE}${path}`), { fetch: fetchApp, requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } })
      const client = new Client({ name: "legacy-sse", version: "1.0.0" }, { capabilities: {} })
      const failed = await client.connect(transport).then(
        () => false,
        () => true,
      )
      if (!failed) expect((await client.listTools()).tools.map((x) => x.name)).toContain("orchestrator_status")
      await client.close()
      const served = path.endsWith("/sse")
      expect({ path, failed }).toEqual({ path, failed: !served })
      expect(answers.length).toBe(served ? 0 : 1)
      for (const a of answers) {
        expect(a).toMatch(/^400 /)
        expect(a).toContain("connects to /sse instead")
        expect(a).toContain("Streamable HTTP")
        expect(a).toContain("--transport http-only")
      }
    }
    // the client shows none of it ("SSE error: Non-200 status code (400)"): the orchestrator's log does, once per endpoint path
    expect(warned.filter((w) => w.includes("legacy HTTP+SSE"))).toHaveLength(2)
    // an unknown HTTP+SSE session; a POST to /mcp without a session keeps its own words
    const messages = await t.app.request(`${BASE}/messages?sessionId=x`, { method: "POST", headers: authHeaders({ "content-type": "application/json" }), body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }) })
    expect(messages.status).toBe(404)
    expect(((await messages.json()) as RpcError).error.message).toBe("Session not found; open a new session with GET /sse")
    const noSession = await post(t.app, { jsonrpc: "2.0", id: 1, method: "tools/list" })
    expect(((await noSession.json()) as RpcError).error.message).toBe("Bad Request: Mcp-Session-Id header is required (initialize first)")
  })
})

describe("batches", () => {
  test("a 2026-07-28 batch is refused as such, not as a legacy request without a session", async () => {
    t = makeApp()
    const item = (id: number) => ({ jsonrpc: "2.0", id, method: "tools/list", params: { _meta: ENVELOPE } })
    const cases: [unknown, Record<string, string>][] = [
      // items with the envelope, with and without the version header
      [[item(1), item(2)], { "mcp-protocol-version": V }],
      [[item(1)], {}],
      // no envelope, but no session and a modern version header
      [[{ jsonrpc: "2.0", id: 1, method: "tools/list" }], { "mcp-protocol-version": V }],
    ]
    for (const [body, headers] of cases) {
      const res = await post(t.app, body, authHeaders(headers))
      expect(res.status).toBe(400)
      const e = ((await res.json()) as RpcError).error
      expect(e.code).toBe(-32600)
      expect(e.message).toContain("batches are not part of the 2026-07-28 protocol")
      expect(e.message).not.toContain("Mcp-Session-Id")
    }
    // a legacy batch without a session still needs one; inside a session it is served
    const legacy = await post(t.app, [{ jsonrpc: "2.0", id: 1, method: "tools/list" }])
    expect(((await legacy.json()) as RpcError).error.message).toContain("Mcp-Session-Id header is required")
    const init = await post(t.app, INIT)
    await init.text()
    const h = authHeaders({ "mcp-session-id": init.headers.get("mcp-session-id")!, "mcp-protocol-version": "2025-06-18" })
    const served = await post(t.app, [{ jsonrpc: "2.0", id: 1, method: "tools/list" }, { jsonrpc: "2.0", id: 2, method: "ping" }], h)
    expect(((await served.json()) as unknown[]).length).toBe(2)
  })
})

describe("limits", () => {
  test("a body over http.bodyLimit is a JSON-RPC 413 naming the limit and the key, and the connection is closed", async () => {
    t = makeApp({ bodyLimit: 2048 })
    const res = await post(t.app, JSON.stringify({ ...INIT, pad: "x".repeat(4096) }))
    expect(res.status).toBe(413)
    expect(res.headers.get("connection")).toBe("close")
    const body = (await res.json()) as RpcError
    expect(body).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32600 } })
    expect(body.error.message).toContain("over 2048 bytes (http.bodyLimit")
    // a refusal that leaves a body unread closes the connection too; one without a body does not
    const unauth = await t.app.request(`${BASE}/mcp`, { method: "POST", headers: { "content-type": "application/json" }, body: "x".repeat(4096) })
    expect(unauth.status).toBe(401)
    expect(unauth.headers.get("connection")).toBe("close")
    const bare = await t.app.request(`${BASE}/mcp`, { method: "GET" })
    expect(bare.status).toBe(401)
    expect(bare.headers.get("connection")).toBeNull()
  })

  test("a call of a name that is not exposed counts under tool (unknown); an own tool keeps its name", async () => {
    t = makeApp()
    const { client } = await connectClient(t.app)
    for (let i = 0; i < 20; i++) await expect(client.callTool({ name: `typo_${i}`, arguments: {} })).rejects.toThrow(/Unknown tool/)
    await client.callTool({ name: "orchestrator_status", arguments: {} })
    await client.close()
    const text = await (await t.app.request(`${BASE}/metrics`)).text()
    expect(text.includes("typo_")).toBe(false)
    expect(text).toContain(`mcpo_tool_calls_total{server="",tool="${UNKNOWN_TOOL}",outcome="error"} 20`)
    expect(text).toContain('mcpo_tool_calls_total{server="",tool="orchestrator_status",outcome="ok"} 1')
    // a call routed to a server keeps its name (the proxy set the server)
    t.metrics.observeToolCall({ tool: "fs__read", server: "fs", outcome: "ok", durationMs: 1 })
    expect(await (await t.app.request(`${BASE}/metrics`)).text()).toContain('mcpo_tool_calls_total{server="fs",tool="fs__read",outcome="ok"} 1')
  })
})
