/** Host/Origin guards, bearer token, body limit, no CORS: hono `app.request()` against createHttpApp. */
import { afterEach, describe, expect, test } from "bun:test"
import { BASE, INIT, authHeaders, makeApp, post, TOKEN, type TestApp } from "./helpers.ts"

let t: TestApp
afterEach(async () => {
  await t?.app[Symbol.asyncDispose]()
})

describe("Host and Origin", () => {
  test("a foreign Host header is refused with 403 on every route, before auth", async () => {
    t = makeApp()
    for (const path of ["/healthz", "/readyz", "/metrics", "/openapi.json", "/mcp"]) {
      const res = await t.app.request(`${BASE}${path}`, { headers: { Host: "evil.example.com", ...authHeaders() } })
      expect(res.status).toBe(403)
    }
    expect((await post(t.app, INIT, authHeaders({ Host: "evil.example.com:8787" }))).status).toBe(403)
  })

  test("a foreign Origin is refused with 403; loopback origins and no origin pass", async () => {
    t = makeApp()
    expect((await post(t.app, INIT, authHeaders({ Origin: "http://evil.example.com" }))).status).toBe(403)
    expect((await post(t.app, INIT, authHeaders({ Origin: "null" }))).status).toBe(403)
    const ok = await post(t.app, INIT, authHeaders({ Origin: "http://localhost:3000" }))
    expect(ok.status).toBe(200)
    expect((await t.app.request(`${BASE}/healthz`, { headers: { Host: "[::1]:9000" } })).status).toBe(200)
    expect((await t.app.request(`${BASE}/healthz`, { headers: { Host: "localhost" } })).status).toBe(200)
  })

  test("a browser's cross-site request without Origin (an image, a script) is refused on every route; navigations and other clients pass", async () => {
    // token: undefined (the conformance setting) is where such a GET would otherwise open a session's stream
    t = makeApp({ token: undefined })
    const crossSite = { "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "image" }
    for (const path of ["/healthz", "/metrics", "/openapi.json", "/mcp"]) {
      const res = await t.app.request(`${BASE}${path}`, { headers: crossSite })
      expect(res.status).toBe(403)
      expect(await res.text()).toContain("Sec-Fetch-Site: cross-site")
    }
    const refused = await post(t.app, INIT, { "Sec-Fetch-Site": "Cross-Site" })
    expect(refused.status).toBe(403)
    // a link the user opened: the answer goes to the user
    expect((await t.app.request(`${BASE}/healthz`, { headers: { "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate" } })).status).toBe(200)
    // the same site, a typed address, a client that is no browser; an Origin present is judged by the Origin check
    for (const site of ["same-origin", "same-site", "none"]) expect((await post(t.app, INIT, { "Sec-Fetch-Site": site })).status).toBe(200)
    expect((await post(t.app, INIT, {})).status).toBe(200)
    expect((await post(t.app, INIT, { "Sec-Fetch-Site": "cross-site", Origin: "http://localhost:3000" })).status).toBe(200)
  })

  test("configured hosts and origins are accepted", async () => {
    t = makeApp({ allowedHosts: ["mybox.lan:8787"], allowedOrigins: ["https://dash.example.com"] })
    expect((await t.app.request(`${BASE}/healthz`, { headers: { Host: "mybox.lan:8787" } })).status).toBe(200)
    expect((await t.app.request(`${BASE}/healthz`, { headers: { Host: "otherbox.lan:8787" } })).status).toBe(403)
    expect((await t.app.request(`${BASE}/healthz`, { headers: { Origin: "https://dash.example.com" } })).status).toBe(200)
    expect((await t.app.request(`${BASE}/healthz`, { headers: { Origin: "https://dash.example.com.evil.io" } })).status).toBe(403)
  })
})

describe("bearer token on /mcp", () => {
  test("401 without a token, with a wrong one, or with another scheme; health needs none", async () => {
    t = makeApp()
    const cases: Record<string, string>[] = [{}, { Authorization: "Bearer wrong-token-0123456789" }, { Authorization: `Basic ${btoa(`u:${TOKEN}`)}` }, { Authorization: TOKEN }]
    for (const h of cases) {
      const res = await post(t.app, INIT, h)
      expect(res.status).toBe(401)
      expect(res.headers.get("www-authenticate")).toContain("Bearer")
      expect(await res.text()).not.toContain(TOKEN)
    }
    for (const m of ["GET", "DELETE"]) expect((await t.app.request(`${BASE}/mcp`, { method: m })).status).toBe(401)
    expect((await t.app.request(`${BASE}/healthz`)).status).toBe(200)
    expect((await post(t.app, INIT)).status).toBe(200)
  })

  test("the 401 tells a missing token, another scheme and a wrong token apart (RFC 6750 §3.1): only a wrong bearer token gets error=invalid_token with a description", async () => {
    t = makeApp()
    const challenge = async (h: Record<string, string>) => {
      const res = await post(t.app, INIT, h)
      expect(res.status).toBe(401)
      const body = (await res.json()) as { message: string }
      return { header: res.headers.get("www-authenticate")!, message: body.message }
    }
    // no credentials, or a scheme we do not take: the bare challenge, no error code
    const bare: Record<string, string>[] = [{}, { Authorization: `Basic ${btoa(`u:${TOKEN}`)}` }, { Authorization: "Bearer" }]
    for (const h of bare) {
      const c = await challenge(h)
      expect(c.header).toBe('Bearer realm="mcp-orchestrator"')
      expect(c.message).toContain("MCPO_HTTP_TOKEN")
    }
    expect((await challenge({ Authorization: "Basic abc" })).message).toContain("not of the form Bearer <token>")
    // a token that is not this run's: what an OAuth client reports instead of starting a login
    for (const path of ["/mcp", "/mcp/t/any"]) {
      const res = await t.app.request(`${BASE}${path}`, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", Authorization: "Bearer wrong-token-0123456789" }, body: JSON.stringify(INIT) })
      expect(res.status).toBe(401)
      const header = res.headers.get("www-authenticate")!
      const m = /^Bearer realm="mcp-orchestrator", error="invalid_token", error_description="([^"\\]*)"$/.exec(header)
      expect(m).not.toBeNull()
      // RFC 6750 §3: error_description is printable ASCII without " or \
      expect(/^[\x20-\x21\x23-\x5B\x5D-\x7E]+$/.test(m![1]!)).toBe(true)
      expect(m![1]).toContain("not this endpoint's token")
      expect(((await res.json()) as { message: string }).message).toBe(m![1]!)
      expect(header).not.toContain("wrong-token")
    }
  })

  test("token: undefined (test-only setting) serves /mcp without auth", async () => {
    t = makeApp({ token: undefined })
    expect((await post(t.app, INIT, {})).status).toBe(200)
  })
})

