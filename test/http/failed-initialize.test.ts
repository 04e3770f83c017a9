/**
 * An `initialize` that fails (invalid params, sent as a notification, answered as a stream) opens no
 * session: its answer names none, the table does not grow, and in a full table it evicts nobody.
 * Before, room was made first: a client retrying a bad handshake evicted another client's idle
 * session with each attempt (that client's next request: 404), and an `initialize` notification got
 * 202 with a session id. A successful one in a full table still evicts the least recently used.
 */
import { afterEach, expect, test } from "bun:test"
import { authHeaders, INIT, makeApp, post, type TestApp, openSession } from "./helpers.ts"

let t: TestApp
afterEach(async () => {
  await t?.app[Symbol.asyncDispose]()
})

/** A session opened with a raw initialize: its request headers (helpers `openSession`). */
const session = (): Promise<Record<string, string>> => openSession(t.app)

const ping = async (h: Record<string, string>): Promise<number> => {
  const res = await post(t.app, { jsonrpc: "2.0", id: 9, method: "ping" }, h)
  await res.text()
  return res.status
}

const bad: [string, unknown, Record<string, string>?][] = [
  ["no params", { jsonrpc: "2.0", id: 1, method: "initialize" }],
  ["no clientInfo", { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {} } }],
  ["params not an object", { jsonrpc: "2.0", id: 1, method: "initialize", params: [1] }],
  ["as a notification", { jsonrpc: "2.0", method: "initialize", params: INIT.params }],
  ["no clientInfo, answered as a stream", { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {} } }, { accept: "text/event-stream" }],
]

test("a failed initialize in a full table evicts nobody and leaves no session; a good one still makes room", async () => {
  t = makeApp({ maxSessions: 2 })
  const a = await session()
  const b = await session()
  for (const [what, body, extra] of bad) {
    const res = await post(t.app, body, authHeaders(extra))
    const text = await res.text()
    expect({ what, session: res.headers.get("mcp-session-id") }).toEqual({ what, session: null })
    expect(text).toMatch(/Invalid (params|Request)/)
    expect({ what, size: t.app.sessions.size }).toEqual({ what, size: 2 })
  }
  expect(await ping(a)).toBe(200)
  expect(await ping(b)).toBe(200)
  // a successful initialize evicts the least recently used idle session (a), as before
  const c = await session()
  expect(t.app.sessions.size).toBe(2)
  expect(await ping(a)).toBe(404)
  expect(await ping(b)).toBe(200)
  expect(await ping(c)).toBe(200)
})

test("a failed initialize with room to spare leaves no session either", async () => {
  t = makeApp()
  for (const [what, body, extra] of bad) {
    const res = await post(t.app, body, authHeaders(extra))
    await res.text()
    expect({ what, size: t.app.sessions.size }).toEqual({ what, size: 0 })
  }
})
