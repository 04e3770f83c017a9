/**
 * Both protocol eras on one /mcp, in process (createHttpApp over real faces, `app.request`): how an
 * answer is framed (JSON when it is quick and alone, a stream when progress comes first), the legacy
 * session's batch, GET stream and DELETE, and the modern lane's shared face (ids of different
 * clients never meet), `subscriptions/listen`, notifications and headers.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { z } from "zod"
import { silentLogger } from "../../src/core/index.ts"
import { createHttpApp, Metrics } from "../../src/http/index.ts"
import { createMcpFace, defineTool, statusTool, type ToolDef } from "../../src/mcp/index.ts"
import type { ListKind } from "../../src/proxy/index.ts"
import { BASE, INIT, authHeaders, fakeStatus, makeApp, post, TOKEN, waitTool, type TestApp, openSession } from "./helpers.ts"

const V = "2026-07-28"
const ENVELOPE = { "io.modelcontextprotocol/protocolVersion": V, "io.modelcontextprotocol/clientCapabilities": {} }

const steps = defineTool({
  name: "steps",
  title: "Steps",
  description: "Reports two progress steps, then answers.",
  input: z.object({}),
  async handler(_a, ctx) {
    await ctx.progress(1, 2)
    await ctx.progress(2, 2)
    return { text: "stepped" }
  },
}) as unknown as ToolDef

let t: TestApp
afterEach(async () => {
  await t?.app[Symbol.asyncDispose]()
})

/** An app whose faces report the list changes fired through `listeners`. */
function appWithChanges(listeners: Set<(k: ListKind) => void>): TestApp {
  const tools = [statusTool(async () => fakeStatus()) as ToolDef]
  const metrics = new Metrics({ defaultMetrics: false })
  const app = createHttpApp({
    createFace: () => createMcpFace({ log: silentLogger, tools, onListChanged: (l) => (listeners.add(l), () => listeners.delete(l)) }),
    status: async () => fakeStatus(),
    metrics,
    tools,
    token: TOKEN,
    bodyLimit: 64 * 1024,
    log: silentLogger,
  })
  return { app, metrics, faces: 0 }
}

function modern(method: string, params: Record<string, unknown> = {}, id: number | string = 1, headers: Record<string, string> = {}): Promise<Response> {
  const name = (params.name ?? params.uri) as string | undefined
  return post(t.app, { jsonrpc: "2.0", id, method, params: { _meta: ENVELOPE, ...params } }, authHeaders({ "mcp-protocol-version": V, "mcp-method": method, ...(name ? { "mcp-name": name } : {}), ...headers }))
}

/** The JSON-RPC messages of an SSE body. */
async function events(res: Response): Promise<Record<string, unknown>[]> {
  const text = await res.text()
  return text
    .split("\n")
    .filter((l) => l.startsWith("data: "))
    .map((l) => JSON.parse(l.slice(6)) as Record<string, unknown>)
}

/** A session opened with a raw initialize: its request headers (helpers `openSession`). */
const session = (): Promise<Record<string, string>> => openSession(t.app)

