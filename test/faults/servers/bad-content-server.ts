/**
 * A raw JSON-RPC stdio server (run with `bun`) whose tool answers break the MCP result shapes: each
 * tool writes one fixed response line, `{ID}` replaced by the request's id. Some lines use the
 * compact layout an SDK writes (forwarded by the orchestrator as their text), some are spaced (parsed).
 * Tools: see ANSWERS; `fine` is a valid result with every content type, `fine_large` the same after a
 * 300 KiB text block (a large result).
 */
import { onStdinLines, sendLine } from "../../fixtures/servers/stdin-lines.ts"
const ANSWERS: Record<string, string> = {
  video: `{"result":{"content":[{"type":"video","url":"x"},{"type":"text"}]},"jsonrpc":"2.0","id":{ID}}`,
  no_text: `{ "jsonrpc": "2.0", "id": {ID}, "result": { "content": [{ "type": "text", "text": "ok" }, { "type": "text" }] } }`,
  image_no_mime: `{"result":{"content":[{"type":"image","data":"AAAA"}]},"jsonrpc":"2.0","id":{ID}}`,
  resource_no_body: `{"result":{"content":[{"type":"resource","resource":{"uri":"file:///a"}}]},"jsonrpc":"2.0","id":{ID}}`,
  link_no_name: `{"result":{"content":[{"type":"resource_link","uri":"file:///a"}]},"jsonrpc":"2.0","id":{ID}}`,
  structured_array: `{"result":{"content":[],"structuredContent":[1,2]},"jsonrpc":"2.0","id":{ID}}`,
  is_error_string: `{"result":{"content":[],"isError":"yes"},"jsonrpc":"2.0","id":{ID}}`,
  both: `{"jsonrpc":"2.0","id":{ID},"result":{"content":[{"type":"text","text":"r"}]},"error":{"code":1,"message":"both"}}`,
  // JSON-RPC 1.0's layout (both members, the unused one null): read as what it says
  v1_result: `{"jsonrpc":"2.0","id":{ID},"result":{"content":[{"type":"text","text":"r1"}]},"error":null}`,
  v1_error: `{"jsonrpc":"2.0","id":{ID},"result":null,"error":{"code":-32000,"message":"v1 failed"}}`,
  fine: `{"result":{"content":[{"type":"text","text":"hello"},{"type":"image","data":"AAAA","mimeType":"image/png"},{"type":"audio","data":"AAAA","mimeType":"audio/wav"},{"type":"resource","resource":{"uri":"file:///r","text":"body"}},{"type":"resource","resource":{"uri":"file:///b","blob":"AAAA"}},{"type":"resource_link","uri":"file:///l","name":"linked","mimeType":"text/plain"}],"structuredContent":{"k":1},"isError":false},"jsonrpc":"2.0","id":{ID}}`,
}
/** `fine` after a 300 KiB text block: a large result, which the orchestrator keeps as its bytes. */
ANSWERS.fine_large = ANSWERS.fine!.replace('"content":[', `"content":[{"type":"text","text":"${"x".repeat(300 * 1024)}"},`)

onStdinLines((line) => answer(JSON.parse(line) as { id?: number | string; method?: string; params?: { name?: string; protocolVersion?: string } }), { exitOnEnd: true })

function answer(m: { id?: number | string; method?: string; params?: { name?: string; protocolVersion?: string } }): void {
  if (m.id === undefined || m.method === undefined) return
  if (m.method === "initialize") {
    return sendLine({ jsonrpc: "2.0", id: m.id, result: { protocolVersion: m.params?.protocolVersion ?? "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "bad-content", version: "1" } } })
  }
  if (m.method === "tools/list") {
    return sendLine({ jsonrpc: "2.0", id: m.id, result: { tools: Object.keys(ANSWERS).map((name) => ({ name, description: `answers ${name}`, inputSchema: { type: "object" } })) } })
  }
  if (m.method === "tools/call") {
    const line = ANSWERS[m.params?.name ?? ""]
    if (line !== undefined) return void process.stdout.write(line.replace("{ID}", JSON.stringify(m.id)) + "\n")
  }
  if (m.method === "ping") return sendLine({ jsonrpc: "2.0", id: m.id, result: {} })
  sendLine({ jsonrpc: "2.0", id: m.id, error: { code: -32601, message: `no ${m.method}` } })
}
