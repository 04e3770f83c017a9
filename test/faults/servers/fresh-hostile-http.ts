/**
 * @module test/faults/servers/fresh-hostile-http
 * fresh-hostile-server's listings from a 2026-07-28 Streamable HTTP server (raw JSON-RPC over
 * Bun.serve, modern only: `initialize` refused with -32022). The path names the mode (`/defs`,
 * `/loop`, `/many_bad`, …; `/odd_page_sse`: odd_page's answers as SSE events), and lists PROMPTS. argv: `<port-file>`.
 */
import { writeFileSync } from "node:fs"
import { list } from "./fresh-hostile-server.ts"

/** Prompts the SDK's schema refuses one by one (an argument that is no object, a description that is no string) next to a plain one: each must stay listed, repaired. */
export const PROMPTS = [{ name: "plain_prompt", description: "Plain." }, { name: "odd_args", arguments: [5, { name: "x" }] }, { name: "odd_desc", description: 5 }]

const json = (m: unknown, status = 200): Response => new Response(JSON.stringify(m), { status, headers: { "content-type": "application/json" } })

async function handle(req: Request): Promise<Response> {
  if (req.method !== "POST") return new Response(null, { status: 405 })
  const mode = new URL(req.url).pathname.slice(1)
  const m = (await req.json()) as { id?: number | string; method?: string; params?: Record<string, unknown> }
  const id = m.id
  if (id === undefined) return new Response(null, { status: 202 })
  // odd_page(_sse): the envelope carries a member JSON-RPC has no place for too (the SDK's strict check refused the whole answer)
  const odd = mode.startsWith("odd_page")
  const answer = (r: object): object => ({ jsonrpc: "2.0", id, result: { resultType: "complete", ...r }, ...(odd && m.method === "tools/list" ? { server_time: 5 } : {}) })
  // odd_page_sse: the same answers on an SSE stream (an event with an id, as SDK servers write them)
  const ok = (r: object): Response =>
    mode === "odd_page_sse" ? new Response(`id: e${String(id)}\nevent: message\ndata: ${JSON.stringify(answer(r))}\n\n`, { headers: { "content-type": "text/event-stream" } }) : json(answer(r))
  switch (m.method) {
    case "initialize":
      return json({ jsonrpc: "2.0", id, error: { code: -32022, message: "Unsupported protocol version", data: { supported: ["2026-07-28"] } } }, 400)
    case "server/discover":
      return ok({ supportedVersions: ["2026-07-28"], capabilities: { tools: {}, prompts: {} }, _meta: { "io.modelcontextprotocol/serverInfo": { name: "fresh-http", version: "1" } } })
    case "tools/list":
      return ok({ ttlMs: 0, cacheScope: "private", ...list(m.params?.cursor as string | undefined, odd ? "odd_page" : mode) })
    case "prompts/list":
      return ok({ prompts: PROMPTS, ttlMs: 0, cacheScope: "private" })
    case "tools/call":
      return ok({ content: [{ type: "text", text: `called ${String(m.params?.name).slice(0, 40)}` }] })
    default:
      return json({ jsonrpc: "2.0", id, error: { code: -32601, message: "Method not found" } })
  }
}

if (import.meta.main) writeFileSync(process.argv[2]!, String(Bun.serve({ hostname: "127.0.0.1", port: 0, idleTimeout: 0, fetch: handle }).port))
