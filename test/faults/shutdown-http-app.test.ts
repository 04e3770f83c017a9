/**
 * The HTTP face at shutdown, in process (http/app `refuse`, `inFlight`, `endInFlight`): what is in
 * flight is counted, then cancelled (the tool's signal aborts) and answered with the stop error on
 * its own reply, a lane call and a batch's requests alike, in both eras; what arrives once shutdown
 * began is answered at once (a batch with one answer per request), and notifications still pass.
 * The binary's end to end: test/faults/shutdown-answers.test.ts.
 */
import { describe, expect, test } from "bun:test"
import { OrchestratorError } from "../../src/core/index.ts"
import { authHeaders, BASE, INIT, makeApp, post, waitTool } from "../http/helpers.ts"

const stop = (late: boolean, tool: boolean): Error =>
  new OrchestratorError("protocol", "SHUTTING_DOWN", `the orchestrator is stopping (test); the ${tool ? "call" : "request"} ${late ? "arrived after shutdown began and was not served" : "was cancelled"} — retry when it is back`)

const MODERN = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} }

interface Answer {
  id?: unknown
  result?: { isError?: boolean; content?: { text?: string }[]; resultType?: string }
  error?: { code: number; message: string }
}

/** The answers in a reply: a JSON body (one or a batch), or the events of an SSE stream. */
async function answersOf(res: Response): Promise<Answer[]> {
  const text = await res.text()
  if (text.startsWith("{")) return [JSON.parse(text) as Answer]
  if (text.startsWith("[")) return JSON.parse(text) as Answer[]
  return [...text.matchAll(/^data: (\{.*\})$/gm)].map((m) => JSON.parse(m[1]!) as Answer).filter((a) => a.id !== undefined)
}

async function session(app: Parameters<typeof post>[0]): Promise<Record<string, string>> {
  const res = await post(app, INIT)
  const sid = res.headers.get("mcp-session-id")!
  await res.text()
  const headers = authHeaders({ "mcp-session-id": sid, "mcp-protocol-version": "2025-06-18" })
  expect((await post(app, { jsonrpc: "2.0", method: "notifications/initialized" }, headers)).status).toBe(202)
  return headers
}

describe("HTTP app at shutdown", () => {
  test("requests in flight (lane call, a batch, a 2026-07-28 call) are cancelled and answered on their replies", async () => {
    const one = waitTool()
    const t = makeApp({ extraTools: [one.tool] })
    const headers = await session(t.app)
    const call = post(t.app, { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "wait_forever", arguments: {} } }, headers)
    await one.events.started
    const batch = post(t.app, [{ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "wait_forever", arguments: {} } }], headers)
    const modern = post(t.app, { jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "wait_forever", arguments: {}, _meta: MODERN } }, authHeaders({ "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/call", "mcp-name": "wait_forever" }))
    for (let i = 0; i < 3000 && t.app.inFlight() < 3; i++) await Bun.sleep(5)
    expect(t.app.inFlight()).toBe(3)
    t.app.refuse(stop)
    t.app.endInFlight(stop)
    expect(t.app.inFlight()).toBe(0)
    expect(await one.events.aborted).toBeDefined()
    const [a2] = await answersOf(await call)
    expect(a2!.id).toBe(2)
    expect(a2!.result!.isError).toBe(true)
    expect(a2!.result!.content![0]!.text).toBe("[SHUTTING_DOWN] the orchestrator is stopping (test); the call was cancelled — retry when it is back")
    const b = await answersOf(await batch)
    expect(b.map((a) => a.id)).toEqual([3])
    expect(b[0]!.result!.isError).toBe(true)
    const [a4] = await answersOf(await modern)
    expect(a4!.id).toBe(4)
    expect(a4!.result!.resultType).toBe("complete")
    expect(a4!.result!.content![0]!.text).toStartWith("[SHUTTING_DOWN]")
    await t.app[Symbol.asyncDispose]()
  })

  test("once refusing: requests are answered at once and not served, a batch gets one answer per request, notifications pass", async () => {
    const t = makeApp()
    const headers = await session(t.app)
    t.app.refuse(stop)
    const res = await post(
      t.app,
      [
        { jsonrpc: "2.0", id: 10, method: "tools/call", params: { name: "orchestrator_status", arguments: {} } },
        { jsonrpc: "2.0", id: 11, method: "tools/list" },
        { jsonrpc: "2.0", method: "notifications/roots/list_changed" },
      ],
      headers,
    )
    expect(res.status).toBe(200)
    expect(res.headers.get("connection")).toBe("close")
    const answers = (await res.json()) as Answer[]
    expect(answers.map((a) => a.id)).toEqual([10, 11])
    expect(answers[0]!.result!.content![0]!.text).toBe("[SHUTTING_DOWN] the orchestrator is stopping (test); the call arrived after shutdown began and was not served — retry when it is back")
    expect(answers[1]!.error).toEqual({ code: -32603, message: "[SHUTTING_DOWN] the orchestrator is stopping (test); the request arrived after shutdown began and was not served — retry when it is back" })
    // a new session is not opened either
    const init = (await (await post(t.app, INIT)).json()) as Answer
    expect(init.error?.message).toStartWith("[SHUTTING_DOWN]")
    expect(t.app.sessions.size).toBe(1)
    // a modern request: its era's shape
    const m = (await (await post(t.app, { jsonrpc: "2.0", id: 12, method: "tools/call", params: { name: "orchestrator_status", arguments: {}, _meta: MODERN } }, authHeaders({ "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/call", "mcp-name": "orchestrator_status" }))).json()) as Answer
    expect(m.result!.resultType).toBe("complete")
    expect(m.result!.isError).toBe(true)
    // notifications still go through
    expect((await post(t.app, { jsonrpc: "2.0", method: "notifications/roots/list_changed" }, headers)).status).toBe(202)
    await t.app[Symbol.asyncDispose]()
  })

  test("once disposed (sessions closed, the server still listening): a request still gets its SHUTTING_DOWN answer; a GET, a DELETE and notifications get 503 with a JSON-RPC SHUTTING_DOWN error, never a 404 or a new session", async () => {
    const t = makeApp()
    const headers = await session(t.app)
    t.app.refuse(stop)
    await t.app[Symbol.asyncDispose]()
    expect(t.app.sessions.size).toBe(0)
    const call = await post(t.app, { jsonrpc: "2.0", id: 20, method: "tools/call", params: { name: "orchestrator_status", arguments: {} } }, headers)
    expect(call.status).toBe(200)
    expect(((await call.json()) as Answer).result!.content![0]!.text).toStartWith("[SHUTTING_DOWN] the orchestrator is stopping (test); the call arrived after shutdown began")
    const others = [
      await t.app.request(`${BASE}/mcp`, { method: "GET", headers: { ...headers, accept: "text/event-stream" } }),
      await t.app.request(`${BASE}/mcp`, { method: "DELETE", headers }),
      await post(t.app, { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 20 } }, headers),
      await post(t.app, { jsonrpc: "2.0", method: "notifications/initialized" }),
    ]
    for (const res of others) {
      expect(res.status).toBe(503)
      expect(res.headers.get("connection")).toBe("close")
      expect((await res.json()) as Answer).toEqual({
        jsonrpc: "2.0",
        id: null,
        error: { code: -32603, message: "[SHUTTING_DOWN] the orchestrator is stopping (test); the request arrived after shutdown began and was not served — retry when it is back" },
      } as Answer)
    }
    expect(t.app.sessions.size).toBe(0)
  })
})
