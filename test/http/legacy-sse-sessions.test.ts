/**
 * HTTP+SSE (2024-11-05) sessions in a full table and after their stream ended, in process
 * (createHttpApp; the SDK v1 `SSEClientTransport` + `Client` through `app.request`, raw fetches).
 * The SDK's EventSource reconnects on its own once a stream ends: the reconnect (it sends
 * MCP-Protocol-Version, no Last-Event-ID) never evicts another client's session: in a full table it is
 * refused (409), so the client's calls go on to its old session and fail with why it ended. A client
 * that sends MCP-Protocol-Version from its first GET (the Vercel AI SDK's SSE transport) gets a
 * session when there is room. A request on a session that never saw initialize is refused saying so. A full table evicts the least recently used idle SSE session (its
 * stream ends, a POST to it is 410 with the reason), never one with a call running.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js"
import { readUntil, restOf, waitFor } from "../helpers/wait.ts"
import { BASE, TOKEN, authHeaders, makeApp, waitTool, type TestApp } from "./helpers.ts"

let t: TestApp
afterEach(async () => {
  await t?.app[Symbol.asyncDispose]()
})

/** An SDK v1 HTTP+SSE client in process; `errors` collects what its transport reported (SseError codes). */
async function sdkClient(): Promise<{ client: Client; transport: SSEClientTransport; endpoint: () => string; errors: { code?: number; message: string }[] }> {
  const transport = new SSEClientTransport(new URL(`${BASE}/sse`), {
    fetch: async (url, init) => await t.app.request(String(url), init),
    requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
  })
  const client = new Client({ name: "legacy-sse", version: "1.0.0" }, { capabilities: {} })
  const errors: { code?: number; message: string }[] = []
  client.onerror = (e) => void errors.push({ code: (e as { code?: number }).code, message: e.message })
  await client.connect(transport)
  const endpoint = () => String((transport as unknown as { _endpoint: URL })._endpoint)
  return { client, transport, endpoint, errors }
}

/** A raw GET /sse (with `headers`): its session id and a reader of the rest of the stream. */
async function rawSession(headers: Record<string, string> = {}): Promise<{ sid: string; rest: () => Promise<string> }> {
  const res = await t.app.request(`${BASE}/sse`, { headers: authHeaders({ accept: "text/event-stream", ...headers }) })
  expect(res.status).toBe(200)
  const reader = res.body!.getReader()
  const sid = /sessionId=([0-9a-f-]{36})/.exec(await readUntil(reader, "\n\n"))![1]!
  reader.releaseLock()
  // resolves once the server ended the stream
  return { sid, rest: () => restOf(res.body!) }
}

const postTo = (sid: string, body: unknown) =>
  t.app.request(`${BASE}/messages?sessionId=${sid}`, { method: "POST", headers: authHeaders({ "content-type": "application/json" }), body: JSON.stringify(body) })
const INIT = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2024-11-05", capabilities: {}, clientInfo: { name: "raw", version: "1" } } }

