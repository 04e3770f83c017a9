/**
 * @module test/faults/servers/notification-flooder
 * A hostile downstream (raw JSON-RPC over stdio, run with `bun`): its tools send notifications as fast
 * as its stdout drains, then answer with how many they sent.
 * - `progress` {count, bytes}: `count` `notifications/progress` for the call's token (progress 0…count-1,
 *   a message of `bytes` characters), then the answer "sent <count>".
 * - `logs` {count, bytes}: `count` `notifications/message` (level info, data a string of `bytes` characters).
 * - `updates` {count}: `count` `notifications/resources/updated` of `flood://r` (its one resource, which
 *   can be subscribed to), `_meta.n` 0…count-1.
 */
import readline from "node:readline"

const out = (m: unknown): boolean => process.stdout.write(JSON.stringify(m) + "\n")

/** Writes `count` messages made by `make(i)`, waiting for the pipe to drain when it is full; then `done`. */
function pump(count: number, make: (i: number) => unknown, done: () => void): void {
  let i = 0
  const more = (): void => {
    while (i < count) if (!out(make(i++))) return void process.stdout.once("drain", more)
    done()
  }
  more()
}

const tools = [
  { name: "progress", description: "Floods progress", inputSchema: { type: "object", properties: { count: { type: "number" }, bytes: { type: "number" } } } },
  { name: "logs", description: "Floods log messages", inputSchema: { type: "object", properties: { count: { type: "number" }, bytes: { type: "number" } } } },
  { name: "updates", description: "Floods resource updates", inputSchema: { type: "object", properties: { count: { type: "number" } } } },
]

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const { id, method, params } = JSON.parse(line) as { id?: number | string; method: string; params?: any }
  if (id === undefined) return
  if (method === "initialize") return void out({ jsonrpc: "2.0", id, result: { protocolVersion: params.protocolVersion, capabilities: { tools: {}, logging: {}, resources: { subscribe: true } }, serverInfo: { name: "flooder", version: "1" } } })
  if (method === "tools/list") return void out({ jsonrpc: "2.0", id, result: { tools } })
  if (method === "resources/list") return void out({ jsonrpc: "2.0", id, result: { resources: [{ uri: "flood://r", name: "r" }] } })
  if (method === "resources/templates/list") return void out({ jsonrpc: "2.0", id, result: { resourceTemplates: [] } })
  if (method === "tools/call") {
    const a = params.arguments ?? {}
    const count = Number(a.count ?? 1000)
    const text = "m".repeat(Number(a.bytes ?? 100))
    const answer = (): void => void out({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: `sent ${count}` }] } })
    if (params.name === "progress") {
      const token = params._meta?.progressToken
      return pump(count, (i) => ({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: token, progress: i, message: text } }), answer)
    }
    if (params.name === "updates") return pump(count, (i) => ({ jsonrpc: "2.0", method: "notifications/resources/updated", params: { uri: "flood://r", _meta: { n: i } } }), answer)
    if (params.name === "logs") return pump(count, () => ({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: text } }), answer)
    return void out({ jsonrpc: "2.0", id, error: { code: -32602, message: `unknown tool ${params.name}` } })
  }
  out({ jsonrpc: "2.0", id, result: {} })
})
