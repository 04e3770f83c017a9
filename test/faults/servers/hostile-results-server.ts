/**
 * @module test/faults/servers/hostile-results-server
 * A raw JSON-RPC stdio server (run with `bun`) whose tool results are hostile to a run_code script's
 * host: `deep` nests its structuredContent 100 000 levels; `wrong` answers structuredContent that does
 * not match its outputSchema; `many` 1 000 000 small text blocks; `image` one image of 30 MiB base64;
 * `links` 200 000 resource_link blocks; `late` answers after `delayMs` (default 1500); `echo` its message.
 * Each answer is written by hand (no JSON.stringify of a 100 000-level value).
 */
import { onStdinLines } from "../../fixtures/servers/stdin-lines.ts"
export {}

const tools = [
  { name: "deep", inputSchema: { type: "object" } },
  { name: "wrong", inputSchema: { type: "object" }, outputSchema: { type: "object", properties: { count: { type: "number" } }, required: ["count"] } },
  { name: "many", inputSchema: { type: "object" } },
  { name: "image", inputSchema: { type: "object" } },
  { name: "links", inputSchema: { type: "object" } },
  { name: "late", inputSchema: { type: "object", properties: { delayMs: { type: "number" } } } },
  { name: "echo", inputSchema: { type: "object", properties: { message: { type: "string" } } } },
]

const write = (id: unknown, resultJson: string): void => void process.stdout.write(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${resultJson}}\n`)

function result(name: string, args: Record<string, unknown>): string | Promise<string> {
  switch (name) {
    case "deep": {
      const n = 100_000
      return `{"content":[{"type":"text","text":"deep"}],"structuredContent":{"v":${"[".repeat(n)}1${"]".repeat(n)}}}`
    }
    case "wrong":
      return JSON.stringify({ content: [{ type: "text", text: "three" }], structuredContent: { count: "three" } })
    case "many":
      return `{"content":[${Array.from({ length: 1_000_000 }, () => '{"type":"text","text":"a"}').join(",")}]}`
    case "image":
      return JSON.stringify({ content: [{ type: "text", text: "a picture" }, { type: "image", mimeType: "image/png", data: "QUJD".repeat((30 * 1024 * 1024) / 4) }] })
    case "links":
      return `{"content":[${Array.from({ length: 200_000 }, (_, i) => `{"type":"resource_link","uri":"file:///r/${i}","name":"r${i}"}`).join(",")}]}`
    case "late":
      return Bun.sleep(Number(args.delayMs ?? 1500)).then(() => JSON.stringify({ content: [{ type: "text", text: "late" }] }))
    default:
      return JSON.stringify({ content: [{ type: "text", text: String(args.message ?? "") }] })
  }
}

onStdinLines(async (line) => {
  const m = JSON.parse(line) as { id?: unknown; method?: string; params?: { name?: string; arguments?: Record<string, unknown> } }
  if (m.id === undefined || m.method === undefined) return
  if (m.method === "initialize") return write(m.id, JSON.stringify({ protocolVersion: "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "hostile-results", version: "1" } }))
  if (m.method === "tools/list") return write(m.id, JSON.stringify({ tools }))
  if (m.method === "tools/call") return write(m.id, await result(m.params?.name ?? "", m.params?.arguments ?? {}))
  if (m.method === "ping") return write(m.id, "{}")
  process.stdout.write(`{"jsonrpc":"2.0","id":${JSON.stringify(m.id)},"error":{"code":-32601,"message":"no ${m.method}"}}\n`)
}, { exitOnEnd: true })
