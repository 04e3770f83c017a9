/**
 * @module test/faults/servers/batch-server
 * A raw JSON-RPC stdio server (run with `bun`) of MCP 2025-03-26, whose clients "MUST support
 * receiving JSON-RPC batches": it writes every answer inside a batch (one JSON array on one line).
 * `initialize` is answered in a batch of one; `tools/list` in a batch with a log notification before
 * the answer; `tools/call` of `echo` in a batch with the answer and a progress notification after it
 * (when the call has a progress token), of `odd` in a batch whose first item is no message (`7`).
 * Tools: `echo` (answers `echo <text>`), `odd` (answers `odd`). Exits when stdin ends.
 */
import { createInterface } from "node:readline"

const batch = (...items: unknown[]): void => void process.stdout.write(JSON.stringify(items) + "\n")
const answer = (id: unknown, result: unknown): unknown => ({ jsonrpc: "2.0", id, result })
const text = (t: string): unknown => ({ content: [{ type: "text", text: t }] })
const tools = [
  { name: "echo", description: "Says the text back.", inputSchema: { type: "object", properties: { text: { type: "string" } } } },
  { name: "odd", description: "Answers in a batch with a stray item.", inputSchema: { type: "object" } },
]

const rl = createInterface({ input: process.stdin })
rl.on("line", (line) => {
  if (!line.trim()) return
  const { id, method, params } = JSON.parse(line) as { id?: string | number; method?: string; params?: any }
  if (id === undefined || method === undefined) return
  if (method === "initialize") return batch(answer(id, { protocolVersion: "2025-03-26", capabilities: { tools: {}, logging: {} }, serverInfo: { name: "batch-server", version: "1.0.0" } }))
  if (method === "ping") return batch(answer(id, {}))
  if (method === "tools/list") return batch({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: "listing" } }, answer(id, { tools }))
  if (method === "tools/call" && params?.name === "echo") {
    const token = params?._meta?.progressToken
    const progress = token === undefined ? [] : [{ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: token, progress: 1, total: 1 } }]
    return batch(answer(id, text(`echo ${params.arguments?.text ?? ""}`)), ...progress)
  }
  if (method === "tools/call" && params?.name === "odd") return batch(7, answer(id, text("odd")))
  batch({ jsonrpc: "2.0", id, error: { code: -32601, message: `no ${method}` } })
})
rl.on("close", () => process.exit(0))
