/**
 * @module test/faults/servers/self-cancel-server
 * A raw JSON-RPC stdio server (run with `bun`) that gives up on calls itself: `gives_up` answers a
 * tools/call with `notifications/cancelled` for the call's own id (reason "upstream quota spent")
 * and never answers it; `gives_up_quietly` does so with the id as a string and no reason; `ok`
 * answers. What a server behind a flaky upstream does instead of sending an error.
 */
import { createInterface } from "node:readline"

function send(m: unknown): void {
  process.stdout.write(JSON.stringify(m) + "\n")
}

const TOOLS = ["gives_up", "gives_up_quietly", "ok"].map((name) => ({ name, description: `The ${name} tool.`, inputSchema: { type: "object", properties: {} } }))

createInterface({ input: process.stdin }).on("line", (line) => {
  let m: { id?: string | number; method?: string; params?: { name?: string; protocolVersion?: string } }
  try {
    m = JSON.parse(line)
  } catch {
    return
  }
  if (m.id === undefined || m.method === undefined) return
  const id = m.id
  if (m.method === "initialize") return send({ jsonrpc: "2.0", id, result: { protocolVersion: m.params?.protocolVersion ?? "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "self-cancel", version: "1.0.0" } } })
  if (m.method === "tools/list") return send({ jsonrpc: "2.0", id, result: { tools: TOOLS } })
  if (m.method === "ping") return send({ jsonrpc: "2.0", id, result: {} })
  if (m.method === "tools/call") {
    const tool = m.params?.name
    if (tool === "gives_up") return send({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: id, reason: "upstream quota spent" } })
    if (tool === "gives_up_quietly") return send({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: String(id) } })
    return send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: "fine" }] } })
  }
  send({ jsonrpc: "2.0", id, error: { code: -32601, message: `${m.method} not supported` } })
})
