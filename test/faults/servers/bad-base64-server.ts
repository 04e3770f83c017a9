/**
 * A raw JSON-RPC stdio server (run with `bun`) whose answers carry base64 fields (image/audio
 * `data`, a resource `blob`) that are no base64, in tool results, `resources/read` and `prompts/get`;
 * small ones and one large one (1 MiB, forwarded by the orchestrator over its bytes), and valid ones
 * for contrast (one written with JSON escapes: `\/` and `\n`, as PHP and others write them).
 * Tools: see TOOLS; resources: `mem://bad` (bad blob), `mem://ok`; prompts: `bad`, `ok`.
 */
import { onStdinLines, sendLine } from "../../fixtures/servers/stdin-lines.ts"

const BIG = "QUJD".repeat(256 * 1024) // 1 MiB of valid base64

const TOOLS: Record<string, string> = {
  image_bad: `{"result":{"content":[{"type":"image","data":"not base64!","mimeType":"image/png"}]},"jsonrpc":"2.0","id":{ID}}`,
  audio_bad: `{ "jsonrpc": "2.0", "id": {ID}, "result": { "content": [{ "type": "text", "text": "ok" }, { "type": "audio", "data": "AAAA=AAA", "mimeType": "audio/wav" }] } }`,
  blob_bad: `{"result":{"content":[{"type":"resource","resource":{"uri":"file:///b","blob":"A"}}]},"jsonrpc":"2.0","id":{ID}}`,
  big_bad: `{"result":{"content":[{"type":"text","text":"before"},{"type":"image","data":"${BIG}~~","mimeType":"image/png"}]},"jsonrpc":"2.0","id":{ID}}`,
  big_escaped_bad: `{"result":{"content":[{"type":"image","mimeType":"image/png","data":"${BIG}\\u0021AA="}]},"jsonrpc":"2.0","id":{ID}}`,
  big_ok: `{"result":{"content":[{"type":"image","data":"${BIG.slice(0, 1000)}\\/\\/\\n\\/\\/${BIG}AB==","mimeType":"image/png"}]},"jsonrpc":"2.0","id":{ID}}`,
  small_ok: `{"result":{"content":[{"type":"image","data":"QU\\/C\\nRA==","mimeType":"image/png"},{"type":"resource","resource":{"uri":"file:///t","text":"t","blob":"??"}}]},"jsonrpc":"2.0","id":{ID}}`,
}

onStdinLines((line) => answer(JSON.parse(line) as { id?: number | string; method?: string; params?: Record<string, string> }), { exitOnEnd: true })

function answer(m: { id?: number | string; method?: string; params?: Record<string, string> }): void {
  if (m.id === undefined || m.method === undefined) return
  const id = m.id
  if (m.method === "initialize") {
    return sendLine({ jsonrpc: "2.0", id, result: { protocolVersion: m.params?.protocolVersion ?? "2025-06-18", capabilities: { tools: {}, resources: {}, prompts: {} }, serverInfo: { name: "bad-base64", version: "1" } } })
  }
  if (m.method === "tools/list") return sendLine({ jsonrpc: "2.0", id, result: { tools: Object.keys(TOOLS).map((name) => ({ name, description: `answers ${name}`, inputSchema: { type: "object" } })) } })
  if (m.method === "tools/call") {
    const line = TOOLS[m.params?.name ?? ""]
    if (line !== undefined) return void process.stdout.write(line.replace("{ID}", JSON.stringify(id)) + "\n")
  }
  if (m.method === "resources/list") return sendLine({ jsonrpc: "2.0", id, result: { resources: [{ uri: "mem://bad", name: "bad" }, { uri: "mem://ok", name: "ok" }] } })
  if (m.method === "resources/read") {
    const uri = m.params?.uri
    return sendLine({ jsonrpc: "2.0", id, result: { contents: [{ uri, mimeType: "application/octet-stream", blob: uri === "mem://bad" ? "AAAA\u00e9AAA" : "AAAA AAA=" }] } })
  }
  if (m.method === "prompts/list") return sendLine({ jsonrpc: "2.0", id, result: { prompts: [{ name: "bad" }, { name: "ok" }] } })
  if (m.method === "prompts/get") {
    const blob = m.params?.name === "bad" ? "AAAA====" : "AAAAAA=="
    return sendLine({ jsonrpc: "2.0", id, result: { messages: [{ role: "user", content: { type: "text", text: "hi" } }, { role: "user", content: { type: "resource", resource: { uri: "file:///p", blob } } }] } })
  }
  if (m.method === "ping") return sendLine({ jsonrpc: "2.0", id, result: {} })
  sendLine({ jsonrpc: "2.0", id, error: { code: -32601, message: `no ${m.method}` } })
}
