/**
 * A raw stdio server whose restart lists fewer tools: its first process (no `argv[2]` file yet)
 * lists echo, crash and report; `crash` writes that file and exits 1. A process started once the
 * file exists lists echo only, and a call of another name is answered as `argv[3]` says: `error`,
 * a -32602 "Unknown tool" (what most servers answer), `hang`, never (some servers drop what they do
 * not know). Each tools/call name received is appended to `argv[2]`.calls. For
 * test/faults/restarted-tools.test.ts.
 */
import { appendFileSync, existsSync, writeFileSync } from "node:fs"
import { createInterface } from "node:readline"

const marker = process.argv[2]!
const unknown = process.argv[3] ?? "error"
const restarted = existsSync(marker)
const tool = (name: string) => ({ name, description: name, inputSchema: { type: "object" } })
const tools = restarted ? [tool("echo")] : [tool("echo"), tool("crash"), tool("report")]
const send = (m: unknown): void => void process.stdout.write(JSON.stringify(m) + "\n")

createInterface({ input: process.stdin })
  .on("line", (line) => {
    if (!line.trim()) return
    const { id, method, params } = JSON.parse(line) as { id?: number | string; method?: string; params?: { name?: string; protocolVersion?: string } }
    if (id === undefined || method === undefined) return
    if (method === "initialize") return send({ jsonrpc: "2.0", id, result: { protocolVersion: params?.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "shrinking", version: "1.0.0" } } })
    if (method === "ping") return send({ jsonrpc: "2.0", id, result: {} })
    if (method === "tools/list") return send({ jsonrpc: "2.0", id, result: { tools } })
    if (method !== "tools/call") return send({ jsonrpc: "2.0", id, error: { code: -32601, message: `no ${method}` } })
    const name = String(params?.name)
    appendFileSync(`${marker}.calls`, `${name}\n`)
    if (name === "crash" && !restarted) {
      writeFileSync(marker, "restarted\n")
      process.stderr.write("shrinking: crashing on purpose\n")
      process.exit(1)
    }
    if (tools.some((t) => t.name === name)) return send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: `${name}: ok` }] } })
    if (unknown === "hang") return
    send({ jsonrpc: "2.0", id, error: { code: -32602, message: `Unknown tool: ${name}` } })
  })
  .on("close", () => process.exit(0))
