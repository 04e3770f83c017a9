/**
 * @module test/faults/servers/ping-ignoring-server
 * A downstream (raw JSON-RPC over stdio, run with `bun`) that never answers our health check, and
 * serves everything else. Its argument:
 * - `pinger`: a 2025 server that never answers `ping`, and pings its client every 200 ms (so it plainly runs);
 * - `silent`: the same, sending nothing of its own;
 * - `modern`: a 2026-07-28 server (`initialize` refused with -32022) that answers its first
 *   `server/discover` only (the later ones are health checks), and logs every 200 ms.
 * Tool `pid`: its process id, to tell whether it was restarted.
 */
import readline from "node:readline"

const mode = process.argv[2] ?? "pinger"
const out = (m: unknown): boolean => process.stdout.write(JSON.stringify(m) + "\n")
const modern = mode === "modern"
let n = 0
let discovers = 0

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const { id, method, params } = JSON.parse(line) as { id?: number | string; method?: string; params?: any }
  if (id === undefined || method === undefined) return
  if (method === "ping") return
  const complete = (result: Record<string, unknown>): void => void out({ jsonrpc: "2.0", id, result: modern ? { resultType: "complete", ...result } : result })
  if (method === "initialize") {
    if (modern) return void out({ jsonrpc: "2.0", id, error: { code: -32022, message: "Unsupported protocol version", data: { supported: ["2026-07-28"] } } })
    if (mode === "pinger") setInterval(() => out({ jsonrpc: "2.0", id: `ours-${n++}`, method: "ping" }), 200)
    return void out({ jsonrpc: "2.0", id, result: { protocolVersion: params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "ping-ignoring", version: "1" } } })
  }
  if (method === "server/discover" && modern) {
    if (discovers++ > 0) return
    setInterval(() => out({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: `still here ${n++}` } }), 200)
    return void out({ jsonrpc: "2.0", id, result: { supportedVersions: ["2026-07-28"], capabilities: { tools: {} }, _meta: { "io.modelcontextprotocol/serverInfo": { name: "ping-ignoring", version: "1" } } } })
  }
  if (method === "tools/list") return complete({ tools: [{ name: "pid", description: "Its process id", inputSchema: { type: "object" } }], ...(modern ? { ttlMs: 0, cacheScope: "private" } : {}) })
  if (method === "tools/call") return complete({ content: [{ type: "text", text: String(process.pid) }] })
  out({ jsonrpc: "2.0", id, error: { code: -32601, message: "Method not found" } })
})