describe("legacy era (sessions)", () => {
  test("a quick call is answered as JSON; a call with progress as a stream that ends with the answer", async () => {
    t = makeApp({ extraTools: [steps] })
    const h = await session()
    const quick = await post(t.app, { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "orchestrator_status", arguments: {} } }, h)
    expect(quick.headers.get("content-type")).toBe("application/json")
    expect(((await quick.json()) as { id: number; result: unknown }).id).toBe(2)
    const res = await post(t.app, { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "steps", arguments: {}, _meta: { progressToken: "p" } } }, h)
    expect(res.headers.get("content-type")).toContain("text/event-stream")
    const msgs = await events(res)
    expect(msgs.map((m) => m.method ?? "answer")).toEqual(["notifications/progress", "notifications/progress", "answer"])
    expect(msgs[2]).toMatchObject({ id: 3, result: { content: [{ type: "text", text: "stepped" }] } })
  })

  test("a batch gets an array; GET opens one stream per session (a second replaces the first, QA round 31: it was 409); DELETE ends the session", async () => {
    t = makeApp()
    const h = await session()
    const batch = await post(t.app, [{ jsonrpc: "2.0", id: 1, method: "tools/list" }, { jsonrpc: "2.0", id: 2, method: "ping" }], h)
    const answers = (await batch.json()) as { id: number }[]
    expect(answers.map((a) => a.id).sort()).toEqual([1, 2])
    const ac = new AbortController()
    const get = await t.app.request(`${BASE}/mcp`, { headers: { ...h, accept: "text/event-stream" }, signal: ac.signal })
    expect(get.status).toBe(200)
    expect(get.headers.get("content-type")).toContain("text/event-stream")
    // a client reconnecting while its old connection does not look dropped here yet (a network gone: no FIN)
    const again = await t.app.request(`${BASE}/mcp`, { headers: { ...h, accept: "text/event-stream" } })
    expect(again.status).toBe(200)
    expect(again.headers.get("content-type")).toContain("text/event-stream")
    // the first one ended (its body ends); the session's messages go to the new one (next test)
    expect(await get.text()).not.toContain("event: message")
    ac.abort()
    await again.body?.cancel()
    const del = await t.app.request(`${BASE}/mcp`, { method: "DELETE", headers: h })
    expect(del.status).toBe(200)
    expect((await post(t.app, { jsonrpc: "2.0", id: 4, method: "tools/list" }, h)).status).toBe(404)
  })

  test("too many open sessions, all busy: initialize gets 503 until one is closed (idle ones are evicted: session-eviction.test.ts)", async () => {
    const w = waitTool()
    t = makeApp({ maxSessions: 2, extraTools: [w.tool] })
    const a = await session()
    const b = await session()
    // a session with a request in flight is busy (an open GET stream alone is not: session-eviction.test.ts)
    const calls = [a, b].map((h) => post(t.app, { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "wait_forever", arguments: {} } }, h))
    while (t.app.inFlight() < 2) await Bun.sleep(5)
    const third = await post(t.app, INIT)
    expect(third.status).toBe(503)
    expect(((await third.json()) as { error: { message: string } }).error.message).toContain("Too many open sessions (2), every one busy")
    await t.app.request(`${BASE}/mcp`, { method: "DELETE", headers: a })
    expect((await post(t.app, INIT)).status).toBe(200)
    await t.app.request(`${BASE}/mcp`, { method: "DELETE", headers: b })
    await Promise.all(calls)
  })

  test("a list change reaches the session's GET stream", async () => {
    const listeners = new Set<(k: ListKind) => void>()
    t = appWithChanges(listeners)
    const h = await session()
    expect((await post(t.app, { jsonrpc: "2.0", method: "notifications/initialized" }, h)).status).toBe(202)
    const get = await t.app.request(`${BASE}/mcp`, { headers: { ...h, accept: "text/event-stream" } })
    const reader = get.body!.getReader()
    const dec = new TextDecoder()
    let text = dec.decode((await reader.read()).value)
    for (const l of listeners) l("tools")
    while (!text.includes("list_changed")) text += dec.decode((await reader.read()).value)
    expect(text).toContain('"method":"notifications/tools/list_changed"')
    await reader.cancel()
  })

  test("a list change while no GET stream is open (before the client opened it, or while it reconnects) reaches the next one, once per kind", async () => {
    const listeners = new Set<(k: ListKind) => void>()
    t = appWithChanges(listeners)
    const h = await session()
    expect((await post(t.app, { jsonrpc: "2.0", method: "notifications/initialized" }, h)).status).toBe(202)
    for (const k of ["tools", "prompts", "tools"] as const) for (const l of listeners) l(k)
    const dec = new TextDecoder()
    const first = await t.app.request(`${BASE}/mcp`, { headers: { ...h, accept: "text/event-stream" } })
    const reader = first.body!.getReader()
    let text = ""
    while (!text.includes("prompts/list_changed") || !text.includes("tools/list_changed")) text += dec.decode((await reader.read()).value)
    await reader.cancel()
    // the client lists again (what it was told is caught up with); the stream dropped: a change meanwhile waits for the reconnect
    for (const [id, method] of [[3, "tools/list"], [4, "prompts/list"]] as const) expect((await post(t.app, { jsonrpc: "2.0", id, method }, h)).status).toBe(200)
    for (const l of listeners) l("resources")
    const second = await t.app.request(`${BASE}/mcp`, { headers: { ...h, accept: "text/event-stream" } })
    const again = second.body!.getReader()
    let more = ""
    while (!more.includes("resources/list_changed")) more += dec.decode((await again.read()).value)
    await again.cancel()
    const methods = (x: string): string[] => [...x.matchAll(/"method":"([^"]+)"/g)].map((m) => m[1]!)
    expect(methods(text).sort()).toEqual(["notifications/prompts/list_changed", "notifications/tools/list_changed"])
    expect(methods(more)).toEqual(["notifications/resources/list_changed"])
  })

  test("a list change written on a GET stream is sent again on the next one until the client lists that kind (the first connection may have been dead)", async () => {
    const listeners = new Set<(k: ListKind) => void>()
    t = appWithChanges(listeners)
    const h = await session()
    expect((await post(t.app, { jsonrpc: "2.0", method: "notifications/initialized" }, h)).status).toBe(202)
    const dec = new TextDecoder()
    /** A new GET stream (replacing the one open) read until `until` came. */
    const stream = async (until: string, change?: ListKind): Promise<string> => {
      const res = await t.app.request(`${BASE}/mcp`, { headers: { ...h, accept: "text/event-stream" } })
      const reader = res.body!.getReader()
      let text = dec.decode((await reader.read()).value)
      if (change) for (const l of listeners) l(change)
      while (!text.includes(until)) text += dec.decode((await reader.read()).value)
      await reader.cancel()
      return text
    }
    const methods = (x: string): string[] => [...x.matchAll(/"method":"([^"]+)"/g)].map((m) => m[1]!)
    // written on a stream whose connection (say) was dead: the client never saw it, never listed
    expect(methods(await stream("tools/list_changed", "tools"))).toEqual(["notifications/tools/list_changed"])
    // its reconnect gets it again
    expect(methods(await stream("tools/list_changed"))).toEqual(["notifications/tools/list_changed"])
    // once it listed tools, a new stream carries only what is new
    expect((await post(t.app, { jsonrpc: "2.0", id: 5, method: "tools/list" }, h)).status).toBe(200)
    expect(methods(await stream("prompts/list_changed", "prompts"))).toEqual(["notifications/prompts/list_changed"])
  })

  test("a GET stream reopened while the first still looks open (QA round 31: 409) takes the session's messages; the first ends", async () => {
    const listeners = new Set<(k: ListKind) => void>()
    t = appWithChanges(listeners)
    const h = await session()
    expect((await post(t.app, { jsonrpc: "2.0", method: "notifications/initialized" }, h)).status).toBe(202)
    const first = await t.app.request(`${BASE}/mcp`, { headers: { ...h, accept: "text/event-stream" } })
    const second = await t.app.request(`${BASE}/mcp`, { headers: { ...h, accept: "text/event-stream" } })
    expect(second.status).toBe(200)
    expect(await first.text()).toBe(": stream\n\n")
    const reader = second.body!.getReader()
    const dec = new TextDecoder()
    let text = dec.decode((await reader.read()).value)
    for (const l of listeners) l("tools")
    while (!text.includes("list_changed")) text += dec.decode((await reader.read()).value)
    expect(text).toContain('"method":"notifications/tools/list_changed"')
    await reader.cancel()
  })

  test("notifications/cancelled from the client cancels a call served in the lane", async () => {
    let aborted: unknown
    const wait = defineTool({
      name: "wait",
      title: "Wait",
      description: "Waits until cancelled.",
      input: z.object({}),
      handler: (_a, ctx) =>
        new Promise<{ text: string }>((resolve) => {
          ctx.signal.addEventListener("abort", () => {
            aborted = ctx.signal.reason
            resolve({ text: "cancelled" })
          })
        }),
    }) as unknown as ToolDef
    t = makeApp({ extraTools: [wait] })
    const h = await session()
    const call = post(t.app, { jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "wait", arguments: {} } }, h)
    await Bun.sleep(50)
    const note = await post(t.app, { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 9, reason: "user" } }, h)
    expect(note.status).toBe(202)
    await Bun.sleep(20)
    expect(String(aborted)).toContain("cancelled by client: user")
    ;(await call).body?.cancel()
  })
})

