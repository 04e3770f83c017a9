/**
 * @module test/faults/servers/fresh-hostile-http
 * fresh-hostile-server's listings from a 2026-07-28 Streamable HTTP server (raw JSON-RPC over
 * Bun.serve, modern only: `initialize` refused with -32022). The path names the mode (`/defs`,
 * `/loop`, `/many_bad`, …). argv: `<port-file>`.
 */
import { writeFileSync } from "node:fs"
import { list } from "./fresh-hostile-server.ts"

const json = (m: unknown, status = 200): Response => new Response(JSON.stringify(m), { status, headers: { "content-type": "application/json" } })

async function handle(req: Request): Promise<Response> {
  if (req.method !== "POST") return new Response(null, { status: 405 })
  const mode = new URL(req.url).pathname.slice(1)
  const m = (await req.json()) as { id?: number | string; method?: string; params?: Record<string, unknown> }
  const id = m.id
  if (id === undefined) return new Response(null, { status: 202 })
  const ok = (r: object): Response => json({ jsonrpc: "2.0", id, result: { resultType: "complete", ...r } })
  switch (m.method) {
    case "initialize":
      return json({ jsonrpc: "2.0", id, error: { code: -32022, message: "Unsupported protocol version", data: { supported: ["2026-07-28"] } } }, 400)
    case "server/discover":
      return ok({ supportedVersions: ["2026-07-28"], capabilities: { tools: {} }, _meta: { "io.modelcontextprotocol/serverInfo": { name: "fresh-http", version: "1" } } })
    case "tools/list":
      return ok({ ...list(m.params?.cursor as string | undefined, mode), ttlMs: 0, cacheScope: "private" })
    case "tools/call":
      return ok({ content: [{ type: "text", text: `called ${String(m.params?.name).slice(0, 40)}` }] })
    default:
      return json({ jsonrpc: "2.0", id, error: { code: -32601, message: "Method not found" } })
  }
}

const server = Bun.serve({ hostname: "127.0.0.1", port: 0, idleTimeout: 0, fetch: handle })
writeFileSync(process.argv[2]!, String(server.port))
