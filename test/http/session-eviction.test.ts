/**
 * A full legacy session table, in process (createHttpApp, SDK clients through `app.request`): a new
 * session closes the least recently used idle one (no open stream, no request in flight) and logs
 * it at info; busy sessions are never evicted, and only a table of busy sessions refuses (503).
 * Through the binary with 260 clients: test/http/limits-binary.test.ts.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { createLogger, createLogHub } from "../../src/core/index.ts"
import { BASE, INIT, authHeaders, connectClient, makeApp, post, waitTool, type TestApp } from "./helpers.ts"

let t: TestApp
afterEach(async () => {
  await t?.app[Symbol.asyncDispose]()
})

/** Opens a session with a raw initialize; its request headers. */
async function session(): Promise<Record<string, string>> {
  const init = await post(t.app, INIT)
  expect(init.status).toBe(200)
  await init.text()
  return authHeaders({ "mcp-session-id": init.headers.get("mcp-session-id")!, "mcp-protocol-version": "2025-06-18" })
}

const list = (h: Record<string, string>, id = 9) => post(t.app, { jsonrpc: "2.0", id, method: "tools/list" }, h)

describe("a full session table", () => {
  test("SDK clients that close without DELETE never lock the table: the least recently used idle session makes room (logged at info)", async () => {
    const lines: string[] = []
    t = makeApp({ maxSessions: 3, log: createLogger(createLogHub("info", (l) => lines.push(l)), "http") })
    const ids: string[] = []
    for (let i = 0; i < 6; i++) {
      const { client, transport } = await connectClient(t.app)
      ids.push(transport.sessionId!)
      expect((await client.callTool({ name: "orchestrator_status", arguments: {} })).isError).toBeFalsy()
      await client.close() // the SDK v1 client sends no DELETE
    }
    expect(t.app.sessions.size).toBe(3)
    // the three oldest went, in order; the three newest remain
    for (const [i, sid] of ids.entries()) expect(t.app.sessions.has(sid)).toBe(i >= 3)
    const evicted = lines.filter((l) => l.includes('"msg":"http session evicted"'))
    expect(evicted).toHaveLength(3)
    expect(evicted[0]).toContain('"level":"info"')
    expect(evicted[0]).toContain(`"session":"${ids[0]!.slice(0, 8)}"`)
    expect(evicted[0]).toContain('"maxSessions":3')
  })

  test("least recently used, not oldest: a session used since is kept; the evicted one's id is 404 afterwards", async () => {
    t = makeApp({ maxSessions: 2 })
    const a = await session()
    const b = await session()
    expect((await list(a)).status).toBe(200) // a is now the more recently used
    await session()
    expect((await list(a)).status).toBe(200)
    expect((await list(b)).status).toBe(404)
  })

  test("busy sessions (an open GET stream, a call in flight) are never evicted; a table of busy sessions refuses with 503 until one is free", async () => {
    const w = waitTool()
    t = makeApp({ maxSessions: 3, extraTools: [w.tool] })
    const streaming = await session()
    const calling = await session()
    const idle = await session()
    const get = await t.app.request(`${BASE}/mcp`, { headers: { ...streaming, accept: "text/event-stream" } })
    expect(get.status).toBe(200)
    const call = post(t.app, { jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "wait_forever", arguments: {} } }, calling)
    await w.events.started
    // full: the idle one goes
    const fourth = await session()
    expect((await list(idle)).status).toBe(404)
    expect((await list(streaming)).status).toBe(200)
    // full again, and `fourth` is the only idle one left
    const fifth = await session()
    expect((await list(fourth)).status).toBe(404)
    // now make the last one busy too
    const get5 = await t.app.request(`${BASE}/mcp`, { headers: { ...fifth, accept: "text/event-stream" } })
    expect(get5.status).toBe(200)
    const refused = await post(t.app, INIT)
    expect(refused.status).toBe(503)
    const msg = ((await refused.json()) as { error: { message: string } }).error.message
    expect(msg).toContain("Too many open sessions (3), every one busy with an open stream or a request in flight")
    expect(msg).toContain("DELETE /mcp")
    // the sessions still work
    expect((await list(streaming)).status).toBe(200)
    // a stream closes: its session is idle, the next initialize takes its place
    await get.body!.cancel()
    let ok = 0
    for (let i = 0; i < 100 && ok !== 200; i++) {
      const r = await post(t.app, INIT)
      ok = r.status
      await r.text()
      if (ok !== 200) await Bun.sleep(10)
    }
    expect(ok).toBe(200)
    expect((await list(streaming)).status).toBe(404)
    await get5.body!.cancel()
    await t.app.request(`${BASE}/mcp`, { method: "DELETE", headers: calling })
    await call
  })
})