describe("modern era (stateless)", () => {
  test("no session; requests of different clients with the same id each get their own answer", async () => {
    t = makeApp()
    const answers = await Promise.all([1, 2, 3, 4].map(() => modern("tools/list", {}, 1).then((r) => r.json() as Promise<{ id: number; result: { tools: unknown[]; resultType: string; ttlMs: number } }>)))
    for (const a of answers) expect(a).toMatchObject({ id: 1, result: { resultType: "complete", ttlMs: 0, cacheScope: "private" } })
    expect(t.app.sessions.size).toBe(0)
    expect(t.faces).toBe(1) // one face serves every modern request of this path
  })

  test("a call with progress is streamed; a session id on a modern request is ignored; Base64 Mcp-Name is decoded", async () => {
    t = makeApp({ extraTools: [steps] })
    const res = await modern("tools/call", { name: "steps", arguments: {}, _meta: { ...ENVELOPE, progressToken: 7 } }, "s", { "mcp-session-id": "whatever" })
    expect(res.status).toBe(200)
    const raw = await res.clone().text()
    expect(raw).not.toMatch(/^(id|retry):/m) // no resumption in this era: no event ids, no priming event
    const msgs = await events(res)
    expect(msgs.filter((m) => m.method === "notifications/progress")).toHaveLength(2)
    expect(msgs.at(-1)).toMatchObject({ id: "s", result: { resultType: "complete", content: [{ text: "stepped" }] } })
    const b64 = await modern("tools/call", { name: "steps", arguments: {} }, 2, { "mcp-name": `=?base64?${btoa("steps")}?=` })
    expect(b64.status).toBe(200)
    await b64.text()
  })

  test("Mcp-Name is decoded by the SDK's Mcp-Param rules: a non-canonical or undecodable Base64 value is -32020, a lookalike sentinel is a plain name", async () => {
    const utf8 = { ...steps, name: "stépş" }
    t = makeApp({ extraTools: [steps, utf8] })
    const ok = await modern("tools/call", { name: "stépş", arguments: {} }, 1, { "mcp-name": `=?base64?${Buffer.from("stépş").toString("base64")}?=` })
    expect(ok.status).toBe(200)
    await ok.text()
    const bad = [
      `=?base64?${btoa("steps").replace(/=+$/, "")}?=`, // padding dropped: not canonical
      "=?base64?c3RlcHM*?=", // not Base64 at all
      `=?base64?${Buffer.from([0xff, 0xfe]).toString("base64")}?=`, // not UTF-8
    ]
    for (const header of bad) {
      const res = await modern("tools/call", { name: "steps", arguments: {} }, 2, { "mcp-name": header })
      expect(res.status).toBe(400)
      expect(((await res.json()) as { error: { code: number; message: string } }).error).toMatchObject({ code: -32020, message: expect.stringContaining("invalid Base64") })
    }
    // the sentinel is case-sensitive: "=?BASE64?…?=" is a name of its own, which is not the body's
    const upper = await modern("tools/call", { name: "steps", arguments: {} }, 3, { "mcp-name": `=?BASE64?${btoa("steps")}?=` })
    expect(upper.status).toBe(400)
    expect(((await upper.json()) as { error: { message: string } }).error.message).toContain("does not match")
  })

  test("subscriptions/listen: acknowledged first, then the face's list changes tagged with the listen id", async () => {
    const listeners = new Set<(k: ListKind) => void>()
    t = appWithChanges(listeners)
    const res = await modern("subscriptions/listen", { notifications: { toolsListChanged: true } }, "L")
    expect(res.headers.get("content-type")).toContain("text/event-stream")
    const reader = res.body!.getReader()
    const dec = new TextDecoder()
    let text = ""
    while (!text.includes("acknowledged")) text += dec.decode((await reader.read()).value)
    for (const l of listeners) l("prompts") // not asked for
    for (const l of listeners) l("tools")
    while (!text.includes("list_changed")) text += dec.decode((await reader.read()).value)
    const msgs = text.split("\n").filter((l) => l.startsWith("data: ")).map((l) => JSON.parse(l.slice(6)) as { method: string; params: { _meta: Record<string, unknown> } })
    expect(msgs.map((m) => m.method)).toEqual(["notifications/subscriptions/acknowledged", "notifications/tools/list_changed"])
    for (const m of msgs) expect(m.params._meta["io.modelcontextprotocol/subscriptionId"]).toBe("L")
    await reader.cancel()
  })

  test("a modern notification is accepted (202), not a legacy 'session required' 400", async () => {
    t = makeApp()
    const res = await post(t.app, { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 3, _meta: ENVELOPE } }, authHeaders({ "mcp-protocol-version": V, "mcp-method": "notifications/cancelled" }))
    expect(res.status).toBe(202)
    // without the modern markers it is still a legacy request without a session
    expect((await post(t.app, { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 3 } })).status).toBe(400)
  })
})

