/**
 * The face's own JSON-RPC layer (mcp/face-protocol), which replaced the SDK `Protocol` under the
 * face: what a client sees of dispatch, params checks, the 2026-07-28 wire-only material,
 * cancellation, our requests to the client (deadline, signal, progress, errors, results) and the end
 * of the connection. Driven over the SDK's in-memory transport pair, the other end written by hand.
 */
import { describe, expect, test } from "bun:test"
import { InMemoryTransport, type JSONRPCMessage } from "@modelcontextprotocol/client"
import { z } from "zod"
import { FaceProtocol, type FaceContext } from "../../src/mcp/face-protocol.ts"
import { GET_PROMPT, RESOURCE } from "../../src/mcp/face-params.ts"
import { ClientRequestError, RpcAnswerError } from "../../src/mcp/rpc-answer.ts"

type Msg = Record<string, any>
const ENVELOPE = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} }
const Any = z.looseObject({})

async function pair(setup: (p: FaceProtocol) => void = () => {}) {
  const p = new FaceProtocol()
  const errors: Error[] = []
  p.onerror = (e) => errors.push(e)
  setup(p)
  const [a, b] = InMemoryTransport.createLinkedPair()
  const seen: Msg[] = []
  const waiters: Array<{ test: (m: Msg) => boolean; resolve: (m: Msg) => void }> = []
  b.onmessage = (m) => {
    seen.push(m as Msg)
    for (const w of [...waiters]) if (w.test(m as Msg)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(m as Msg))
  }
  await p.connect(a)
  await b.start()
  const next = (test: (m: Msg) => boolean): Promise<Msg> => {
    const hit = seen.find(test)
    if (hit) return Promise.resolve(hit)
    return new Promise((resolve) => waiters.push({ test, resolve }))
  }
  return {
    p,
    b,
    seen,
    errors,
    send: (m: Msg) => b.send({ jsonrpc: "2.0", ...m } as JSONRPCMessage),
    ask: async (m: Msg) => {
      await b.send({ jsonrpc: "2.0", ...m } as JSONRPCMessage)
      return next((x) => x.id === m.id && x.method === undefined)
    },
    next,
  }
}

