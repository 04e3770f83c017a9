/**
 * A request body that does not arrive whole within the body deadline (a client trickling it, or one
 * holding its connection open after fewer bytes than it declared) is answered 408 with a JSON-RPC
 * error and its connection closed, on the MCP endpoint, the HTTP+SSE messages path and the other
 * routes; other sessions go on. Before, such a request was held for as long as the client kept
 * sending a byte now and then (the connection's idle timer never fired).
 */
import { afterEach, expect, test } from "bun:test"
import { authHeaders, BASE, INIT, makeApp, post, type TestApp } from "./helpers.ts"

let t: TestApp | undefined
afterEach(async () => {
  await t?.app[Symbol.asyncDispose]()
  t = undefined
})

/** A body that sends its first bytes and then nothing more, without ending (a stalled or trickling client). */
function stalledBody(): ReadableStream<Uint8Array> {
  let sent = false
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (sent) return new Promise<void>(() => {})
      sent = true
      c.enqueue(new TextEncoder().encode('{"jsonrpc":"2.0",'))
    },
  })
}

const stalled = (path: string, extra: Record<string, string> = {}): Promise<Response> =>
  Promise.resolve(
    t!.app.request(`${BASE}${path}`, {
      method: "POST",
      headers: authHeaders({ "content-type": "application/json", accept: "application/json, text/event-stream", ...extra }),
      body: stalledBody(),
    }),
  )

test("a stalled body is answered 408 (JSON-RPC error, connection closed) on every route; another session goes on", async () => {
  t = makeApp({ bodyTimeoutMs: 100 })
  const init = await post(t.app, INIT)
  await init.text()
  const session = authHeaders({ "mcp-session-id": init.headers.get("mcp-session-id")! })
  for (const [path, extra] of [["/mcp", session], ["/mcp", {}], ["/messages?sessionId=x", {}], ["/healthz", {}]] as const) {
    const res = await stalled(path, extra)
    expect({ path, status: res.status, connection: res.headers.get("connection") }).toEqual({ path, status: 408, connection: "close" })
    const body = (await res.json()) as { error: { message: string } }
    expect(body.error.message).toContain("Request Timeout: the request body was not received whole within 0.1 s")
  }
  const ping = await post(t.app, { jsonrpc: "2.0", id: 2, method: "ping" }, session)
  expect(ping.status).toBe(200)
  expect(await ping.json()).toEqual({ jsonrpc: "2.0", id: 2, result: {} })
})

test("a body that arrives in time is served as before", async () => {
  t = makeApp({ bodyTimeoutMs: 60_000 })
  const init = await post(t.app, INIT)
  expect(init.status).toBe(200)
  expect(init.headers.get("mcp-session-id")).toBeString()
})
