/**
 * @module test/faults/servers/reexec-server
 * A raw JSON-RPC stdio server (run with `bun`) for a server that restarts itself on the same pipes:
 * run it under a shell wrapper that starts it again after it exits (`sh -c 'bun s.ts; exec bun s.ts'`).
 * Tool `update` answers, then exits (the wrapper's next process then reads the pipes without ever
 * getting `initialize`); tool `who` answers `pid <pid> initialized <yes|no>`. Requests before
 * `initialize` are refused as the server kind given by `--kind` refuses them:
 *   sdk      error -32600 "Server not initialized" (default)
 *   python   the Python SDK's way: a WARNING on stderr "Failed to validate request: Received request
 *            before initialization was complete", then error -32602 "Invalid request parameters"
 * `--racy`: its first tools/call is refused "Client not initialized yet" though it was initialized
 * (a server that takes in `notifications/initialized` concurrently), later ones are served.
 */
import { createInterface } from "node:readline"

const argv = process.argv.slice(2)
const kind = argv[argv.indexOf("--kind") + 1] ?? "sdk"
let initialized = false
/** `--racy`: the first tools/call after initialize is refused "Client not initialized yet" (a server still taking in notifications/initialized), later ones are served. */
let racy = argv.includes("--racy")

function send(m: unknown): void {
  process.stdout.write(JSON.stringify(m) + "\n")
}

const rl = createInterface({ input: process.stdin })
rl.on("line", (line) => {
  if (!line.trim()) return
  const { id, method, params } = JSON.parse(line) as { id?: string | number; method?: string; params?: Record<string, unknown> }
  if (id === undefined || method === undefined) return
  if (method === "initialize") {
    initialized = true
    return send({ jsonrpc: "2.0", id, result: { protocolVersion: params!.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "reexec-server", version: "1.0.0" } } })
  }
  if (!initialized && method !== "ping") {
    if (kind === "python") {
      process.stderr.write("WARNING:root:Failed to validate request: Received request before initialization was complete\n", () =>
        send({ jsonrpc: "2.0", id, error: { code: -32602, message: "Invalid request parameters", data: "" } }),
      )
      return
    }
    return send({ jsonrpc: "2.0", id, error: { code: -32600, message: "Server not initialized" } })
  }
  if (method === "ping") return send({ jsonrpc: "2.0", id, result: {} })
  if (method === "tools/list") {
    const tools = ["update", "who"].map((name) => ({ name, description: `Tool ${name}.`, inputSchema: { type: "object" } }))
    return send({ jsonrpc: "2.0", id, result: { tools } })
  }
  if (method === "tools/call" && racy) {
    racy = false
    return send({ jsonrpc: "2.0", id, error: { code: -32603, message: "Client not initialized yet" } })
  }
  if (method === "tools/call") {
    const name = (params as { name?: string }).name
    if (name === "update") {
      process.stdout.write(JSON.stringify({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: "updating; restarting" }] } }) + "\n", () => process.exit(0))
      return
    }
    return send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: `pid ${process.pid} initialized ${initialized ? "yes" : "no"}` }] } })
  }
  send({ jsonrpc: "2.0", id, error: { code: -32601, message: `Method not found: ${method}` } })
})
