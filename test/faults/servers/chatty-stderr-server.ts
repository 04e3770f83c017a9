/**
 * @module test/faults/servers/chatty-stderr-server
 * A raw JSON-RPC stdio server (run with `bun`) that talks much on stderr: `--bytes N` characters
 * (default 256 KiB) at start and again before each answer, in lines of 1 000, a line a write with a
 * pause between them (each read by the orchestrator apart). Tool `echo` answers its `message`. With
 * the orchestrator at log level debug, each read becomes a log line of its own on its stderr.
 */
import { createInterface } from "node:readline"

export {}

const argv = process.argv.slice(2)
const i = argv.indexOf("--bytes")
const bytes = i >= 0 ? Number(argv[i + 1]) : 256 * 1024
const line = `${"chatty stderr ".repeat(71)}\n`
const lines = Math.max(1, Math.round(bytes / line.length))

async function chatter(): Promise<void> {
  for (let n = 0; n < lines; n++) {
    await new Promise<void>((r) => process.stderr.write(line, () => r()))
    await new Promise((r) => setTimeout(r, 1))
  }
}

const send = (m: unknown): void => void process.stdout.write(JSON.stringify(m) + "\n")

await chatter()
createInterface({ input: process.stdin }).on("line", async (l) => {
  if (!l.trim()) return
  const m = JSON.parse(l) as { id?: number | string; method?: string; params?: { protocolVersion?: string; arguments?: { message?: string } } }
  if (m.id === undefined || m.method === undefined) return
  await chatter()
  if (m.method === "initialize") {
    send({ jsonrpc: "2.0", id: m.id, result: { protocolVersion: m.params?.protocolVersion ?? "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "chatty", version: "1.0.0" } } })
  } else if (m.method === "tools/list") {
    send({ jsonrpc: "2.0", id: m.id, result: { tools: [{ name: "echo", description: "Echoes its message", inputSchema: { type: "object", properties: { message: { type: "string" } } } }] } })
  } else if (m.method === "tools/call") {
    send({ jsonrpc: "2.0", id: m.id, result: { content: [{ type: "text", text: `echo ${m.params?.arguments?.message ?? ""}` }] } })
  } else if (m.method === "ping") {
    send({ jsonrpc: "2.0", id: m.id, result: {} })
  } else {
    send({ jsonrpc: "2.0", id: m.id, error: { code: -32601, message: `Method not found: ${m.method}` } })
  }
})
