/**
 * `auth login` of a server that answers 401 but publishes no OAuth metadata at all (no RFC 9728
 * document, no authorization server metadata at its origin, no `/register`): a real SDK v1 MCP
 * server that takes an API key. The login says so and names `headers`, instead of the SDK's
 * "Dynamic Client Registration rejected (HTTP 404): not found"; with the key in `headers`, the
 * server works.
 */
import { afterAll, expect, test } from "bun:test"
import { existsSync, writeFileSync } from "node:fs"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js"
import { cli, sandbox, started, whoami } from "./helpers.ts"
import { secretsRestoredAfterFile } from "../helpers/secrets.ts"

// the values registered here (by hand or by what runs: configured headers) are not left for later files
secretsRestoredAfterFile()

const s = started()
const KEY = "api-key-0123456789abcdef"
const requests: string[] = []
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(req) {
    const u = new URL(req.url)
    requests.push(`${req.method} ${u.pathname}`)
    if (u.pathname !== "/mcp") return new Response("not found", { status: 404 })
    if (req.headers.get("authorization") !== `Bearer ${KEY}`) return Response.json({ error: "missing or bad API key" }, { status: 401, headers: { "www-authenticate": 'Bearer realm="api"' } })
    const mcp = new McpServer({ name: "keyed", version: "1.0.0" })
    mcp.registerTool("whoami", { description: "Says who is calling" }, async () => ({ content: [{ type: "text", text: "hello from the protected server" }] }))
    const t = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
    await mcp.connect(t)
    return t.handleRequest(req)
  },
})
afterAll(() => void server.stop(true))
const url = `http://127.0.0.1:${server.port}/mcp`

test("auth login says the server publishes no OAuth metadata and names headers; nothing opened or stored; the key in headers works", async () => {
  const sb = sandbox({ remote: { url } })
  const r = await cli(sb, ["auth", "login", "remote", "--timeout", "20s"])
  expect(r.code).not.toBe(0)
  expect(r.stderr).toContain("publishes no OAuth metadata")
  expect(r.stderr).toContain(`${url.replace(/\/mcp$/, "")}/.well-known/oauth-protected-resource/mcp`)
  expect(r.stderr).toContain("/register, answered HTTP 404")
  expect(r.stderr).toContain("servers.remote.headers")
  expect(r.stderr).toContain("${env:REMOTE_TOKEN}")
  expect(r.stderr).not.toContain("Dynamic Client Registration rejected")
  expect(sb.visited()).toEqual([])
  expect(existsSync(sb.tokenFile)).toBe(false)
  // the remedy: the key in headers (auth login then says no login is needed)
  writeFileSync(sb.configPath, JSON.stringify({ toolkit: { enabled: "off" }, servers: { remote: { url, headers: { Authorization: `Bearer ${KEY}` } } } }))
  const c = await s.serve(sb)
  expect((await whoami(c)).text).toContain("hello from the protected server")
  expect(c.stderr()).not.toContain(KEY)
}, 90_000)

test("with auth.clientId set (no registration tried): said before any browser is opened, not the provider's 404 page while --timeout runs out", async () => {
  const sb = sandbox({ remote: { url, auth: { clientId: "my-registered-client" } } })
  const before = requests.length
  const r = await cli(sb, ["auth", "login", "remote", "--timeout", "60s"])
  expect(r.code).not.toBe(0)
  expect(r.stderr).toContain("publishes no OAuth metadata")
  expect(r.stderr).toContain(`the authorization endpoint ${url.replace(/\/mcp$/, "")}/authorize (servers.remote.auth.clientId is set: no registration was tried), answered HTTP 404`)
  expect(r.stderr).toContain("servers.remote.headers")
  expect(r.stderr).not.toContain("no answer from the browser")
  expect(sb.visited()).toEqual([])
  expect(existsSync(sb.tokenFile)).toBe(false)
  // one look at the fallback endpoint, never a registration
  expect(requests.slice(before)).toContain("GET /authorize")
  expect(requests.slice(before)).not.toContain("POST /register")
}, 120_000)

test("with auth.clientId set, a server of the MCP 2025-03-26 fallback (no metadata, <origin>/authorize and /token there) still logs in", async () => {
  const seen: string[] = []
  const legacy = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const u = new URL(req.url)
      seen.push(`${req.method} ${u.pathname}`)
      if (u.pathname === "/authorize") {
        // an authorization endpoint asked without its parameters says what is missing (not 404)
        const redirect = u.searchParams.get("redirect_uri")
        if (!redirect) return new Response("missing response_type, client_id, redirect_uri", { status: 400 })
        return new Response(null, { status: 302, headers: { location: `${redirect}?code=legacy-code-123&state=${u.searchParams.get("state")}` } })
      }
      if (u.pathname === "/token" && req.method === "POST") return Response.json({ access_token: "legacy-access-token-0123456789", token_type: "Bearer", expires_in: 3600 })
      if (u.pathname === "/mcp") return Response.json({ error: "unauthorized" }, { status: 401, headers: { "www-authenticate": 'Bearer realm="legacy"' } })
      return new Response("not found", { status: 404 })
    },
  })
  try {
    const legacyUrl = `http://127.0.0.1:${legacy.port}/mcp`
    const sb = sandbox({ remote: { url: legacyUrl, auth: { clientId: "legacy-client" } } })
    const r = await cli(sb, ["auth", "login", "remote", "--timeout", "60s"])
    expect({ code: r.code, stderr: r.code === 0 ? "" : r.stderr }).toEqual({ code: 0, stderr: "" })
    expect(sb.visited()[0]).toContain(`http://127.0.0.1:${legacy.port}/authorize?`)
    expect(seen).toContain("POST /token")
    expect(existsSync(sb.tokenFile)).toBe(true)
  } finally {
    void legacy.stop(true)
  }
}, 120_000)
