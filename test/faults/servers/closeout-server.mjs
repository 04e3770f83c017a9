/**
 * A raw stdio MCP server whose `close_output` tool closes its stdout (fd 1) and keeps the process
 * running, as a server does whose writer thread died or whose output pipe stage ended: it can never
 * answer again. Each start appends its pid to the file given as the first argument. Tools: echo,
 * close_output. Run with node (Bun keeps its own handle on stdout: closing fd 1 ends nothing there).
 */
import { appendFileSync, closeSync } from "node:fs"
import { createInterface } from "node:readline"

const pidLog = process.argv[2]
if (pidLog) appendFileSync(pidLog, `${process.pid}\n`)
const send = (m) => void process.stdout.write(JSON.stringify(m) + "\n")
const tools = [
  { name: "echo", inputSchema: { type: "object", properties: { message: { type: "string" } } } },
  { name: "close_output", inputSchema: { type: "object" } },
]
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue
  const { id, method, params } = JSON.parse(line)
  if (id === undefined || method === undefined) continue
  if (method === "initialize") send({ jsonrpc: "2.0", id, result: { protocolVersion: params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "closeout", version: "1" } } })
  else if (method === "tools/list") send({ jsonrpc: "2.0", id, result: { tools } })
  else if (method === "tools/call" && params?.name === "echo") send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: String(params.arguments?.message ?? "") }] } })
  else if (method === "tools/call" && params?.name === "close_output") {
    closeSync(1)
    // alive, reading stdin, answering nothing: until stdin ends or a signal comes
    setInterval(() => {}, 1 << 30)
  } else send({ jsonrpc: "2.0", id, error: { code: -32601, message: `no ${method}` } })
}
process.exit(0)
