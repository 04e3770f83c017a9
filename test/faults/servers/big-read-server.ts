/**
 * A raw JSON-RPC stdio server (run with `bun`) whose `resources/read` and `prompts/get` answer with
 * a text of 100 000 bytes (over a small `proxy.maxMessageBytes`), for the oversize-answer tests.
 * Its resource's URI carries a token in its query (`big://data/r?token=sekrit-query-token`).
 */
import { onStdinLines, sendLine } from "../../fixtures/servers/stdin-lines.ts"

const TEXT = "x".repeat(100_000)
onStdinLines((line) => answer(JSON.parse(line) as { id?: number | string; method?: string; params?: Record<string, string> }), { exitOnEnd: true })

function answer(m: { id?: number | string; method?: string; params?: Record<string, string> }): void {
  if (m.id === undefined || m.method === undefined) return
  const id = m.id
  if (m.method === "initialize") {
    return sendLine({ jsonrpc: "2.0", id, result: { protocolVersion: m.params?.protocolVersion ?? "2025-06-18", capabilities: { resources: {}, prompts: {} }, serverInfo: { name: "big-read", version: "1" } } })
  }
  if (m.method === "resources/list") return sendLine({ jsonrpc: "2.0", id, result: { resources: [{ uri: "big://data/r?token=sekrit-query-token", name: "r" }] } })
  if (m.method === "resources/read") return sendLine({ jsonrpc: "2.0", id, result: { contents: [{ uri: m.params?.uri, text: TEXT }] } })
  if (m.method === "prompts/list") return sendLine({ jsonrpc: "2.0", id, result: { prompts: [{ name: "long" }] } })
  if (m.method === "prompts/get") return sendLine({ jsonrpc: "2.0", id, result: { messages: [{ role: "user", content: { type: "text", text: TEXT } }] } })
  if (m.method === "ping") return sendLine({ jsonrpc: "2.0", id, result: {} })
  sendLine({ jsonrpc: "2.0", id, error: { code: -32601, message: `no ${m.method}` } })
}
