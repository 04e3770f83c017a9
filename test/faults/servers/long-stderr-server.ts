/**
 * @module test/faults/servers/long-stderr-server
 * A raw JSON-RPC stdio server (run with `bun`) that writes stderr lines longer than the 8 KiB a
 * partial line is held back, each with a secret split across two writes of the pipe, the second
 * written only once the first has been read as its own chunk: the value of its env `STDERR_SECRET`
 * (a configured secret) after 9 000 filler characters, then a `API_TOKEN=<value>` pair whose value
 * no configuration holds (the `KEY=value` rule alone must hide it). Then `stderr done` on its own
 * line, in a read of its own. Tools: `ok`; `log_long` sends two log messages (a string, an object)
 * longer than the 64 KiB of one that is forwarded, the configured secret across that cut; `fail_long`
 * answers a JSON-RPC error whose message runs past the 8 000 characters kept, the secret across that cut.
 */
import { createInterface } from "node:readline"

export {}

const secret = process.env.STDERR_SECRET ?? "configured-secret-value-1234567890"
const unconfigured = process.env.STDERR_ASSIGNED ?? "qZ7vK2pW9xL4mN8rT3yB6cD1fG5hJ0sA"

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

async function writeErr(text: string): Promise<void> {
  await new Promise<void>((r) => process.stderr.write(text, () => r()))
}

function send(m: unknown): void {
  process.stdout.write(JSON.stringify(m) + "\n")
}

async function leak(): Promise<void> {
  const half = (s: string): number => Math.floor(s.length / 2)
  await writeErr("x".repeat(9000) + " started with " + secret.slice(0, half(secret)))
  await pause(300)
  await writeErr(secret.slice(half(secret)) + " as its key\n")
  await writeErr("y".repeat(9000) + " API_TOKEN=" + unconfigured.slice(0, half(unconfigured)))
  await pause(300)
  await writeErr(unconfigured.slice(half(unconfigured)) + " more\n")
  await pause(300)
  await writeErr("stderr done\n")
}

const rl = createInterface({ input: process.stdin })
rl.on("line", (line) => {
  if (!line.trim()) return
  const { id, method, params } = JSON.parse(line) as { id?: string | number; method?: string; params?: Record<string, unknown> }
  if (id === undefined || method === undefined) return
  if (method === "initialize") {
    send({ jsonrpc: "2.0", id, result: { protocolVersion: params!.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "long-stderr-server", version: "1.0.0" } } })
    void leak()
    return
  }
  if (method === "tools/list") {
    const tools = [
      { name: "ok", description: "Answers ok.", inputSchema: { type: "object" } },
      { name: "log_long", description: "Logs a long message.", inputSchema: { type: "object" } },
      { name: "fail_long", description: "Fails with a long message.", inputSchema: { type: "object" } },
    ]
    return send({ jsonrpc: "2.0", id, result: { tools } })
  }
  if (method === "tools/call" && (params as { name?: string }).name === "log_long") {
    // a log message over the 64 KiB forwarded, the secret across the cut: as a string, and as an object
    const at = 64 * 1024 - Math.floor(secret.length / 2)
    send({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", logger: "long", data: "z".repeat(at) + secret + " end" } })
    send({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", logger: "long", data: { text: "z".repeat(at - 10) + secret + " end" } } })
    return send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: "logged" }] } })
  }
  if (method === "tools/call" && (params as { name?: string }).name === "fail_long") {
    // a JSON-RPC error message over the 8 000 characters kept of one, the secret across that cut
    return send({ jsonrpc: "2.0", id, error: { code: -32603, message: "e".repeat(8000 - Math.floor(secret.length / 2)) + secret + " end" } })
  }
  if (method === "tools/call") return send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: "ok" }] } })
  send({ jsonrpc: "2.0", id, error: { code: -32601, message: `Method not found: ${method}` } })
})
