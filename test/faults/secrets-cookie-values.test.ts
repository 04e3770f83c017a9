/**
 * @module test/faults/secrets-cookie-values
 * A remote server configured with a `Cookie` header (`sid=<session>; theme=dark`): each cookie's
 * value is a credential of its own, and a server names it alone ("session <sid> expired"). Before
 * qa359 only the header's whole value was registered, so a result quoting the session id handed it
 * to the model. A small hostile Streamable HTTP server (raw JSON-RPC over Bun.serve, in this test)
 * whose one tool answers with the cookie values it got; compiled binary, real SDK Client.
 */
import { afterAll, expect, test } from "bun:test"
import { connectBinary, sandboxEnv, writeConfig } from "../helpers/binary.ts"

const tag = crypto.randomUUID().replace(/-/g, "").slice(0, 6)
const SESSION = `Sx${tag}9k`
const CSRF = `Cf${tag}4m`

const json = (m: unknown): Response => new Response(JSON.stringify(m), { headers: { "content-type": "application/json" } })
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  idleTimeout: 0,
  async fetch(req) {
    if (req.method !== "POST") return new Response(null, { status: 405 })
    const m = (await req.json()) as { id?: number | string; method?: string }
    if (m.id === undefined) return new Response(null, { status: 202 })
    const ok = (result: object): Response => json({ jsonrpc: "2.0", id: m.id, result })
    switch (m.method) {
      case "initialize":
        return ok({ protocolVersion: "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "cookie-echo", version: "1" } })
      case "tools/list":
        return ok({ tools: [{ name: "whoami", description: "the session this request came with", inputSchema: { type: "object" } }] })
      case "tools/call": {
        // each value alone, as a server's message names it
        const values = (req.headers.get("cookie") ?? "").split(";").map((p) => p.split("=")[1]?.trim())
        return ok({ content: [{ type: "text", text: `session ${values.join(" / ")} expired` }] })
      }
      default:
        return json({ jsonrpc: "2.0", id: m.id, error: { code: -32601, message: "Method not found" } })
    }
  },
})
afterAll(() => server.stop(true))

test("each value of a configured Cookie header is masked where a server names it alone; a preference is not", async () => {
  const env = sandboxEnv()
  const cfg = writeConfig(env, {
    log: { level: "debug" },
    toolkit: { enabled: "off" },
    servers: { web: { url: `http://127.0.0.1:${server.port}/mcp`, headers: { Cookie: `sid=${SESSION}; theme=dark; csrftoken=${CSRF}` } } },
  })
  const c = await connectBinary(["serve", "--config", cfg], env)
  try {
    const r = await c.client.callTool({ name: "web__whoami", arguments: {} })
    // the server got them (it answered with three values), the client sees none of the two credentials
    expect((r.content as { text: string }[])[0]!.text).toBe("session [REDACTED] / dark / [REDACTED] expired")
    const status = JSON.stringify(await c.client.callTool({ name: "orchestrator_status", arguments: {} }))
    for (const v of [SESSION, CSRF]) expect(JSON.stringify(r) + status).not.toContain(v)
  } finally {
    await c.close()
  }
  for (const v of [SESSION, CSRF]) expect(c.stderr()).not.toContain(v)
}, 60_000)
