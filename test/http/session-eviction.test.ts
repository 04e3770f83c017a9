/**
 * A full legacy session table, in process (createHttpApp, SDK clients through `app.request`): a new
 * session closes the least recently used idle one (no request in flight; an open GET stream does not
 * count: it ends with its session) and logs it at info; sessions with a request in flight are never
 * evicted, and only a table of those refuses (503). Idle expiry also ends an open GET stream.
 * Through the binary with 260 clients: test/http/limits-binary.test.ts.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { createLogger, createLogHub } from "../../src/core/index.ts"
import { readUntil, waitFor } from "../helpers/wait.ts"
import { BASE, INIT, authHeaders, connectClient, makeApp, post, waitTool, type TestApp, openSession } from "./helpers.ts"

let t: TestApp
afterEach(async () => {
  await t?.app[Symbol.asyncDispose]()
})

/** A session opened with a raw initialize: its request headers (helpers `openSession`). */
const session = (): Promise<Record<string, string>> => openSession(t.app)

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

  test("a client opening a session per request and never ending it does not flood the log: a few evictions a second are logged one by one, the rest counted in one line", async () => {
    const lines: string[] = []
    t = makeApp({ maxSessions: 2, log: createLogger(createLogHub("info", (l) => lines.push(l)), "http") })
    for (let i = 0; i < 60; i++) await session()
    expect(t.app.sessions.size).toBe(2)
    const counted = (): number => lines.filter((l) => l.includes("more http sessions evicted")).reduce((n, l) => n + (JSON.parse(l) as { evicted: number }).evicted, 0)
    // the count is said once its second is over, with no further eviction needed
    await waitFor("every eviction logged or counted", () => lines.filter((l) => l.includes('"msg":"http session evicted"')).length + counted() === 58)
    const single = lines.filter((l) => l.includes('"msg":"http session evicted"'))
    // 5 a second: 60 sessions open in well under the 10 s this bound would take
    expect(single.length).toBeLessThan(50)
    expect(single.length + counted()).toBe(58)
    expect(lines.find((l) => l.includes("more http sessions evicted"))).toContain('"maxSessions":2')
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

  test("an open GET stream does not pin a session: a full table of streaming sessions evicts the least recently used one (its stream ends); a call in flight does pin one; 503 only when every session has one", async () => {
    const w = waitTool()
    const lines: string[] = []
    t = makeApp({ maxSessions: 3, extraTools: [w.tool], log: createLogger(createLogHub("info", (l) => lines.push(l)), "http") })
    const calling = await session()
    const older = await session()
    const newer = await session()
    const call = post(t.app, { jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "wait_forever", arguments: {} } }, calling)
    await w.events.started
    // every session has its GET stream open (an editor, an inspector tab left open, a client gone without DELETE)
    const streams: Record<string, Response> = {}
    for (const [name, h] of Object.entries({ calling, older, newer })) {
      streams[name] = await t.app.request(`${BASE}/mcp`, { headers: { ...h, accept: "text/event-stream" } })
      expect(streams[name]!.status).toBe(200)
    }
    // full: the one unused longest of those with no call in flight goes (not `calling`, older), and its stream ends
    const fourth = await session()
    expect((await list(older)).status).toBe(404)
    const ended = await streams.older!.text() // resolves only once the server closed the stream
    expect(ended).toContain(": stream")
    expect(lines.find((l) => l.includes('"msg":"http session evicted"'))).toContain('"getStream":true')
    // the session with a call in flight is never the one to go, however long unused
    expect(t.app.sessions.has(calling["mcp-session-id"]!)).toBe(true)
    const fifth = await session()
    expect((await list(newer)).status).toBe(404) // the table: calling, fourth, fifth
    // every session busy with a call: 503
    const calls = [call, ...[fourth, fifth].map((h) => post(t.app, { jsonrpc: "2.0", id: 50, method: "tools/call", params: { name: "wait_forever", arguments: {} } }, h))]
    while (t.app.inFlight() < 3) await Bun.sleep(5)
    const refused = await post(t.app, INIT)
    expect(refused.status).toBe(503)
    const msg = ((await refused.json()) as { error: { message: string } }).error.message
    expect(msg).toContain("Too many open sessions (3), every one busy with a request in flight")
    expect(msg).toContain("DELETE /mcp")
    // DELETE frees a place at once
    expect((await t.app.request(`${BASE}/mcp`, { method: "DELETE", headers: fifth })).status).toBe(200)
    const again = await post(t.app, INIT)
    expect(again.status).toBe(200)
    await again.text()
    await streams.calling!.body!.cancel()
    for (const h of [calling, fourth]) await t.app.request(`${BASE}/mcp`, { method: "DELETE", headers: h })
    await Promise.all(calls)
  })

  test("a session whose GET stream is open does not expire (its client is connected); once the stream ended, it expires like any idle one", async () => {
    const lines: string[] = []
    t = makeApp({ sessionIdleTtlMs: 60_000, log: createLogger(createLogHub("info", (l) => lines.push(l)), "http") })
    const streaming = await session()
    const get = await t.app.request(`${BASE}/mcp`, { headers: { ...streaming, accept: "text/event-stream" } })
    expect(get.status).toBe(200)
    // the sweep as it runs an hour later (no waiting for the timer)
    t.app.sessions.sweep(performance.now() + 3_600_000)
    expect((await list(streaming)).status).toBe(200)
    expect(lines.some((l) => l.includes('"msg":"http session expired"'))).toBe(false)
    // the client went away without DELETE: its stream ends, and its idle time counts from then
    await get.body?.cancel()
    await Bun.sleep(20)
    t.app.sessions.sweep(performance.now() + 30_000)
    expect((await list(streaming)).status).toBe(200)
    t.app.sessions.sweep(performance.now() + 61_000)
    expect((await list(streaming)).status).toBe(404)
    expect(lines.find((l) => l.includes('"msg":"http session expired"'))).toContain('"getStream":false')
  })
})

