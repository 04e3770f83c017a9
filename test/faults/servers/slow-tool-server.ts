/**
 * @module test/faults/servers/slow-tool-server
 * A raw JSON-RPC stdio server (run with `bun`) with a tool that never answers (`hang`) beside one
 * that answers at once with the server's pid (`ok`), and `silent` mode (argv) in which it stops
 * answering anything once a `hang` call came: a slow tool of a live server, or a hung server.
 */
export {}

const silentMode = process.argv.includes("silent")
let silent = false
const send = (m: unknown): void => void process.stdout.write(JSON.stringify(m) + "\n")
const tools = ["ok", "hang"].map((name) => ({ name, inputSchema: { type: "object" } }))
for await (const line of console) {
  if (!line.trim()) continue
  const { id, method, params } = JSON.parse(line) as { id?: number | string; method?: string; params?: { name?: string } }
  if (id === undefined || method === undefined || silent) continue
  if (method === "initialize") send({ jsonrpc: "2.0", id, result: { protocolVersion: "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "slow-tool", version: "1.0.0" } } })
  else if (method === "tools/list") send({ jsonrpc: "2.0", id, result: { tools } })
  else if (method === "tools/call" && params?.name === "hang") silent = silentMode
  else if (method === "tools/call") send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: String(process.pid) }] } })
  else send({ jsonrpc: "2.0", id, result: {} })
}
