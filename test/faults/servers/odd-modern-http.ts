/**
 * An odd 2026-07-28 Streamable HTTP server (raw JSON-RPC over Bun.serve), modern only (`initialize`
 * refused with -32022). Tools: `ok` answers "fine"; `cut` opens an SSE stream, sends a priming event
 * and closes it with no answer (its resumption is refused: 405); `half` sends half of its answer's
 * event and closes the stream; `slow` answers "slow fine" once a `cut` was resumed (or within 3 s).
 * Path `/garbage`: `server/discover` answers the string "hello"; `/unknown`: a DiscoverResult naming
 * only 2099-01-01. argv: `<port-file>`.
 */
import { writeFileSync } from "node:fs"

const tool = (name: string) => ({ name, description: `odd ${name}`, inputSchema: { type: "object" } })
const json = (m: unknown, status = 200): Response => new Response(JSON.stringify(m), { status, headers: { "content-type": "application/json" } })
const sse = (chunks: string[]): Response =>
  new Response(
    new ReadableStream({
      start(c) {
        for (const x of chunks) c.enqueue(new TextEncoder().encode(x))
        setTimeout(() => c.close(), 50)
      },
    }),
    { headers: { "content-type": "text/event-stream" } },
  )

/** `slow` calls waiting: answered once a `cut` stream's resumption came (so they were in flight when it failed), or after 3 s. */
const slow: (() => void)[] = []
setInterval(() => slow.splice(0).forEach((f) => f()), 3000)

async function handle(req: Request): Promise<Response> {
  const path = new URL(req.url).pathname
  if (req.method !== "POST") {
    // a resumption of `cut`'s stream (refused): its call is over for the client; `slow` answers a little later
    if (req.headers.get("last-event-id") !== null) setTimeout(() => slow.splice(0).forEach((f) => f()), 200)
    return new Response(null, { status: 405 })
  }
  const m = (await req.json()) as { id?: number | string; method?: string; params?: Record<string, unknown> }
  const id = m.id
  if (id === undefined) return new Response(null, { status: 202 })
  const ok = (r: Record<string, unknown>): Response => json({ jsonrpc: "2.0", id, result: { resultType: "complete", ...r } })
  switch (m.method) {
    case "initialize":
      return json({ jsonrpc: "2.0", id, error: { code: -32022, message: "Unsupported protocol version", data: { supported: ["2026-07-28"] } } }, 400)
    case "server/discover":
      if (path === "/garbage") return json({ jsonrpc: "2.0", id, result: "hello" })
      return ok({ supportedVersions: path === "/unknown" ? ["2099-01-01"] : ["2026-07-28"], capabilities: { tools: {} }, _meta: { "io.modelcontextprotocol/serverInfo": { name: "odd-http", version: "1" } } })
    case "tools/list":
      return ok({ tools: [tool("ok"), tool("cut"), tool("half"), tool("slow")], ttlMs: 0, cacheScope: "private" })
    case "tools/call": {
      const name = String(m.params?.name)
      if (name === "cut") return sse(["id: 1\ndata: \n\n"])
      if (name === "slow") return new Promise((r) => slow.push(() => r(ok({ content: [{ type: "text", text: "slow fine" }] }))))
      if (name === "half") return sse([`data: ${JSON.stringify({ jsonrpc: "2.0", id, result: { resultType: "complete", content: [{ type: "text", text: "never whole" }] } }).slice(0, 30)}`])
      return ok({ content: [{ type: "text", text: "fine" }] })
    }
    default:
      return json({ jsonrpc: "2.0", id, error: { code: -32601, message: "Method not found" } })
  }
}

const server = Bun.serve({ hostname: "127.0.0.1", port: 0, idleTimeout: 0, fetch: handle })
writeFileSync(process.argv[2]!, String(server.port))
