/**
 * The lifecycle rule for our requests to a client (src/mcp/init-gate.ts), on the real face in-process:
 * a downstream's sampling/roots/elicitation relayed before the client's `notifications/initialized`
 * is held, then sent in order once it comes; held within its own deadline (a client that never
 * initializes gets it refused with an error saying why); cancelled by its signal; refused when the
 * connection closes. Over stdio/the SDK path (`link.request`) and over Streamable HTTP (a lane call's
 * request on its own stream).
 */
import { afterEach, describe, expect, test } from "bun:test"
import { InMemoryTransport, type JSONRPCMessage } from "@modelcontextprotocol/client"
import { silentLogger } from "../../src/core/index.ts"
import { createMcpFace, type McpFace } from "../../src/mcp/index.ts"
import type { CallContext, Upstream } from "../../src/proxy/index.ts"
import { authHeaders, makeApp, post, type TestApp } from "../http/helpers.ts"

type Msg = { id?: string | number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: { code: number; message: string } }

let face: McpFace | undefined
let t: TestApp | undefined
afterEach(async () => {
  face?.dispose()
  face = undefined
  await t?.app[Symbol.asyncDispose]()
  t = undefined
})

/** The face over an in-memory pair; `seen` is everything it sent, in order. */
async function connect() {
  const f = (face = createMcpFace({ log: silentLogger, tools: [] }))
  const [a, b] = InMemoryTransport.createLinkedPair()
  await f.server.connect(a)
  const seen: Msg[] = []
  const waiting = new Map<unknown, (m: Msg) => void>()
  b.onmessage = (m) => {
    seen.push(m as Msg)
    const id = (m as Msg).id
    if ((m as Msg).method === undefined) waiting.get(id)?.(m as Msg)
  }
  await b.start()
  let n = 0
  const ask = (method: string, params?: unknown): Promise<Msg> =>
    new Promise((resolve) => {
      const id = `c${++n}`
      waiting.set(id, resolve)
      void b.send({ jsonrpc: "2.0", id, method, ...(params !== undefined ? { params } : {}) } as JSONRPCMessage)
    })
  const notify = (method: string): Promise<void> => b.send({ jsonrpc: "2.0", method } as JSONRPCMessage)
  const answer = (id: string | number, result: Record<string, unknown>): Promise<void> => b.send({ jsonrpc: "2.0", id, result } as JSONRPCMessage)
  const requests = (): Msg[] => seen.filter((m) => m.method !== undefined && m.id !== undefined)
  const init = await ask("initialize", { protocolVersion: "2025-11-25", capabilities: { sampling: {}, roots: {}, elicitation: { form: {} } }, clientInfo: { name: "t", version: "1" } })
  expect(init.error).toBeUndefined()
  return { face: f, ask, notify, answer, requests, close: () => b.close() }
}

describe("requests to a client that has not sent notifications/initialized", () => {
  test("are held, then sent in the order asked for once it comes; each settles with the client's answer", async () => {
    const c = await connect()
    const roots = c.face.link.request("roots/list", undefined, { timeoutMs: 30_000 })
    const sampling = c.face.link.request("sampling/createMessage", { messages: [], maxTokens: 1 }, { timeoutMs: 30_000 })
    const elicit = c.face.link.request("elicitation/create", { mode: "form", message: "m", requestedSchema: { type: "object", properties: {} } }, { timeoutMs: 30_000 })
    // a round trip after them: nothing was sent
    expect((await c.ask("ping")).result).toEqual({})
    expect(c.requests()).toEqual([])
    await c.notify("notifications/initialized")
    await c.ask("ping")
    const sent = c.requests()
    expect(sent.map((m) => m.method)).toEqual(["roots/list", "sampling/createMessage", "elicitation/create"])
    await c.answer(sent[0]!.id!, { roots: [{ uri: "file:///r" }] })
    await c.answer(sent[1]!.id!, { role: "assistant", content: { type: "text", text: "s" }, model: "m" })
    await c.answer(sent[2]!.id!, { action: "decline" })
    expect(await roots).toEqual({ roots: [{ uri: "file:///r" }] })
    expect(((await sampling) as { model: string }).model).toBe("m")
    expect(await elicit).toEqual({ action: "decline" })
  })

  test("a client that never initializes: refused when the request's deadline passes, with the reason; nothing sent", async () => {
    const c = await connect()
    const err = await c.face.link.request("roots/list", undefined, { timeoutMs: 100 }).then(
      () => undefined,
      (e: unknown) => e as { code?: number; message?: string },
    )
    expect(err?.code).toBe(-32001)
    expect(err?.message).toContain("roots/list was not sent to the client: the client did not finish initializing (no notifications/initialized)")
    // sent late, it is not sent at all (the requester has its answer)
    await c.notify("notifications/initialized")
    await c.ask("ping")
    expect(c.requests()).toEqual([])
  })

  test("its signal cancels a held request; the rest go out when the client initializes", async () => {
    const c = await connect()
    const ac = new AbortController()
    const cancelled = c.face.link.request("sampling/createMessage", { messages: [], maxTokens: 1 }, { timeoutMs: 30_000, signal: ac.signal })
    const kept = c.face.link.request("roots/list", undefined, { timeoutMs: 30_000 })
    ac.abort(new Error("the downstream cancelled it"))
    expect(await cancelled.catch((e: Error) => e.message)).toBe("the downstream cancelled it")
    await c.notify("notifications/initialized")
    await c.ask("ping")
    const sent = c.requests()
    expect(sent.map((m) => m.method)).toEqual(["roots/list"])
    await c.answer(sent[0]!.id!, { roots: [] })
    expect(await kept).toEqual({ roots: [] })
  })

  test("the connection closing refuses what is held", async () => {
    const c = await connect()
    const held = c.face.link.request("roots/list", undefined, { timeoutMs: 30_000 })
    await c.close()
    expect(await held.catch((e: Error) => e.message)).toContain("the connection closed before the client finished initializing")
  })
})

