/**
 * CORS on the MCP paths (http/cors), in process: a browser client from an origin the Origin check
 * accepts (loopback, http.allowedOrigins) gets its preflight answered and can read every answer
 * (Access-Control-Allow-Origin set to its own origin, the MCP headers exposed), as the MCP Inspector
 * in direct mode needs; any other origin is refused (403) with no CORS header; `*` and credentials
 * are never allowed; the routes without a token (health, metrics) get no CORS headers.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { BASE, INIT, authHeaders, makeApp, post, type TestApp } from "./helpers.ts"

let t: TestApp
afterEach(async () => {
  await t?.app[Symbol.asyncDispose]()
})

const INSPECTOR = "http://localhost:6274"

async function preflight(path: string, origin: string, headers = "authorization,content-type,mcp-protocol-version,mcp-session-id"): Promise<Response> {
  return await t.app.request(`${BASE}${path}`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": headers } })
}

function noWildcard(res: Response): void {
  expect(res.headers.get("access-control-allow-origin")).not.toBe("*")
  expect(res.headers.get("access-control-allow-credentials")).toBeNull()
}

describe("CORS on /mcp", () => {
  test("a loopback origin's preflight is answered 204 (no token needed) with its origin, the MCP methods and the headers it asked for", async () => {
    t = makeApp()
    for (const path of ["/mcp", "/mcp/", "/mcp/t/dev"]) {
      const res = await preflight(path, INSPECTOR)
      expect(res.status).toBe(204)
      expect(res.headers.get("access-control-allow-origin")).toBe(INSPECTOR)
      expect(res.headers.get("access-control-allow-methods")).toBe("GET, POST, DELETE")
      expect(res.headers.get("access-control-allow-headers")).toBe("authorization,content-type,mcp-protocol-version,mcp-session-id")
      expect(res.headers.get("vary")).toContain("Origin")
      noWildcard(res)
    }
    // a request-headers value that is no list of names: the MCP headers are listed instead of echoing it
    const odd = await preflight("/mcp", INSPECTOR, "x-a; evil=1")
    expect(odd.status).toBe(204)
    expect(odd.headers.get("access-control-allow-headers")).toContain("Mcp-Session-Id")
    expect(odd.headers.get("access-control-allow-headers")).not.toContain("evil")
  })

  test("requests from an accepted origin carry Access-Control-Allow-Origin and expose Mcp-Session-Id, on answers, errors and the GET stream", async () => {
    t = makeApp()
    const init = await post(t.app, INIT, authHeaders({ origin: INSPECTOR }))
    expect(init.status).toBe(200)
    await init.text()
    expect(init.headers.get("access-control-allow-origin")).toBe(INSPECTOR)
    expect(init.headers.get("access-control-expose-headers")).toContain("Mcp-Session-Id")
    noWildcard(init)
    const sid = init.headers.get("mcp-session-id")!
    // a refusal the page must be able to read: 401 (with its challenge exposed), 404
    const noToken = await post(t.app, INIT, { origin: INSPECTOR })
    expect(noToken.status).toBe(401)
    expect(noToken.headers.get("access-control-allow-origin")).toBe(INSPECTOR)
    expect(noToken.headers.get("access-control-expose-headers")).toContain("WWW-Authenticate")
    const gone = await post(t.app, { jsonrpc: "2.0", id: 2, method: "tools/list" }, authHeaders({ origin: INSPECTOR, "mcp-session-id": "nope" }))
    expect(gone.status).toBe(404)
    expect(gone.headers.get("access-control-allow-origin")).toBe(INSPECTOR)
    const get = await t.app.request(`${BASE}/mcp`, { headers: authHeaders({ origin: INSPECTOR, "mcp-session-id": sid, accept: "text/event-stream" }) })
    expect(get.status).toBe(200)
    expect(get.headers.get("access-control-allow-origin")).toBe(INSPECTOR)
    await get.body!.cancel()
    // a 2026-07-28 request
    const modern = await t.app.request(`${BASE}/mcp`, {
      method: "POST",
      headers: authHeaders({ origin: INSPECTOR, "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2026-07-28", "mcp-method": "server/discover" }),
      body: JSON.stringify({ jsonrpc: "2.0", id: 3, method: "server/discover", params: { _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} } } }),
    })
    expect(modern.status).toBe(200)
    expect(modern.headers.get("access-control-allow-origin")).toBe(INSPECTOR)
    // no Origin (not a browser): no CORS headers
    const plain = await post(t.app, INIT)
    await plain.text()
    expect(plain.headers.get("access-control-allow-origin")).toBeNull()
  })

  test("an origin the Origin check refuses gets 403 and no CORS header, preflight or not; one in http.allowedOrigins is served; health and metrics get none", async () => {
    t = makeApp({ allowedOrigins: ["https://inspector.example.com"] })
    for (const origin of ["https://evil.example.com", "null", "http://localhost.evil.com"]) {
      const pre = await preflight("/mcp", origin)
      expect(pre.status).toBe(403)
      expect(pre.headers.get("access-control-allow-origin")).toBeNull()
      const res = await post(t.app, INIT, authHeaders({ origin }))
      expect(res.status).toBe(403)
      expect(res.headers.get("access-control-allow-origin")).toBeNull()
    }
    const listed = await preflight("/mcp", "https://inspector.example.com")
    expect(listed.status).toBe(204)
    expect(listed.headers.get("access-control-allow-origin")).toBe("https://inspector.example.com")
    expect(listed.headers.get("access-control-allow-private-network")).toBeNull()
    // Chrome's Private Network Access preflight (a public origin reaching loopback): allowed for an accepted origin only
    const pna = { method: "OPTIONS", headers: { "access-control-request-method": "POST", "access-control-request-private-network": "true" } }
    const allowed = await t.app.request(`${BASE}/mcp`, { ...pna, headers: { ...pna.headers, origin: "https://inspector.example.com" } })
    expect(allowed.headers.get("access-control-allow-private-network")).toBe("true")
    const other = await t.app.request(`${BASE}/mcp`, { ...pna, headers: { ...pna.headers, origin: "https://evil.example.com" } })
    expect(other.status).toBe(403)
    expect(other.headers.get("access-control-allow-private-network")).toBeNull()
    for (const path of ["/healthz", "/metrics", "/readyz"]) {
      const res = await t.app.request(`${BASE}${path}`, { headers: { origin: INSPECTOR } })
      await res.text()
      expect(res.headers.get("access-control-allow-origin")).toBeNull()
    }
    // OPTIONS that is no preflight (no Origin): 405 as before
    const options = await t.app.request(`${BASE}/mcp`, { method: "OPTIONS" })
    expect(options.status).toBe(405)
  })
})
