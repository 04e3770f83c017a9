/**
 * A raw JSON-RPC stdio server (run with `bun`) whose tool results break what a client checks beyond
 * the content blocks: structured output against the tool's `outputSchema`, an unknown `resultType`,
 * bad blocks in large (≥ 256 KiB) results. argv: `legacy` (answers `initialize`, refuses
 * `server/discover` with -32601) or `modern` (2026-07-28 only: `server/discover`, refuses
 * `initialize`; every result carries `resultType`); `modern http <port-file>`: the same over
 * Streamable HTTP (each POST answered with one JSON body; the port is written to the file). Each answer is written in the TypeScript SDK's
 * compact layout (forwarded by the orchestrator as its text) unless the tool says otherwise.
 * Tools: see TOOLS.
 */
import { onStdinLines } from "../../fixtures/servers/stdin-lines.ts"
export {}

const era = process.argv[2] === "modern" ? "modern" : "legacy"
const COUNTED = { type: "object", properties: { count: { type: "number" }, label: { type: "string" } }, required: ["count"] }
const BIG = "x".repeat(300 * 1024)
const DYNAMIC = { $dynamicAnchor: "node", type: "object", properties: { n: { type: "number" }, kids: { type: "array", items: { $dynamicRef: "#node" } } }, required: ["n"] }
const PATTERNED = { type: "object", properties: { id: { type: "string", pattern: "^[0-9]+$" }, count: { type: "number" } }, required: ["count"] }

interface Tool {
  description: string
  outputSchema?: object
  result: Record<string, unknown>
  layout?: "spaced"
}

const TOOLS: Record<string, Tool> = {
  // outputSchema cases
  typed_wrong: { description: "structuredContent of the wrong type", outputSchema: COUNTED, result: { content: [{ type: "text", text: "three things" }], structuredContent: { count: "three" } } },
  typed_wrong_spaced: { description: "the same, not in a compact layout", outputSchema: COUNTED, layout: "spaced", result: { content: [{ type: "text", text: "three things" }], structuredContent: { count: "three" } } },
  typed_missing: { description: "no structuredContent, no error", outputSchema: COUNTED, result: { content: [{ type: "text", text: "forgot the structure" }] } },
  typed_ok: { description: "valid structured output", outputSchema: COUNTED, result: { content: [{ type: "text", text: "3" }], structuredContent: { count: 3, label: "ok" } } },
  typed_error: { description: "a tool error without structure", outputSchema: COUNTED, result: { content: [{ type: "text", text: "it failed" }], isError: true } },
  plain: { description: "no outputSchema", result: { content: [{ type: "text", text: "plain" }], structuredContent: { anything: true } } },
  // content blocks
  video: { description: "a block of no MCP type", result: { content: [{ type: "text", text: "ok" }, { type: "video", url: "x" }] } },
  no_text: { description: "a text block without text", layout: "spaced", result: { content: [{ type: "text" }] } },
  // large results (≥ 256 KiB: the byte path)
  big_ok: { description: "a large valid result", result: { content: [{ type: "text", text: BIG }] } },
  big_video: { description: "a large result with a bad block after the big one", result: { content: [{ type: "text", text: BIG }, { type: "video", url: "x" }] } },
  big_no_mime: { description: "a large image without mimeType", result: { content: [{ type: "image", data: BIG }] } },
  big_structured_array: { description: "a large result whose structuredContent is a list", result: { content: [{ type: "text", text: BIG }], structuredContent: [1, 2] } },
  big_typed_wrong: { description: "a large result whose structured output does not match", outputSchema: COUNTED, result: { content: [{ type: "text", text: BIG }], structuredContent: { count: "many", label: BIG } } },
  big_typed_ok: { description: "a large result with valid structured output", outputSchema: COUNTED, result: { content: [{ type: "text", text: "big" }], structuredContent: { count: 1, label: BIG } } },
  // a catastrophic regular expression in the schema, and a value that makes it backtrack 2^40 ways
  redos: { description: "a pattern that backtracks exponentially", outputSchema: { type: "object", properties: { s: { type: "string", pattern: "^(a+)+$" } } }, result: { content: [{ type: "text", text: "slow" }], structuredContent: { s: `${"a".repeat(40)}!` } } },
  // regular expressions in the schema: the client is given none (it threw on any mismatch of such a schema, which went unchecked here)
  pattern_wrong: { description: "a wrong type in a schema with a pattern", outputSchema: PATTERNED, result: { content: [{ type: "text", text: "three" }], structuredContent: { id: "42", count: "three" } } },
  pattern_only: { description: "a value its pattern refuses, nothing else wrong", outputSchema: PATTERNED, result: { content: [{ type: "text", text: "abc" }], structuredContent: { id: "abc", count: 3 } } },
  pattern_props: { description: "patternProperties and additionalProperties: false", outputSchema: { type: "object", patternProperties: { "^x_": { type: "number" } }, additionalProperties: false, properties: { n: { type: "number", unevaluatedProperties: false } } }, result: { content: [{ type: "text", text: "x" }], structuredContent: { x_a: 1, y: "other" } } },
  pattern_named: { description: "a property named pattern, of the wrong type", outputSchema: { type: "object", properties: { pattern: { type: "string" } }, required: ["pattern"] }, result: { content: [{ type: "text", text: "five" }], structuredContent: { pattern: 5 } } },
  // a recursive schema written with $dynamicRef (it went unchecked here; the clients threw)
  dynamic_wrong: { description: "a wrong type in a $dynamicRef schema", outputSchema: DYNAMIC, result: { content: [{ type: "text", text: "tree" }], structuredContent: { n: "one", kids: [] } } },
  dynamic_ok: { description: "a valid tree", outputSchema: DYNAMIC, result: { content: [{ type: "text", text: "tree" }], structuredContent: { n: 1, kids: [{ n: 2, kids: [] }] } } },
  // resultType (a 2026-07-28 server only)
  banana: { description: "an unknown resultType", result: { content: [{ type: "text", text: "peel" }], resultType: "banana" } },
  no_type: { description: "no resultType at all (a 2026-07-28 result must name one)", result: { content: [{ type: "text", text: "untyped" }] } },
}

