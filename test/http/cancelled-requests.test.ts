/**
 * A legacy session's request the client cancels (`notifications/cancelled`), QA round 31. SDK
 * clients (v1, and v2 in the legacy era, mcp-remote) cancel that way and go on reading the call's
 * stream. The reply waited for an answer that never comes (none is written for a cancelled request),
 * so the request stayed in flight for good: its session busy (never evicted, never expired), the
 * shutdown waiting out its grace and then answering an id the client had forgotten ("Received a
 * response for an unknown message ID"). Now the reply is over once nothing else is pending.
 */
import { afterEach, expect, test } from "bun:test"
import type { ToolDef } from "../../src/mcp/index.ts"
import { INIT, authHeaders, makeApp, post, waitTool, type TestApp } from "./helpers.ts"

let t: TestApp | undefined
afterEach(async () => {
  await t?.app[Symbol.asyncDispose]()
  t = undefined
})

async function session(app: TestApp["app"], accept?: string): Promise<Record<string, string>> {
  const init = await post(app, { ...INIT, params: { ...INIT.params, protocolVersion: "2025-11-25" } })
  expect(init.status).toBe(200)
  await init.text()
  const h = authHeaders({ "mcp-session-id": init.headers.get("mcp-session-id")!, "mcp-protocol-version": "2025-11-25", ...(accept ? { accept } : {}) })
  expect((await post(app, { jsonrpc: "2.0", method: "notifications/initialized" }, h)).status).toBe(202)
  return h
}

const cancel = (app: TestApp["app"], h: Record<string, string>, requestId: number) => post(app, { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId, reason: "user" } }, h)

test("a call cancelled on its open stream is no longer in flight: its session can make room; the stream carries no answer and ends with the session", async () => {
  const w = waitTool()
  t = makeApp({ extraTools: [w.tool as unknown as ToolDef], maxSessions: 1 })
  const h = await session(t.app)
  // a progress token: the answer is a stream from the start (the SDK clients' case)
  const call = await post(t.app, { jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "wait_forever", arguments: {}, _meta: { progressToken: "p" } } }, h)
  await w.events.started
  if (call.headers.get("content-type") !== "text/event-stream") while (t.app.inFlight() === 0) await Bun.sleep(5)
  expect(t.app.inFlight()).toBe(1)
  expect((await cancel(t.app, h, 9)).status).toBe(202)
  expect(String(await w.events.aborted)).toContain("cancelled by client: user")
  expect(t.app.inFlight()).toBe(0)
  // the session is idle now: a new one closes it to make room (it was "every one busy": 503)
  const next = await post(t.app, INIT)
  expect(next.status).toBe(200)
  await next.text()
  const text = await call.text()
  expect(text).not.toContain('"id":9')
})

test("cancelled before any stream: a single request's POST gets 202 and no body; a batch's gets the answers it has", async () => {
  const w = waitTool()
  t = makeApp({ extraTools: [w.tool as unknown as ToolDef] })
  // a client that takes JSON only never gets a stream
  const h = await session(t.app, "application/json")
  const pending = post(t.app, { jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "wait_forever", arguments: {} } }, h)
  await w.events.started
  expect((await cancel(t.app, h, 4)).status).toBe(202)
  expect(t.app.inFlight()).toBe(0)
  const res = await pending
  expect(res.status).toBe(202)
  expect(await res.text()).toBe("")

  // a batch (served by the face's dispatch, not the call lane): the quick answer comes, the cancelled one does not
  const w2 = waitTool()
  await t.app[Symbol.asyncDispose]()
  t = makeApp({ extraTools: [w2.tool as unknown as ToolDef] })
  const h2 = await session(t.app, "application/json")
  const batch = post(t.app, [
    { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "wait_forever", arguments: {} } },
    { jsonrpc: "2.0", id: 2, method: "tools/list" },
  ], h2)
  await w2.events.started
  while (t.app.inFlight() === 0) await Bun.sleep(5)
  expect((await cancel(t.app, h2, 1)).status).toBe(202)
  const answers = (await (await batch).json()) as { id: number; result?: unknown }[]
  expect(answers.map((a) => a.id)).toEqual([2])
  expect(t.app.inFlight()).toBe(0)
})

test("a cancellation sent in a batch with requests ends its request too", async () => {
  const w = waitTool()
  t = makeApp({ extraTools: [w.tool as unknown as ToolDef] })
  const h = await session(t.app, "application/json")
  const pending = post(t.app, { jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "wait_forever", arguments: {} } }, h)
  await w.events.started
  const batch = await post(t.app, [
    { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 4, reason: "user" } },
    { jsonrpc: "2.0", id: 5, method: "tools/list" },
  ], h)
  expect(((await batch.json()) as { id: number }[]).map((a) => a.id)).toEqual([5])
  expect(String(await w.events.aborted)).toContain("cancelled by client: user")
  expect((await pending).status).toBe(202)
  expect(t.app.inFlight()).toBe(0)
})
