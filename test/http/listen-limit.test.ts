/**
 * 2026-07-28 `subscriptions/listen` streams are bounded per endpoint (QA round 7a; the SDK's handler
 * allows 1024): past the limit a listen is refused with a JSON-RPC error saying so (-32603, as the
 * SDK answers) instead of holding one more stream and registry without end; closing one frees its place.
 * QA round 31: a client that left without closing (stopped, suspended, its network gone: no FIN)
 * held its places for good, so a full table refused every new listen. Now a full table closes the
 * oldest listen open for the grace at least (one whose reader takes nothing first), its stream ending
 * with an error saying why; only a table of listens all younger than the grace refuses.
 */
import { afterEach, expect, test } from "bun:test"
import { createLogger, createLogHub } from "../../src/core/index.ts"
import { authHeaders, BASE, makeApp, type TestApp } from "./helpers.ts"

let t: TestApp | undefined
afterEach(async () => {
  await t?.app[Symbol.asyncDispose]()
  t = undefined
})

const META = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} }

async function listen(app: TestApp["app"], id: number): Promise<Response> {
  return await app.request(`${BASE}/mcp`, {
    method: "POST",
    headers: authHeaders({ "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2026-07-28", "mcp-method": "subscriptions/listen" }),
    body: JSON.stringify({ jsonrpc: "2.0", id, method: "subscriptions/listen", params: { _meta: META, notifications: { toolsListChanged: true } } }),
  })
}

test("past maxListens a listen is refused naming the limit; closing one makes room", async () => {
  t = makeApp({ maxListens: 2 })
  const open = [await listen(t.app, 1), await listen(t.app, 2)]
  for (const r of open) expect(r.headers.get("content-type")).toStartWith("text/event-stream")
  const refused = await listen(t.app, 3)
  expect(refused.headers.get("content-type")).toStartWith("application/json")
  const j = (await refused.json()) as { id: number; error: { code: number; message: string } }
  expect(j.id).toBe(3)
  expect(j.error.code).toBe(-32603)
  expect(j.error.message).toContain("Subscription limit reached: 2 subscriptions/listen streams are open")
  await open[0]!.body!.cancel()
  const again = await listen(t.app, 4)
  expect(again.headers.get("content-type")).toStartWith("text/event-stream")
  await again.body!.cancel()
  await open[1]!.body!.cancel()
})

/** The first chunk of an SSE body (the acknowledgement): the reader has taken what was written so far. */
async function readAck(r: Response) {
  const reader = r.body!.getReader()
  const { value } = await reader.read()
  expect(new TextDecoder().decode(value)).toContain("notifications/subscriptions/acknowledged")
  return reader
}

/** Everything left on a stream, until it ends. */
async function rest(reader: { read(): Promise<{ value?: Uint8Array; done: boolean }> }): Promise<string> {
  let text = ""
  const dec = new TextDecoder()
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return text
    text += dec.decode(value, { stream: true })
  }
}

test("a full table closes the oldest listen to make room (its stream ends with an error saying so, logged at info); the new listen is served", async () => {
  const lines: string[] = []
  t = makeApp({ maxListens: 2, listenGraceMs: 0, log: createLogger(createLogHub("info", (l) => lines.push(l)), "http") })
  const a = await readAck(await listen(t.app, 1))
  const b = await readAck(await listen(t.app, 2))
  const c = await listen(t.app, 3)
  expect(c.headers.get("content-type")).toStartWith("text/event-stream")
  const ended = await rest(a)
  const last = JSON.parse(ended.trim().split("\n").filter((l) => l.startsWith("data: ")).pop()!.slice(6)) as { id: number; error: { code: number; message: string } }
  expect(last.id).toBe(1)
  expect(last.error.code).toBe(-32603)
  expect(last.error.message).toContain("Subscription closed to make room: 2 subscriptions/listen streams were open")
  expect(last.error.message).toContain("Listen again")
  expect(lines.some((l) => l.includes('"msg":"subscriptions/listen closed to make room"') && l.includes('"level":"info"') && l.includes('"maxListens":2'))).toBe(true)
  // a client that listens again gets a place again (the oldest, b, makes room now)
  const cr = await readAck(c)
  const again = await listen(t.app, 4)
  expect(again.headers.get("content-type")).toStartWith("text/event-stream")
  expect(await rest(b)).toContain("Subscription closed to make room")
  await again.body!.cancel()
  await cr.cancel()
})

test("a listen whose reader takes nothing (a stopped client) makes room first; older listens that read are kept", async () => {
  t = makeApp({ maxListens: 3, listenGraceMs: 0 })
  const a = await readAck(await listen(t.app, 1))
  const stalled = await listen(t.app, 2) // its acknowledgement is never read
  const c = await readAck(await listen(t.app, 3))
  const d = await listen(t.app, 4)
  expect(d.headers.get("content-type")).toStartWith("text/event-stream")
  const text = await stalled.text()
  expect(text).toContain("notifications/subscriptions/acknowledged")
  expect(text).toContain("this was the oldest whose stream was not being read")
  // a is still open: the next one to make room (d's acknowledgement read, so nothing is unread)
  const dr = await readAck(d)
  const e = await listen(t.app, 5)
  expect(e.headers.get("content-type")).toStartWith("text/event-stream")
  expect(await rest(a)).toContain("Subscription closed to make room")
  await c.cancel()
  await dr.cancel()
  await e.body!.cancel()
})

test("a table of listens all younger than the grace refuses, saying so and what to do", async () => {
  t = makeApp({ maxListens: 1, listenGraceMs: 60_000 })
  const a = await listen(t.app, 1)
  const refused = await listen(t.app, 2)
  const j = (await refused.json()) as { id: number; error: { code: number; message: string } }
  expect(j.id).toBe(2)
  expect(j.error.code).toBe(-32603)
  expect(j.error.message).toContain("every one opened within the last 60 s")
  expect(j.error.message).toContain("retry later")
  await a.body!.cancel()
})
