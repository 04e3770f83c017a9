/**
 * @module test/faults/servers/error-answers-http
 * A raw Streamable HTTP MCP server (hand-written JSON-RPC over `Bun.serve`, stateless, JSON
 * responses) whose `tools/call` answers are hostile JSON-RPC errors, one tool each: `float_code`
 * (code 1.5), `string_code` (code "oops"), `huge_data` (data a 4 MB string), `object_message`
 * (message an object); `ok` answers well. argv: `<port-file>` (the port is written there).
 */
import { writeFileSync } from "node:fs"

const TOOLS = ["float_code", "string_code", "huge_data", "object_message", "ok"]

function answer(id: unknown, method: string, params: Record<string, unknown> | undefined): unknown {
  const ok = (result: unknown) => ({ jsonrpc: "2.0", id, result })
  const err = (error: unknown) => ({ jsonrpc: "2.0", id, error })
  if (method === "initialize") return ok({ protocolVersion: params!.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "round3-http", version: "1.0.0" } })
  if (method === "ping") return ok({})
  if (method === "tools/list") return ok({ tools: TOOLS.map((name) => ({ name, inputSchema: { type: "object" } })) })
  if (method !== "tools/call") return err({ code: -32601, message: `Method not found: ${method}` })
  switch (params!.name) {
    case "float_code":
      return err({ code: 1.5, message: "a float code" })
    case "string_code":
      return err({ code: "oops", message: "a string code" })
    case "huge_data":
      return err({ code: -32000, message: "huge data", data: "D".repeat(4 * 1024 * 1024) })
    case "object_message":
      return err({ code: -32000, message: { text: "an object message" } })
    default:
      return ok({ content: [{ type: "text", text: "ok from round3-http" }] })
  }
}

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  idleTimeout: 0,
  async fetch(req) {
    if (req.method !== "POST") return new Response(null, { status: 405, headers: { allow: "POST" } })
    const m = (await req.json()) as { id?: unknown; method: string; params?: Record<string, unknown> }
    if (m.id === undefined) return new Response(null, { status: 202 })
    return Response.json(answer(m.id, m.method, m.params))
  },
})
writeFileSync(process.argv[2]!, String(server.port))