describe("sessions expiring together", () => {
  test("one sweep logs the first few one by one and counts the rest in one line", async () => {
    const lines: string[] = []
    t = makeApp({ sessionIdleTtlMs: 60_000, maxSessions: 100, log: createLogger(createLogHub("info", (l) => lines.push(l)), "http") })
    for (let i = 0; i < 30; i++) await session()
    t.app.sessions.sweep(performance.now() + 3_600_000)
    expect(t.app.sessions.size).toBe(0)
    const single = lines.filter((l) => l.includes('"msg":"http session expired"'))
    const more = lines.filter((l) => l.includes("more http sessions expired"))
    expect(single).toHaveLength(5)
    expect(more).toHaveLength(1)
    expect((JSON.parse(more[0]!) as { expired: number }).expired).toBe(25)
  })
})

describe("the 404 of a session id we do not hold says why", () => {
  const message = async (h: Record<string, string>): Promise<string> => {
    const res = await list(h)
    expect(res.status).toBe(404)
    const body = (await res.json()) as { error: { code: number; message: string } }
    expect(body.error.code).toBe(-32001)
    return body.error.message
  }

  test("evicted, expired, deleted, or never issued (a restart)", async () => {
    t = makeApp({ maxSessions: 2, sessionIdleTtlMs: 60_000 })
    const evicted = await session()
    const expired = await session()
    await session() // evicts the first
    expect(await message(evicted)).toBe("Session not found: it was closed (evicted to make room for a new session: 2 were open, and the least recently used idle one goes); initialize a new session")
    t.app.sessions.sweep(performance.now() + 61_000) // both left expire
    expect(await message(expired)).toBe("Session not found: it was closed (expired: no request for 1m (http.sessionIdleTimeout)); initialize a new session")
    const deleted = await session()
    await t.app.request(`${BASE}/mcp`, { method: "DELETE", headers: deleted })
    expect(await message(deleted)).toBe("Session not found: it was closed (the client ended it with DELETE); initialize a new session")
    expect(await message(authHeaders({ "mcp-session-id": crypto.randomUUID() }))).toBe(
      "Session not found: this process never issued that id or no longer remembers it (sessions do not survive a restart of the orchestrator); initialize a new session",
    )
  })

  test("an HTTP+SSE session's id sent to /mcp: said so", async () => {
    t = makeApp()
    const res = await t.app.request(`${BASE}/sse`, { headers: authHeaders({ accept: "text/event-stream" }) })
    const reader = res.body!.getReader()
    const sid = /sessionId=([0-9a-f-]{36})/.exec(await readUntil(reader, "\n\n"))![1]!
    expect(await message(authHeaders({ "mcp-session-id": sid }))).toBe(
      "Session not found: that id is a session of the HTTP+SSE transport (GET /sse), whose messages are POSTed to its /messages?sessionId=… URL, not /mcp; initialize a new session",
    )
    await reader.cancel()
  })
})
