/**
 * @module test/faults/servers/quitting-server
 * A raw JSON-RPC stdio server (run with `bun`) that starts and serves, then ends on a call: tool
 * `quit` exits with code 0 without a word (a launcher, a server done after its first session);
 * `crash` writes "fatal: the index is corrupt" on stderr and exits with code 0 too; `ok` answers "ok".
 */
import { createInterface } from "node:readline"
import { writeSync } from "node:fs"

const send = (m: unknown): boolean => process.stdout.write(JSON.stringify(m) + "\n")
const tools = ["quit", "crash", "ok"].map((name) => ({ name, inputSchema: { type: "object" } }))

createInterface({ input: process.stdin }).on("line", (line) => {
  const { id, method, params } = JSON.parse(line) as { id?: number | string; method?: string; params?: any }
  if (id === undefined || method === undefined) return
  if (method === "initialize") return void send({ jsonrpc: "2.0", id, result: { protocolVersion: params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "quitting", version: "1" } } })
  if (method === "tools/list") return void send({ jsonrpc: "2.0", id, result: { tools } })
  if (method === "tools/call" && params.name === "quit") process.exit(0)
  if (method === "tools/call" && params.name === "crash") {
    writeSync(2, "fatal: the index is corrupt\n")
    process.exit(0)
  }
  if (method === "tools/call") return void send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: "ok" }] } })
  send({ jsonrpc: "2.0", id, result: {} })
})
