/** MCP over the hono app with the SDK Streamable HTTP client: sessions, termination, expiry, cancellation on disconnect. */
import { afterEach, describe, expect, test } from "bun:test"
import { CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js"
import { BASE, INIT, authHeaders, connectClient, fakeStatus, makeApp, post, waitTool, type TestApp } from "./helpers.ts"

let t: TestApp
afterEach(async () => {
  await t?.app[Symbol.asyncDispose]()
})

describe("MCP sessions over HTTP", () => {
  test("initialize, tools/list and a call through the SDK client; one face per session", async () => {
    t = makeApp({ status: async () => fakeStatus({ version: "9.9.9" }) })
    const { client, transport } = await connectClient(t.app)
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/)
    expect(client.getServerVersion()?.name).toBe("mcp-orchestrator")
    const { tools } = await client.listTools()
    expect(tools.map((x) => x.name)).toContain("orchestrator_status")
    const res = await client.callTool({ name: "orchestrator_status", arguments: {} })
    expect((res.structuredContent as { version: string }).version).toBe("9.9.9")
    const second = await connectClient(t.app)
    expect(second.transport.sessionId).not.toBe(transport.sessionId)
    expect(t.app.sessions.size).toBe(2)
    expect(t.faces).toBe(2)
    await client.close()
    await second.client.close()
  })

  test("DELETE terminates the session; its id then gets 404", async () => {
    t = makeApp()
    const { client, transport } = await connectClient(t.app)
    const sid = transport.sessionId!
    await transport.terminateSession()
    expect(t.app.sessions.size).toBe(0)
    const res = await post(t.app, { jsonrpc: "2.0", id: 5, method: "tools/list" }, authHeaders({ "mcp-session-id": sid, "mcp-protocol-version": "2025-06-18" }))
    expect(res.status).toBe(404)
    await client.close()
  })

  test("idle sessions expire after the TTL (404 afterwards); one whose GET stream is open stays, and expires once the stream ended", async () => {
    t = makeApp({ sessionIdleTtlMs: 60_000 })
    const init = await post(t.app, INIT)
    const sid = init.headers.get("mcp-session-id")!
    expect(await init.text()).toContain("serverInfo")
    t.app.sessions.sweep(performance.now() + 30_000)
    expect(t.app.sessions.size).toBe(1)
    t.app.sessions.sweep(performance.now() + 61_000)
    expect(t.app.sessions.size).toBe(0)
    const res = await post(t.app, { jsonrpc: "2.0", id: 5, method: "tools/list" }, authHeaders({ "mcp-session-id": sid, "mcp-protocol-version": "2025-06-18" }))
    expect(res.status).toBe(404)

    // the SDK client keeps a GET stream open: a client still connected (an editor left open) keeps
    // its session, since the SDK client does not start a new one after a 404
    const { client } = await connectClient(t.app)
    await Bun.sleep(20)
    t.app.sessions.sweep(performance.now() + 61_000)
    expect(t.app.sessions.size).toBe(1)
    expect((await client.listTools()).tools.length).toBeGreaterThan(0)
    // gone without DELETE: its stream ends, and its idle time counts from then
    await client.close()
    await Bun.sleep(20)
    t.app.sessions.sweep(performance.now() + 30_000)
    expect(t.app.sessions.size).toBe(1)
    t.app.sessions.sweep(performance.now() + 61_000)
    expect(t.app.sessions.size).toBe(0)
  })

  test("a session with a call in flight never expires", async () => {
    const w = waitTool()
    t = makeApp({ sessionIdleTtlMs: 60_000, extraTools: [w.tool] })
    const init = await post(t.app, INIT)
    await init.text()
    const h = authHeaders({ "mcp-session-id": init.headers.get("mcp-session-id")!, "mcp-protocol-version": "2025-06-18" })
    const call = post(t.app, { jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "wait_forever", arguments: {} } }, h)
    await w.events.started
    t.app.sessions.sweep(performance.now() + 3_600_000)
    expect(t.app.sessions.size).toBe(1)
    await post(t.app, { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 5 } }, h)
    await w.events.aborted
    await call
  })

  test("a session is bound to the token that opened it", async () => {
    t = makeApp()
    const init = await post(t.app, INIT)
    const sid = init.headers.get("mcp-session-id")!
    expect(sid).toBeTruthy()
    // same token, other session id → 404; correct id → accepted
    const ok = await post(t.app, { jsonrpc: "2.0", method: "notifications/initialized" }, authHeaders({ "mcp-session-id": sid, "mcp-protocol-version": "2025-06-18" }))
    expect(ok.status).toBe(202)
    // a valid session id is no credential: wrong token → 401
    const stolen = await post(t.app, { jsonrpc: "2.0", id: 3, method: "tools/list" }, { Authorization: "Bearer not-the-token-0123456789", "mcp-session-id": sid, "mcp-protocol-version": "2025-06-18" })
    expect(stolen.status).toBe(401)
  })

  test("a client that drops a call's stream and does not resume cancels the call after the grace (the handler's signal aborts)", async () => {
    const w = waitTool()
    t = makeApp({ extraTools: [w.tool], resume: { graceMs: 300 } })
    const init = await post(t.app, INIT)
    const sid = init.headers.get("mcp-session-id")!
    const h = authHeaders({ "mcp-session-id": sid, "mcp-protocol-version": "2025-06-18" })
    await post(t.app, { jsonrpc: "2.0", method: "notifications/initialized" }, h)
    const res = await post(t.app, { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "wait_forever", arguments: {} } }, h)
    expect(res.headers.get("content-type")).toContain("text/event-stream")
    await w.events.started
    await res.body!.cancel()
    // a dropped stream is no cancellation yet: the client may resume it within the grace
    expect(await Promise.race([w.events.aborted.then(() => "aborted"), Bun.sleep(100).then(() => "running")])).toBe("running")
    // after the grace (300 ms; later on a loaded machine: the test's timeout bounds it)
    const reason = await w.events.aborted
    expect(String(reason)).toContain("client disconnected")
    // the session survives the dropped stream
    const list = await post(t.app, { jsonrpc: "2.0", id: 8, method: "tools/list" }, h)
    expect(list.status).toBe(200)
    expect(await list.text()).toContain("wait_forever")
  })

  test("tool errors and unknown tools keep their MCP shapes over HTTP", async () => {
    t = makeApp()
    const { client } = await connectClient(t.app)
    const bad = await client.callTool({ name: "orchestrator_status", arguments: { nope: 1 } }, CallToolResultSchema)
    expect(bad.isError).toBe(true)
    await expect(client.callTool({ name: "no_such_tool", arguments: {} })).rejects.toThrow(/Unknown tool/)
    await client.close()
  })
})
