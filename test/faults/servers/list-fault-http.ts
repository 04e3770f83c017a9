/**
 * @module test/faults/servers/list-fault-http
 * Remote MCP servers whose first request works but whose `tools/list` does not, for `doctor`'s look
 * at remote servers (run with `bun`; argv: `<port-file>`, the port is written there). Legacy era:
 * a raw stateless Streamable HTTP server (JSON answers) whose `initialize` always works; the path
 * says what `tools/list` does:
 * - `/ok`: two good tools;
 * - `/list-500`: HTTP 500, text/plain "database is locked";
 * - `/list-error`: a JSON-RPC error -32603 "backend unavailable";
 * - `/list-401`: HTTP 401 (only there: initialize needs no credentials), as for a token that may
 *   connect but not list;
 * - `/list-invalid`: one good tool and three definitions no client takes (an empty name, an
 *   inputSchema that is a string, a tool with no name at all).
 * 2026-07-28 era: `/modern-list-error`, the SDK v2 `createMcpHandler` (no legacy initialize) whose
 * `tools/list` is answered with the JSON-RPC error -32603 "backend unavailable".
 * Every request's Authorization header, when one came, is appended to `<port-file>.auth` (the tests
 * check a token was sent without printing it).
 */
import { appendFileSync, writeFileSync } from "node:fs"
import { McpServer, createMcpHandler } from "@modelcontextprotocol/server"
import * as z from "zod/v4"

const portFile = process.argv[2]!

const GOOD = [
  { name: "alpha", description: "first", inputSchema: { type: "object" } },
  { name: "beta", description: "second", inputSchema: { type: "object", properties: { x: { type: "string" } } } },
]
const INVALID = [GOOD[0], { name: "", inputSchema: { type: "object" } }, { name: "string_schema", inputSchema: "object" }, { description: "no name" }]

type Msg = { jsonrpc: "2.0"; id?: string | number; method?: string; params?: Record<string, unknown> }

const modern = createMcpHandler(
  () => {
    const s = new McpServer({ name: "list-fault-modern", version: "1.0.0" })
    s.registerTool("echo", { description: "Echo", inputSchema: z.object({}) }, () => ({ content: [{ type: "text", text: "ok" }] }))
    return s
  },
  { legacy: "reject" },
)

function legacy(path: string, m: Msg): Response {
  const ok = (result: unknown): Response => Response.json({ jsonrpc: "2.0", id: m.id, result })
  const err = (code: number, message: string): Response => Response.json({ jsonrpc: "2.0", id: m.id, error: { code, message } })
  if (m.id === undefined) return new Response(null, { status: 202 })
  if (m.method === "initialize") return ok({ protocolVersion: m.params?.protocolVersion ?? "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "list-fault-http", version: "1.0.0" } })
  if (m.method === "ping") return ok({})
  if (m.method !== "tools/list") return err(-32601, `Method not found: ${m.method}`)
  switch (path) {
    case "/list-500":
      return new Response("database is locked", { status: 500, headers: { "content-type": "text/plain" } })
    case "/list-error":
      return err(-32603, "backend unavailable")
    case "/list-401":
      return new Response("unauthorized", { status: 401, headers: { "content-type": "text/plain" } })
    case "/list-invalid":
      return ok({ tools: INVALID })
    default:
      return ok({ tools: GOOD })
  }
}

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  idleTimeout: 0,
  async fetch(req) {
    const url = new URL(req.url)
    const auth = req.headers.get("authorization")
    if (auth) appendFileSync(`${portFile}.auth`, `${url.pathname} ${auth}\n`)
    if (url.pathname === "/modern-list-error") {
      if (req.method === "POST" && req.headers.get("mcp-method") === "tools/list") {
        const m = (await req.clone().json()) as Msg
        return Response.json({ jsonrpc: "2.0", id: m.id, error: { code: -32603, message: "backend unavailable" } })
      }
      return modern.fetch(req)
    }
    if (req.method !== "POST") return new Response("method not allowed", { status: 405 })
    return legacy(url.pathname, (await req.json()) as Msg)
  },
})

writeFileSync(portFile, String(server.port))