describe("face protocol: dispatch", () => {
  test("ping, an unknown method, and a 2026-only method are answered as the SDK answered them", async () => {
    const c = await pair((p) => p.setRequestHandler("server/discover", { params: RESOURCE }, () => ({})))
    expect((await c.ask({ id: 1, method: "ping" })).result).toEqual({})
    expect((await c.ask({ id: 2, method: "nope/x" })).error).toEqual({ code: -32601, message: "Method not found" })
    // a legacy connection has no server/discover, even with a handler registered
    expect((await c.ask({ id: 3, method: "server/discover", params: { uri: "u" } })).error?.code).toBe(-32601)
  })

  test("the fallback handler serves unregistered methods; params are checked by the handler's schema, naming the field", async () => {
    const c = await pair((p) => {
      p.fallbackRequestHandler = async (r) => ({ echoed: r.method })
      p.setRequestHandler("prompts/get", { params: GET_PROMPT }, (params) => ({ got: params.name }))
    })
    expect((await c.ask({ id: 1, method: "x/y" })).result).toEqual({ echoed: "x/y" })
    expect((await c.ask({ id: 2, method: "prompts/get", params: { name: "p" } })).result).toEqual({ got: "p" })
    const bad = await c.ask({ id: 3, method: "prompts/get", params: { name: 7 } })
    expect(bad.error).toEqual({ code: -32602, message: "Invalid params for prompts/get: name: expected string, received number" })
    const meta = await c.ask({ id: 4, method: "prompts/get", params: { name: "p", _meta: "x" } })
    expect(meta.error?.code).toBe(-32602)
    expect(meta.error?.message).toContain("_meta: expected object, received string")
    // null is taken as absent
    expect((await c.ask({ id: 5, method: "prompts/get", params: { name: "p", _meta: null } })).result).toEqual({ got: "p" })
  })

  test("thrown errors: an integer code goes out as thrown with its data, anything else is -32603 with its message", async () => {
    const c = await pair((p) => {
      p.setRequestHandler("resources/read", { params: RESOURCE }, (params) => {
        if (params.uri === "a") throw new RpcAnswerError(-32002, "Resource not found: a", { uri: "a" })
        if (params.uri === "b") throw new Error("boom")
        throw Object.assign(new Error("odd"), { code: "ENOENT" })
      })
    })
    expect((await c.ask({ id: 1, method: "resources/read", params: { uri: "a" } })).error).toEqual({ code: -32002, message: "Resource not found: a", data: { uri: "a" } })
    expect((await c.ask({ id: 2, method: "resources/read", params: { uri: "b" } })).error).toEqual({ code: -32603, message: "boom" })
    expect((await c.ask({ id: 3, method: "resources/read", params: { uri: "c" } })).error).toEqual({ code: -32603, message: "odd" })
    // a 2026-07-28 request (its envelope) gets that revision's -32602 for "not found"
    expect((await c.ask({ id: 4, method: "resources/read", params: { uri: "a", _meta: ENVELOPE } })).error?.code).toBe(-32602)
  })

  test("a result that cannot be written (the wire's JSON refuses it) is answered -32603 once, the cause to onerror", async () => {
    const p = new FaceProtocol()
    const errors: Error[] = []
    p.onerror = (e) => errors.push(e)
    p.setRequestHandler("resources/read", { params: RESOURCE }, (params) => (params.uri === "big" ? { n: 1n } : { ok: true }))
    const [a, b] = InMemoryTransport.createLinkedPair()
    // as a real transport writes: serialised on send (a BigInt throws)
    const send = a.send.bind(a)
    a.send = (m, o) => (JSON.stringify(m), send(m, o))
    const seen: Msg[] = []
    b.onmessage = (m) => void seen.push(m as Msg)
    await p.connect(a)
    await b.start()
    await b.send({ jsonrpc: "2.0", id: 1, method: "resources/read", params: { uri: "big" } } as JSONRPCMessage)
    await b.send({ jsonrpc: "2.0", id: 2, method: "resources/read", params: { uri: "fine" } } as JSONRPCMessage)
    for (let i = 0; i < 50 && seen.length < 2; i++) await Bun.sleep(0)
    const first = seen.filter((m) => m.id === 1)
    expect(first).toHaveLength(1)
    expect(first[0]!.error).toEqual({ code: -32603, message: "Internal error: the result of this resources/read could not be sent (the orchestrator's log says why)" })
    expect(seen.find((m) => m.id === 2)?.result).toEqual({ ok: true })
    expect(errors.map((e) => e.message).join()).toContain("Failed to send the result of resources/read")
  })

  test("the 2026-07-28 envelope and retry fields are lifted out of the params into the context", async () => {
    let seen: { params?: unknown; ctx?: FaceContext["mcpReq"] } = {}
    const c = await pair((p) => {
      p.fallbackRequestHandler = async (r, ctx) => {
        seen = { params: r.params, ctx: ctx.mcpReq }
        return {}
      }
    })
    await c.ask({ id: 1, method: "tools/list", params: { cursor: "c", inputResponses: { k: 1 }, requestState: "s", _meta: { ...ENVELOPE, progressToken: 5 } } })
    expect(seen.params).toEqual({ cursor: "c", _meta: { progressToken: 5 } })
    expect(seen.ctx?.envelope).toEqual(ENVELOPE)
    expect(seen.ctx?.inputResponses).toEqual({ k: 1 })
    expect(seen.ctx?.requestState).toBe("s")
    expect(seen.ctx?._meta).toEqual({ progressToken: 5 })
    // an envelope alone: `_meta` goes with it
    await c.ask({ id: 2, method: "tools/list", params: { _meta: ENVELOPE } })
    expect(seen.params).toEqual({})
    expect(seen.ctx?.envelope).toEqual(ENVELOPE)
  })

  test("a cancelled request gets no answer and its handler's signal aborts with the reason", async () => {
    let reason: unknown
    const c = await pair((p) => {
      p.fallbackRequestHandler = (_r, ctx) =>
        new Promise((resolve) => {
          ctx.mcpReq.signal.addEventListener("abort", () => {
            reason = ctx.mcpReq.signal.reason
            resolve({ late: true })
          })
        })
    })
    await c.send({ id: 9, method: "slow/thing" })
    await c.send({ method: "notifications/cancelled", params: { requestId: 9, reason: "user" } })
    // a ping after it is answered; the cancelled request never is
    expect((await c.ask({ id: 10, method: "ping" })).result).toEqual({})
    await Bun.sleep(20)
    expect(reason).toBe("user")
    expect(c.seen.some((m) => m.id === 9)).toBe(false)
  })

  test("notification handlers: params checked, a throwing one reported through onerror; 2026-only notifications dropped", async () => {
    const got: unknown[] = []
    const c = await pair((p) => {
      p.setNotificationHandler("notifications/roots/list_changed", { params: RESOURCE }, (params) => {
        got.push(params.uri)
      })
      p.setNotificationHandler("notifications/subscriptions/acknowledged", { params: RESOURCE }, () => {
        got.push("modern")
      })
    })
    await c.send({ method: "notifications/roots/list_changed", params: { uri: "x" } })
    await c.send({ method: "notifications/roots/list_changed", params: { uri: 1 } })
    await c.send({ method: "notifications/subscriptions/acknowledged", params: { uri: "y" } })
    await c.send({ method: "notifications/unknown" })
    await Bun.sleep(20)
    expect(got).toEqual(["x"])
    expect(c.errors.map((e) => e.message).join("\n")).toContain("Invalid params for notification notifications/roots/list_changed")
  })
})

