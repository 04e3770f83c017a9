/**
 * A remote server (both HTTP eras) that, during a tools/call, sends its client a request
 * (sampling/createMessage, roots/list, elicitation/create) on the call's own SSE stream and answers
 * the call only once that request is answered. With no client to relay to (the pool alone), a legacy
 * session answers at once (-32601, or no roots). Over 2026-07-28 HTTP the SDK v2 Client dropped such
 * a request without an answer ("not servable on this connection's protocol era"): the server waited,
 * and the call with it, until the call's timeout (a minute here: this test timed out). Now it is
 * refused at once, as on stdio (pool/modern-server-requests), and the call gets its answer.
 */
import { afterAll, describe, expect, test } from "bun:test"
import type { ServerSpec } from "../../src/config/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { captureLog, config } from "../proxy/helpers.ts"
import { startModernEcho } from "../fixtures/modern-echo-http.ts"
import { startStatefulHttp } from "../fixtures/stateful-http.ts"

type Msg = { id?: string | number; method?: string; params?: { arguments?: { text?: unknown } }; result?: unknown; error?: { code?: number; message?: string } }

const enc = new TextEncoder()
/** The open call streams, by the id of the request sent on each: what answers the call once that request is answered. */
const waiting = new Map<string, (answer: Msg) => void>()

function ask(m: Msg): Response | undefined {
  if (m.method === undefined && typeof m.id === "string" && waiting.has(m.id)) {
    waiting.get(m.id)!(m)
    waiting.delete(m.id)
    return new Response(null, { status: 202 })
  }
  const t = m.params?.arguments?.text
  if (m.method !== "tools/call" || typeof t !== "string" || !t.startsWith("ask:") || m.id === undefined) return undefined
  const method = t.slice(4)
  const id = `srv-${m.id}`
  const params = method === "elicitation/create" ? { message: "name?", requestedSchema: { type: "object", properties: {} } } : method === "sampling/createMessage" ? { messages: [], maxTokens: 1 } : {}
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(enc.encode(`event: message\ndata: ${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n\n`))
      waiting.set(id, (a) => {
        const said = a.error ? `error ${a.error.code}: ${a.error.message}` : `result ${JSON.stringify(a.result)}`
        c.enqueue(enc.encode(`event: message\ndata: ${JSON.stringify({ jsonrpc: "2.0", id: m.id, result: { content: [{ type: "text", text: said }], resultType: "complete" } })}\n\n`))
        c.close()
      })
    },
  })
  return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } })
}

const legacy = startStatefulHttp()
legacy.refuse(ask)
const modern = startModernEcho((m) => ask(m as Msg))

afterAll(async () => {
  await legacy.stop()
  await modern.stop()
})

const eras = [
  { era: "legacy", spec: () => ({ url: legacy.url, protocol: "legacy" }) as ServerSpec, says: { "sampling/createMessage": "error -32601", "roots/list": 'result {"roots":[]}', "elicitation/create": "error -32601" } },
  { era: "2026-07-28", spec: () => ({ url: modern.url, protocol: "modern" }) as ServerSpec, says: Object.fromEntries(["sampling/createMessage", "roots/list", "elicitation/create"].map((m) => [m, `error -32601: ${m} is not available: MCP 2026-07-28 has no server→client requests`])) },
]

describe.each(eras)("remote server ($era) asking its client during a call", ({ spec, says }) => {
  test.each(["sampling/createMessage", "roots/list", "elicitation/create"])("%s is answered at once; the call gets its answer", async (method) => {
    const log = captureLog()
    const p = new Pool({ config: config({ pool: { callTimeout: 60_000 } }), log: log.log })
    await using _ = p
    p.add({ name: "web", source: "config", spec: spec() })
    const r = (await p.call("web", "tools/call", { name: "echo", arguments: { text: `ask:${method}` } }, {})) as { content: { text: string }[] }
    expect(r.content[0]!.text).toContain(says[method as keyof typeof says]!)
    expect(p.get("web")!.failures).toBe(0)
  }, 20_000)
})
