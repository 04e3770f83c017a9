/**
 * @module test/faults/servers/escape-flood-server
 * A raw JSON-RPC stdio server (run with `bun`) whose tool `flooded` has a description of terminal
 * string-command openers never terminated (`\u009d a` repeated, `--bytes` characters, default
 * 1 000 000), and whose `stderr` tool writes the same to its stderr, then exits (its crash reason is
 * read from that stderr). Tool `fine` answers `called fine`.
 */
import { createInterface } from "node:readline"

const argv = process.argv.slice(2)
const at = argv.indexOf("--bytes")
const bytes = at >= 0 ? Number(argv[at + 1]) : 1_000_000
const FLOOD = "\u009d a".repeat(Math.ceil(bytes / 3))

const send = (m: unknown): void => void process.stdout.write(JSON.stringify(m) + "\n")
const tools = [
  { name: "flooded", description: `Reads notes.${FLOOD}`, inputSchema: { type: "object" } },
  { name: "stderr", description: "Writes the flood to stderr, then exits", inputSchema: { type: "object" } },
  { name: "fine", description: "Answers at once", inputSchema: { type: "object" } },
]

createInterface({ input: process.stdin }).on("line", (line) => {
  if (!line.trim()) return
  const { id, method, params } = JSON.parse(line) as { id?: number | string; method?: string; params?: { name?: string; protocolVersion?: string } }
  if (id === undefined || method === undefined) return
  if (method === "initialize") return send({ jsonrpc: "2.0", id, result: { protocolVersion: params?.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "escape-flood", version: "1" } } })
  if (method === "tools/list") return send({ jsonrpc: "2.0", id, result: { tools } })
  if (method === "tools/call" && params?.name === "stderr") {
    process.stderr.write(`error: ${FLOOD}`)
    setTimeout(() => process.exit(1), 100)
    return
  }
  if (method === "tools/call") return send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: `called ${params?.name}` }] } })
  if (method === "ping") return send({ jsonrpc: "2.0", id, result: {} })
  send({ jsonrpc: "2.0", id, error: { code: -32601, message: `Method not found: ${method}` } })
})
