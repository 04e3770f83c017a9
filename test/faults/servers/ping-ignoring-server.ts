/**
 * @module test/faults/servers/ping-ignoring-server
 * A downstream (raw JSON-RPC over stdio, run with `bun`) that never answers our `ping`, and serves
 * everything else. With the argument `pinger` it pings its client every 200 ms (so it plainly runs);
 * with `silent` it sends nothing of its own.
 * Tool `pid`: its process id, to tell whether it was restarted.
 */
import readline from "node:readline"

const mode = process.argv[2] ?? "pinger"
const out = (m: unknown): boolean => process.stdout.write(JSON.stringify(m) + "\n")
let n = 0

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const { id, method, params } = JSON.parse(line) as { id?: number | string; method?: string; params?: any }
  if (id === undefined || method === undefined) return
  if (method === "ping") return
  if (method === "initialize") {
    if (mode === "pinger") setInterval(() => out({ jsonrpc: "2.0", id: `ours-${n++}`, method: "ping" }), 200)
    return void out({ jsonrpc: "2.0", id, result: { protocolVersion: params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "ping-ignoring", version: "1" } } })
  }
  if (method === "tools/list") return void out({ jsonrpc: "2.0", id, result: { tools: [{ name: "pid", description: "Its process id", inputSchema: { type: "object" } }] } })
  if (method === "tools/call") return void out({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: String(process.pid) }] } })
  out({ jsonrpc: "2.0", id, result: {} })
})