describe("HTTP+SSE sessions: reconnects, initialization, a full table", () => {
  test("an SDK client whose session was evicted: its EventSource's reconnect is refused (nobody else evicted), its next call fails naming why the session ended", async () => {
    t = makeApp({ maxSessions: 1 })
    const a = await sdkClient()
    const first = a.endpoint()
    expect((await a.client.callTool({ name: "orchestrator_status", arguments: {} })).isError).toBeFalsy()
    // a second client: the table is full, a's session (idle) makes room, its stream ends
    const b = await sdkClient()
    const bSession = new URL(b.endpoint()).searchParams.get("sessionId")!
    // a's EventSource reconnects on its own (after its retry interval): refused, it does not retry a 409
    await waitFor("the refused reconnect", () => a.errors.some((e) => e.code === 409), 20_000)
    expect(a.errors.map((e) => e.code)).toContain(409)
    // a still posts to its old session: not switched to a new, uninitialized one
    expect(a.endpoint()).toBe(first)
    const late = await a.client.callTool({ name: "orchestrator_status", arguments: {} }).then(
      () => "answered",
      (e: Error) => e.message,
    )
    expect(late).toContain("410")
    expect(late).toContain("evicted to make room for a new session")
    // b's session was not evicted by a's reconnect, and serves
    expect(t.app.sessions.has(bSession)).toBe(true)
    expect(t.app.sessions.size).toBe(1)
    expect((await b.client.callTool({ name: "orchestrator_status", arguments: {} })).isError).toBeFalsy()
    await Promise.all([a.client.close(), b.client.close()])
  }, 30_000)

  test("a GET /sse with MCP-Protocol-Version from its first request (the Vercel AI SDK's `type: \"sse\"`) gets a session that serves once initialized", async () => {
    t = makeApp()
    // before, every GET /sse with the header was taken for a reconnect and refused (409): that client never connected
    const { sid } = await rawSession({ "mcp-protocol-version": "2025-11-25" })
    expect((await postTo(sid, INIT)).status).toBe(202)
    expect((await postTo(sid, { jsonrpc: "2.0", method: "notifications/initialized" })).status).toBe(202)
    expect((await postTo(sid, { jsonrpc: "2.0", id: 4, method: "tools/list" })).status).toBe(202)
    expect(t.app.sessions.size).toBe(1)
  })

  test("a GET /sse with MCP-Protocol-Version (maybe a client reconnecting) in a full table is 409 saying to reconnect; nobody is evicted", async () => {
    t = makeApp({ maxSessions: 1 })
    const idle = await rawSession()
    const res = await t.app.request(`${BASE}/sse`, { headers: authHeaders({ accept: "text/event-stream", "mcp-protocol-version": "2025-11-25" }) })
    expect(res.status).toBe(409)
    expect(await res.text()).toContain("reconnect the client")
    expect(t.app.sessions.has(idle.sid)).toBe(true)
    expect(t.app.sessions.size).toBe(1)
  })

  test("a request on a session that never saw initialize is refused saying so; ping and notifications pass; after initialize it is served", async () => {
    t = makeApp()
    const { sid } = await rawSession()
    const list = await postTo(sid, { jsonrpc: "2.0", id: 2, method: "tools/list" })
    expect(list.status).toBe(400)
    const body = (await list.json()) as { id: unknown; error: { code: number; message: string } }
    expect(body.id).toBe(2)
    expect(body.error.code).toBe(-32600)
    expect(body.error.message).toContain("never initialized")
    expect(body.error.message).toContain("reconnect the client")
    expect((await postTo(sid, { jsonrpc: "2.0", id: 3, method: "ping" })).status).toBe(202)
    expect((await postTo(sid, { jsonrpc: "2.0", method: "notifications/roots/list_changed" })).status).toBe(202)
    expect((await postTo(sid, INIT)).status).toBe(202)
    expect((await postTo(sid, { jsonrpc: "2.0", method: "notifications/initialized" })).status).toBe(202)
    expect((await postTo(sid, { jsonrpc: "2.0", id: 4, method: "tools/list" })).status).toBe(202)
  })

  test("a full table evicts the least recently used idle SSE session (its stream ends, a POST to it is 410 with the reason), never one with a call running; 503 when all are busy", async () => {
    const w = waitTool()
    t = makeApp({ maxSessions: 2, extraTools: [w.tool] })
    const busy = await rawSession()
    const idle = await rawSession()
    for (const s of [busy, idle]) {
      expect((await postTo(s.sid, INIT)).status).toBe(202)
      expect((await postTo(s.sid, { jsonrpc: "2.0", method: "notifications/initialized" })).status).toBe(202)
    }
    // busy is the least recently used once idle is used after it, but it has a call running
    expect((await postTo(busy.sid, { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "wait_forever", arguments: {} } })).status).toBe(202)
    await w.events.started
    expect((await postTo(idle.sid, { jsonrpc: "2.0", id: 8, method: "ping" })).status).toBe(202)
    // answered (on its stream): only the call is in flight
    await waitFor("the ping answered", () => t.app.sessions.inFlight === 1, 20_000)
    expect(t.app.sessions.inFlight).toBe(1)
    const third = await rawSession()
    // the idle one went: its stream ended, its id is 410 with why
    await idle.rest()
    const gone = await postTo(idle.sid, { jsonrpc: "2.0", id: 9, method: "ping" })
    expect(gone.status).toBe(410)
    expect(await gone.text()).toContain("evicted to make room for a new session")
    expect(t.app.sessions.has(busy.sid)).toBe(true)
    expect(t.app.sessions.has(third.sid)).toBe(true)
    // third gets a call running too: every session busy, a new one is refused
    expect((await postTo(third.sid, INIT)).status).toBe(202)
    expect((await postTo(third.sid, { jsonrpc: "2.0", method: "notifications/initialized" })).status).toBe(202)
    expect((await postTo(third.sid, { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "wait_forever", arguments: {} } })).status).toBe(202)
    await waitFor("both calls running", () => t.app.sessions.inFlight >= 2, 20_000)
    const full = await t.app.request(`${BASE}/sse`, { headers: authHeaders({ accept: "text/event-stream" }) })
    expect(full.status).toBe(503)
    expect(t.app.sessions.has(busy.sid)).toBe(true)
  })
})
