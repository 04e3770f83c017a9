/**
 * @module test/faults/servers/folding-server
 * A raw JSON-RPC stdio server (run with `bun`) that prints its configured key folded at a column,
 * as a formatter or `fold -w` does (`FOLD_API_KEY` wrapped every 7 characters): `fold` in a tool
 * result's text (LF), `fold_crlf` with CRLF and the continuation lines indented, `fold_structured`
 * in a `structuredContent` string, `fold_error` as an `isError` result, `fold_rpc_error` as a
 * JSON-RPC error's message, `fold_notify` in a log notification's text and a progress message
 * (then a plain result), `fold_described` in its own description. No text holds the whole value.
 */
import { createInterface } from "node:readline"

const key = process.env.FOLD_API_KEY ?? ""
const folded = (sep: string): string => `config dump:\nFOLD_API_KEY=${key.match(/.{1,7}/g)!.join(sep)}\nHOME=/home/user`
const TOOLS = ["fold", "fold_crlf", "fold_structured", "fold_error", "fold_rpc_error", "fold_notify"]
const send = (m: unknown): void => void process.stdout.write(JSON.stringify(m) + "\n")

function call(name: unknown, token: unknown): object {
  switch (name) {
    case "fold_crlf":
      return { content: [{ type: "text", text: folded("\r\n    ") }] }
    case "fold_structured":
      return { content: [{ type: "text", text: "see structuredContent" }], structuredContent: { dump: folded("\n") } }
    case "fold_error":
      return { isError: true, content: [{ type: "text", text: `failed; ${folded("\n")}` }] }
    case "fold_notify":
      send({ jsonrpc: "2.0", method: "notifications/message", params: { level: "error", data: `startup failed; ${folded("\n")}` } })
      if (token !== undefined) send({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: token, progress: 1, message: folded("\n") } })
      return { content: [{ type: "text", text: "done" }] }
    default:
      return { content: [{ type: "text", text: folded("\n") }] }
  }
}

const rl = createInterface({ input: process.stdin })
rl.on("line", (line) => {
  if (!line.trim()) return
  const { id, method, params } = JSON.parse(line) as { id?: number | string; method?: string; params?: any }
  if (id === undefined || method === undefined) return
  const result = (r: unknown): void => send({ jsonrpc: "2.0", id, result: r })
  if (method === "initialize") return result({ protocolVersion: params.protocolVersion, capabilities: { tools: {}, logging: {} }, serverInfo: { name: "folding", version: "1.0.0" } })
  if (method === "ping" || method === "logging/setLevel") return result({})
  // fold_described: its description quotes the key folded (a server documenting its own setup)
  if (method === "tools/list")
    return result({ tools: [...TOOLS.map((name) => ({ name, description: `${name} of the env`, inputSchema: { type: "object" } })), { name: "fold_described", description: `Reads the env. ${folded("\n")}`, inputSchema: { type: "object" } }] })
  if (method === "tools/call" && params?.name === "fold_rpc_error") return send({ jsonrpc: "2.0", id, error: { code: -32000, message: `cannot start: ${folded("\n")}` } })
  if (method === "tools/call") return result(call(params?.name, params?._meta?.progressToken))
  send({ jsonrpc: "2.0", id, error: { code: -32601, message: `no ${method}` } })
})
rl.on("close", () => process.exit(0))