describe("an initialize under a 2026-07-28 header (QA round 31)", () => {
  // it was served as a 2025 session, whose every later request, sent with the same header, was then
  // refused as an unsupported version; the SDK's createMcpHandler answers it -32020, HTTP 400
  test("is refused -32020 (HTTP 400) naming both eras and what to send, and opens no session", async () => {
    t = makeApp()
    for (const header of [V, " 2026-07-28 ", "2027-01-01"]) {
      const res = await post(t.app, INIT, authHeaders({ "mcp-protocol-version": header }))
      expect(res.status).toBe(400)
      expect(res.headers.get("mcp-session-id")).toBeNull()
      const j = (await res.json()) as { id: number; error: { code: number; message: string; data: { mismatch: { header: string; body: string } } } }
      expect(j.id).toBe(1)
      expect(j.error.code).toBe(-32020)
      expect(j.error.message).toContain('initialize (params.protocolVersion "2025-06-18") is the 2025 handshake')
      expect(j.error.message).toContain(`MCP-Protocol-Version header names ${header.trim()}`)
      expect(j.error.data.mismatch).toEqual({ header: header.trim(), body: "initialize" })
    }
    // with a session id too (a client re-initializing with the header of its last connection)
    const again = await post(t.app, INIT, authHeaders({ "mcp-protocol-version": V, "mcp-session-id": crypto.randomUUID() }))
    expect(again.status).toBe(400)
    expect(((await again.json()) as { error: { code: number } }).error.code).toBe(-32020)
    expect(t.app.sessions.size).toBe(0)
    // a 2025 header, or none, is the handshake as always
    for (const h of [authHeaders({ "mcp-protocol-version": "2025-06-18" }), authHeaders()]) {
      const ok = await post(t.app, INIT, h)
      expect(ok.status).toBe(200)
      expect(ok.headers.get("mcp-session-id")).not.toBeNull()
      await ok.text()
    }
    // with the 2026-07-28 _meta it is a modern request for a removed method: 404 -32601, as before
    const removed = await modern("initialize", { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } })
    expect(removed.status).toBe(404)
    expect(((await removed.json()) as { error: { code: number } }).error.code).toBe(-32601)
  })
})
