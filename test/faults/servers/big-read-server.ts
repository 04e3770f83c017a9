/**
 * A raw JSON-RPC stdio server (run with `bun`) whose `resources/read` and `prompts/get` answer with
 * a text of 100 000 bytes (over a small `proxy.maxMessageBytes`), for the oversize-answer tests.
 * Its resource's URI carries a token in its query (`big://data/r?token=sekrit-query-token`).
 */
export {}

const TEXT = "x".repeat(100_000)
const send = (m: unknown): void => void process.stdout.write(JSON.stringify(m) + "\n")
let buf = ""
process.stdin.on("data", (d: Buffer) => {
  buf += d.toString()
  let nl: number
  while ((nl = buf.indexOf("\n")) >= 0) {
    const line = buf.slice(0, nl).trim()
    buf = buf.slice(nl + 1)
    if (line !== "") answer(JSON.parse(line) as { id?: number | string; method?: string; params?: Record<string, string> })
  }
})
process.stdin.on("end", () => process.exit(0))

function answer(m: { id?: number | string; method?: string; params?: Record<string, string> }): void {
  if (m.id === undefined || m.method === undefined) return
  const id = m.id
  if (m.method === "initialize") {
    return send({ jsonrpc: "2.0", id, result: { protocolVersion: m.params?.protocolVersion ?? "2025-06-18", capabilities: { resources: {}, prompts: {} }, serverInfo: { name: "big-read", version: "1" } } })
  }
  if (m.method === "resources/list") return send({ jsonrpc: "2.0", id, result: { resources: [{ uri: "big://data/r?token=sekrit-query-token", name: "r" }] } })
  if (m.method === "resources/read") return send({ jsonrpc: "2.0", id, result: { contents: [{ uri: m.params?.uri, text: TEXT }] } })
  if (m.method === "prompts/list") return send({ jsonrpc: "2.0", id, result: { prompts: [{ name: "long" }] } })
  if (m.method === "prompts/get") return send({ jsonrpc: "2.0", id, result: { messages: [{ role: "user", content: { type: "text", text: TEXT } }] } })
  if (m.method === "ping") return send({ jsonrpc: "2.0", id, result: {} })
  send({ jsonrpc: "2.0", id, error: { code: -32601, message: `no ${m.method}` } })
}
