/**
 * @module test/faults/servers/slow-answers-server
 * A raw JSON-RPC stdio server (run with `bun`) whose answers take their time: tool `sleep` answers
 * after `ms`, prompt `wait` (prompts/get) and resource `slow://wait` (resources/read) after 10 s.
 * Every request it gets (method and id) is appended to `--log FILE`, and so is every
 * `notifications/cancelled` (`cancelled <requestId> <reason>`): a test sees what reached it and
 * what was cancelled there.
 */
import { appendFileSync } from "node:fs"
import { createInterface } from "node:readline"

const argv = process.argv.slice(2)
const log = argv[argv.indexOf("--log") + 1]!

const send = (m: unknown): void => void process.stdout.write(JSON.stringify(m) + "\n")

createInterface({ input: process.stdin }).on("line", (line) => {
  if (!line.trim()) return
  const { id, method, params } = JSON.parse(line) as { id?: number | string; method?: string; params?: any }
  if (method === "notifications/cancelled") return appendFileSync(log, `cancelled ${String(params?.requestId)} ${String(params?.reason ?? "")}\n`)
  if (id === undefined || method === undefined) return
  const result = (r: unknown): void => send({ jsonrpc: "2.0", id, result: r })
  const later = (ms: number, r: unknown): void => void setTimeout(() => result(r), ms)
  if (method !== "initialize" && method !== "ping" && !method.endsWith("/list")) appendFileSync(log, `${method} ${String(params?.name ?? params?.uri ?? "")}\n`)
  switch (method) {
    case "initialize":
      return result({ protocolVersion: params.protocolVersion, capabilities: { tools: {}, prompts: {}, resources: {} }, serverInfo: { name: "slow-answers", version: "1.0.0" } })
    case "ping":
      return result({})
    case "tools/list":
      return result({ tools: [{ name: "sleep", description: "Answer after `ms`", inputSchema: { type: "object", properties: { ms: { type: "number" } } } }] })
    case "prompts/list":
      return result({ prompts: [{ name: "wait", description: "Rendered after 10 s" }] })
    case "resources/list":
      return result({ resources: [{ uri: "slow://wait", name: "wait" }] })
    case "resources/templates/list":
      return result({ resourceTemplates: [] })
    case "tools/call":
      return later(Number(params?.arguments?.ms ?? 100), { content: [{ type: "text", text: "slept" }] })
    case "prompts/get":
      return later(10_000, { messages: [{ role: "user", content: { type: "text", text: "waited" } }] })
    case "resources/read":
      return later(10_000, { contents: [{ uri: "slow://wait", text: "waited" }] })
    default:
      return send({ jsonrpc: "2.0", id, error: { code: -32601, message: `no ${method}` } })
  }
})