let out = (line: string): void => void process.stdout.write(line + "\n")

function answer(id: unknown, result: unknown, layout?: string): void {
  const r = JSON.stringify(result)
  if (layout === "spaced") out(`{"jsonrpc": "2.0", "id": ${JSON.stringify(id)}, "result": ${r}}`)
  else out(`{"result":${r},"jsonrpc":"2.0","id":${JSON.stringify(id)}}`)
}

function error(id: unknown, code: number, message: string): void {
  out(JSON.stringify({ jsonrpc: "2.0", id, error: { code, message } }))
}

function modern(result: Record<string, unknown>): Record<string, unknown> {
  return era === "modern" && !("resultType" in result) ? { resultType: "complete", ...result } : result
}

function handle(m: { id?: unknown; method?: string; params?: { name?: string; protocolVersion?: string } }): void {
  if (m.id === undefined || m.method === undefined) return
  const info = { name: "result-shapes", version: "1.0.0" }
  if (m.method === "initialize") {
    if (era === "modern") return error(m.id, -32022, "Unsupported protocol version")
    return answer(m.id, { protocolVersion: m.params?.protocolVersion ?? "2025-06-18", capabilities: { tools: {} }, serverInfo: info })
  }
  if (m.method === "server/discover") {
    if (era === "legacy") return error(m.id, -32601, "Method not found")
    return answer(m.id, { resultType: "complete", supportedVersions: ["2026-07-28"], capabilities: { tools: {} }, _meta: { "io.modelcontextprotocol/serverInfo": info } })
  }
  if (m.method === "tools/list") {
    const tools = Object.entries(TOOLS)
      .filter(([name]) => era === "modern" || (name !== "banana" && name !== "no_type"))
      .map(([name, t]) => ({ name, description: t.description, inputSchema: { type: "object" }, ...(t.outputSchema ? { outputSchema: t.outputSchema } : {}) }))
    return answer(m.id, modern({ tools, ttlMs: 0, cacheScope: "private" }))
  }
  if (m.method === "tools/call") {
    const name = m.params?.name ?? ""
    const t = TOOLS[name]
    if (t === undefined) return error(m.id, -32602, `no tool ${name}`)
    return answer(m.id, name === "no_type" ? t.result : modern(t.result), t.layout)
  }
  if (m.method === "ping") return answer(m.id, {})
  error(m.id, -32601, `no method ${m.method}`)
}

if (process.argv[3] === "http") {
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      if (req.method !== "POST") return new Response(null, { status: 405 })
      const m = (await req.json()) as Parameters<typeof handle>[0]
      if (m.id === undefined) return new Response(null, { status: 202 })
      let body = ""
      out = (line) => void (body = line)
      handle(m)
      return new Response(body, { headers: { "content-type": "application/json" } })
    },
  })
  await Bun.write(process.argv[4]!, String(server.port))
}

onStdinLines((line) => handle(JSON.parse(line) as Parameters<typeof handle>[0]), { exitOnEnd: true })
