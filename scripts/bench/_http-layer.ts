/**
 * The HTTP face's own JavaScript per call, in process (no sockets, no client): `createHttpApp` over a
 * real face whose `tools/call` answers at once with a downstream-style raw result, driven by
 * `app.fetch` for a legacy session and for a 2026-07-28 request. The floor beside it builds the same
 * Request, reads and parses its body and builds a Response: what any handler pays here. Medians of
 * interleaved rounds; in-process Requests carry no Host or Content-Length header (the app falls back to
 * the URL and a streamed read), so this is a little above what a served request costs.
 */
import { RawJson, silentLogger } from "../../src/core/index.ts"
import { createHttpApp, Metrics } from "../../src/http/index.ts"
import { createMcpFace, statusTool, type ToolDef } from "../../src/mcp/index.ts"

const RESULT = '{"content":[{"type":"text","text":"Echo: hi"}]}'
const URL_ = "http://127.0.0.1:8787/mcp"
const TOKEN = "bench-layer-token"

export interface LayerFigures {
  /** µs per call: the floor, and our app for each era (medians of the rounds). */
  floor: number
  legacy: number
  modern: number
}

export async function httpLayerCost(calls = 20_000, rounds = 5): Promise<LayerFigures> {
  const tools = [statusTool(async () => ({}) as never) as ToolDef]
  const app = createHttpApp({
    createFace: () => {
      const face = createMcpFace({ log: silentLogger, tools })
      ;(face as { callTool: unknown }).callTool = async () => new RawJson(undefined, RESULT)
      return face
    },
    status: async () => ({}) as never,
    metrics: new Metrics({ defaultMetrics: false }),
    tools,
    token: TOKEN,
    bodyLimit: 1 << 20,
    log: silentLogger,
  })
  const base = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json, text/event-stream" }
  const request = (headers: Record<string, string>, body: unknown) => new Request(URL_, { method: "POST", headers, body: JSON.stringify(body) })
  const init = await app.fetch(request(base, { jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "bench", version: "1" } } }))
  const session = { ...base, "mcp-session-id": init.headers.get("mcp-session-id")!, "mcp-protocol-version": "2025-11-25" }
  await init.text()
  const modern = { ...base, "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/call", "mcp-name": "ev__echo" }
  const meta = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} }
  const args = { message: "hi" }
  let id = 1
  const check = (text: string) => {
    if (!text.includes("Echo: hi")) throw new Error(`unexpected answer: ${text.slice(0, 200)}`)
  }
  const ops = {
    floor: async () => {
      const r = request(session, { jsonrpc: "2.0", id: id++, method: "tools/call", params: { name: "ev__echo", arguments: args } })
      JSON.parse(await r.text())
      check(await new Response(RESULT, { headers: { "content-type": "application/json" } }).text())
    },
    legacy: async () => check(await (await app.fetch(request(session, { jsonrpc: "2.0", id: id++, method: "tools/call", params: { name: "ev__echo", arguments: args } }))).text()),
    modern: async () => check(await (await app.fetch(request(modern, { jsonrpc: "2.0", id: id++, method: "tools/call", params: { name: "ev__echo", arguments: args, _meta: meta } }))).text()),
  }
  const samples: Record<keyof typeof ops, number[]> = { floor: [], legacy: [], modern: [] }
  for (const op of Object.values(ops)) for (let i = 0; i < 1000; i++) await op()
  for (let r = 0; r < rounds; r++) {
    for (const [name, op] of Object.entries(ops) as [keyof typeof ops, () => Promise<void>][]) {
      const t0 = performance.now()
      for (let i = 0; i < calls / rounds; i++) await op()
      samples[name].push(((performance.now() - t0) * 1000) / (calls / rounds))
    }
  }
  await app[Symbol.asyncDispose]()
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!
  return { floor: median(samples.floor), legacy: median(samples.legacy), modern: median(samples.modern) }
}