describe("face protocol: our requests to the client", () => {
  test("a result resolves (resultType dropped); an error answer rejects with its code, message and data", async () => {
    const c = await pair()
    const first = c.p.request({ method: "roots/list" }, Any)
    const req = await c.next((m) => m.method === "roots/list")
    await c.send({ id: req.id, result: { roots: [], resultType: "complete" } })
    expect(await first).toEqual({ roots: [] })
    const second = c.p.request({ method: "sampling/createMessage", params: { x: 1 } }, Any)
    const req2 = await c.next((m) => m.method === "sampling/createMessage")
    expect(req2.id).not.toBe(req.id)
    await c.send({ id: req2.id, error: { code: -32600, message: "no", data: { d: 1 } } })
    const err = await second.catch((e) => e)
    expect(err).toBeInstanceOf(RpcAnswerError)
    expect([err.code, err.message, err.data]).toEqual([-32600, "no", { d: 1 }])
  })

  test("a result the schema refuses, or no object at all, rejects as INVALID_RESULT", async () => {
    const c = await pair()
    const strict = c.p.request({ method: "elicitation/create" }, z.object({ action: z.enum(["accept"]) }))
    const r = await c.next((m) => m.method === "elicitation/create")
    await c.send({ id: r.id, result: { action: "maybe" } })
    const e1 = await strict.catch((e) => e)
    expect(e1).toBeInstanceOf(ClientRequestError)
    expect(e1.code).toBe("INVALID_RESULT")
    const scalar = c.p.request({ method: "roots/list" }, Any)
    const r2 = await c.next((m) => m.method === "roots/list")
    await c.send({ id: r2.id, result: 5 })
    expect((await scalar.catch((e) => e)).code).toBe("INVALID_RESULT")
  })

  test("the deadline rejects with REQUEST_TIMEOUT and tells the client with notifications/cancelled; a late answer is an out-of-band error", async () => {
    const c = await pair()
    const err = await c.p.request({ method: "roots/list" }, Any, { timeout: 30 }).catch((e) => e)
    expect(err).toBeInstanceOf(ClientRequestError)
    expect([err.code, err.message]).toEqual(["REQUEST_TIMEOUT", "Request timed out"])
    const req = await c.next((m) => m.method === "roots/list")
    const cancel = await c.next((m) => m.method === "notifications/cancelled")
    expect(cancel.params.requestId).toBe(req.id)
    await c.send({ id: req.id, result: {} })
    await Bun.sleep(10)
    expect(c.errors.some((e) => e.message.includes("unknown message ID"))).toBe(true)
  })

  test("the caller's signal cancels it; an already aborted signal sends nothing", async () => {
    const c = await pair()
    const ac = new AbortController()
    const p = c.p.request({ method: "roots/list" }, Any, { signal: ac.signal })
    await c.next((m) => m.method === "roots/list")
    ac.abort("stop")
    const err = await p.catch((e) => e)
    expect([err.code, err.message]).toEqual(["REQUEST_TIMEOUT", "stop"])
    await c.next((m) => m.method === "notifications/cancelled")
    const before = c.seen.length
    const done = new AbortController()
    done.abort("gone")
    expect((await c.p.request({ method: "roots/list" }, Any, { signal: done.signal }).catch((e) => e)).message).toBe("gone")
    await Bun.sleep(10)
    expect(c.seen.length).toBe(before)
  })

  test("progress reaches onprogress and, when asked, resets the deadline", async () => {
    const c = await pair()
    const progress: unknown[] = []
    const p = c.p.request({ method: "sampling/createMessage", params: { a: 1 } }, Any, { timeout: 80, resetTimeoutOnProgress: true, onprogress: (x) => progress.push(x) })
    const req = await c.next((m) => m.method === "sampling/createMessage")
    expect(req.params._meta.progressToken).toBe(req.id)
    expect(req.params.a).toBe(1)
    for (let i = 1; i <= 4; i++) {
      await Bun.sleep(40)
      await c.send({ method: "notifications/progress", params: { progressToken: req.id, progress: i } })
    }
    await c.send({ id: req.id, result: { ok: 1 } })
    // 160 ms after the start, past the 80 ms deadline: kept alive by the progress
    expect(await p).toEqual({ ok: 1 })
    expect(progress).toEqual([1, 2, 3, 4].map((progress) => ({ progress })))
  })

  test("an answer or progress is matched by its exact id: null, \"\", false, true, [] and 0.5 name no request of ours (Number() made them 0 or 1)", async () => {
    const c = await pair()
    const progress: unknown[] = []
    const first = c.p.request({ method: "sampling/createMessage" }, Any, { onprogress: (x) => progress.push(x) })
    const second = c.p.request({ method: "roots/list" }, Any)
    const r1 = await c.next((m) => m.method === "sampling/createMessage")
    const r2 = await c.next((m) => m.method === "roots/list")
    expect([r1.id, r2.id]).toEqual([0, 1])
    // what a client writes about a message of ours it could not read, and ids no request of ours has
    await c.send({ id: null, error: { code: -32700, message: "Parse error" } })
    for (const id of ["", false, true, [], 0.5, " 0", "0x0", "1.0"]) await c.send({ id, error: { code: -32600, message: `stray ${JSON.stringify(id)}` } })
    for (const token of ["", false, "0.0"]) await c.send({ method: "notifications/progress", params: { progressToken: token, progress: 9 } })
    await c.send({ method: "notifications/progress", params: { progressToken: 0, progress: 1 } })
    await c.send({ id: 0, result: { ok: "first" } })
    // a client that echoes our id as its decimal string is still understood
    await c.send({ id: "1", result: { roots: [] } })
    expect(await first).toEqual({ ok: "first" })
    expect(await second).toEqual({ roots: [] })
    expect(progress).toEqual([{ progress: 1 }])
    expect(c.errors.filter((e) => e.message.includes("unknown message ID")).length).toBe(9)
  })

  test("the end of the connection refuses what waits for the client and aborts what is being served", async () => {
    let aborted: unknown
    const c = await pair((p) => {
      p.fallbackRequestHandler = (_r, ctx) => new Promise((resolve) => ctx.mcpReq.signal.addEventListener("abort", () => ((aborted = ctx.mcpReq.signal.reason), resolve({}))))
    })
    let closed = 0
    c.p.onclose = () => closed++
    await c.send({ id: 1, method: "slow/thing" })
    const waiting = c.p.request({ method: "roots/list" }, Any)
    await c.next((m) => m.method === "roots/list")
    await c.b.close()
    const err = await waiting.catch((e) => e)
    expect([err.code, err.message]).toEqual(["CONNECTION_CLOSED", "Connection closed"])
    await Bun.sleep(10)
    expect((aborted as ClientRequestError).code).toBe("CONNECTION_CLOSED")
    expect(closed).toBe(1)
    expect((await c.p.request({ method: "roots/list" }, Any).catch((e) => e)).code).toBe("NOT_CONNECTED")
    expect((await c.p.notification({ method: "notifications/message" }).catch((e) => e)).code).toBe("NOT_CONNECTED")
  })
})