describe("over Streamable HTTP: a lane call's request to the client", () => {
  /** A session whose face's upstream asks the client for sampling during each call (on the call's own stream). */
  function session(timeoutMs: number) {
    let asked!: () => void
    const events = { asked: new Promise<void>((r) => (asked = r)) }
    const upstream = {
      listTools: async () => [{ name: "ask_llm", inputSchema: { type: "object" } }],
      listPrompts: async () => [],
      listResources: async () => [],
      listResourceTemplates: async () => [],
      onListChanged: () => () => {},
      callTool: async (_name: string, _args: unknown, ctx: CallContext) => {
        const p = ctx.request!("sampling/createMessage", { messages: [], maxTokens: 1 }, { timeoutMs, signal: ctx.signal })
        asked()
        try {
          const r = (await p) as { model: string }
          return { content: [{ type: "text", text: `sampled: ${r.model}` }] }
        } catch (e) {
          return { content: [{ type: "text", text: `not sampled: ${(e as Error).message}` }], isError: true }
        }
      },
    } as unknown as Upstream
    t = makeApp({ createFace: () => createMcpFace({ log: silentLogger, tools: [], upstream }) })
    return { app: t.app, events }
  }
  const init = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: { sampling: {} }, clientInfo: { name: "t", version: "1" } } }
  const messages = (body: string): Msg[] =>
    body
      .split("\n")
      .filter((l) => l.startsWith("data:") && l.slice(5).trim())
      .map((l) => JSON.parse(l.slice(5)) as Msg)

  test("never initialized: nothing reaches the client, the call gets the reason when the deadline passes", async () => {
    const { app } = session(150)
    const res = await post(app, init)
    const sid = res.headers.get("mcp-session-id")!
    await res.text()
    const h = authHeaders({ "mcp-session-id": sid, "mcp-protocol-version": "2025-11-25" })
    const call = await post(app, { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "ask_llm", arguments: {} } }, h)
    const body = await call.text()
    const all = call.headers.get("content-type")?.includes("json") ? [JSON.parse(body) as Msg] : messages(body)
    expect(all.filter((m) => m.method === "sampling/createMessage")).toEqual([])
    const answer = all.find((m) => m.id === 2)!
    expect(JSON.stringify(answer.result)).toContain("did not finish initializing (no notifications/initialized)")
  })

  test("initialized later: the held request then goes on the call's stream, and the call completes", async () => {
    const { app, events } = session(30_000)
    const res = await post(app, init)
    const sid = res.headers.get("mcp-session-id")!
    await res.text()
    const h = authHeaders({ "mcp-session-id": sid, "mcp-protocol-version": "2025-11-25" })
    const call = await post(app, { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "ask_llm", arguments: {} } }, h)
    await events.asked
    expect((await post(app, { jsonrpc: "2.0", method: "notifications/initialized" }, h)).status).toBe(202)
    const reader = call.body!.getReader()
    const dec = new TextDecoder()
    let text = ""
    let request: Msg | undefined
    while (!request) {
      const { value, done } = await reader.read()
      if (done) break
      text += dec.decode(value)
      request = messages(text).find((m) => m.method === "sampling/createMessage")
    }
    expect(request).toBeDefined()
    expect((await post(app, { jsonrpc: "2.0", id: request!.id, result: { role: "assistant", content: { type: "text", text: "x" }, model: "m1" } }, h)).status).toBe(202)
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      text += dec.decode(value)
    }
    expect(JSON.stringify(messages(text).find((m) => m.id === 2)?.result)).toContain("sampled: m1")
  })
})
