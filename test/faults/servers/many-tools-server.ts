/**
 * @module test/faults/servers/many-tools-server
 * A raw JSON-RPC stdio server (run with `bun`) listing `--tools` tools (4 000 by default) of ~1 KB
 * each: a description of 120 words and 6 described arguments, as a generated API wrapper has.
 * Every call answers "ok".
 */
import { createInterface } from "node:readline"

const flag = process.argv.indexOf("--tools")
const count = flag > 0 ? Number(process.argv[flag + 1]) : 4000
const TOOLS = Array.from({ length: count }, (_, i) => ({
  name: `tool_${i}_${"x".repeat(20)}`,
  description: Array.from({ length: 120 }, (_, k) => `word${(i * 7 + k * 13) % 5000}`).join(" "),
  inputSchema: { type: "object", properties: Object.fromEntries(Array.from({ length: 6 }, (_, k) => [`p${k}_${i}`, { type: "string", description: `argument ${k} of ${i}` }])) },
}))
const send = (m: unknown): boolean => process.stdout.write(JSON.stringify(m) + "\n")

createInterface({ input: process.stdin }).on("line", (line) => {
  let m: { id?: string | number; method?: string; params?: { protocolVersion?: string } }
  try {
    m = JSON.parse(line)
  } catch {
    return
  }
  const { id, method } = m
  if (id === undefined || method === undefined) return
  if (method === "initialize") return send({ jsonrpc: "2.0", id, result: { protocolVersion: m.params?.protocolVersion ?? "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "many", version: "1.0.0" } } })
  if (method === "tools/list") return send({ jsonrpc: "2.0", id, result: { tools: TOOLS } })
  if (method === "tools/call") return send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: "ok" }] } })
  if (method === "ping") return send({ jsonrpc: "2.0", id, result: {} })
  send({ jsonrpc: "2.0", id, error: { code: -32601, message: `${method} not supported` } })
})