describe("request shape", () => {
  test("413 on a body over the limit, declared or streamed", async () => {
    t = makeApp({ bodyLimit: 2048 })
    const big = JSON.stringify({ ...INIT, pad: "x".repeat(4096) })
    const declared = await post(t.app, big)
    expect(declared.status).toBe(413)
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 8; i++) c.enqueue(new TextEncoder().encode("x".repeat(1024)))
        c.close()
      },
    })
    const streamed = await t.app.request(`${BASE}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...authHeaders() },
      body: stream,
    })
    expect(streamed.status).toBe(413)
    expect((await post(t.app, INIT)).status).toBe(200)
  })

  test("400 on invalid JSON and on a non-initialize request without a session", async () => {
    t = makeApp()
    const bad = await post(t.app, "{not json")
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { code: number } }).error.code).toBe(-32700)
    expect((await post(t.app, { jsonrpc: "2.0", id: 2, method: "tools/list" })).status).toBe(400)
  })

  test("404 for an unknown session id", async () => {
    t = makeApp()
    const res = await post(t.app, { jsonrpc: "2.0", id: 2, method: "tools/list" }, authHeaders({ "mcp-session-id": crypto.randomUUID() }))
    expect(res.status).toBe(404)
    const get = await t.app.request(`${BASE}/mcp`, { headers: authHeaders({ "mcp-session-id": "nope", accept: "text/event-stream" }) })
    expect(get.status).toBe(404)
  })

  test("CORS only for an origin the Origin check accepts (http/cors: test/http/cors.test.ts), unknown routes 404", async () => {
    t = makeApp()
    const pre = await t.app.request(`${BASE}/mcp`, { method: "OPTIONS", headers: { Origin: "http://localhost:3000", "Access-Control-Request-Method": "POST" } })
    expect(pre.headers.get("access-control-allow-origin")).toBe("http://localhost:3000")
    expect(pre.status).toBe(204)
    const evil = await t.app.request(`${BASE}/mcp`, { method: "OPTIONS", headers: { Origin: "http://evil.example.com", "Access-Control-Request-Method": "POST" } })
    expect(evil.headers.get("access-control-allow-origin")).toBeNull()
    expect(evil.status).toBe(403)
    const res = await post(t.app, INIT, authHeaders({ Origin: "http://evil.example.com" }))
    expect(res.headers.get("access-control-allow-origin")).toBeNull()
    expect(res.status).toBe(403)
    expect((await t.app.request(`${BASE}/exec`, { method: "POST", body: "ls" })).status).toBe(404)
  })
})
