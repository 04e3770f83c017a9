/**
 * POST /mcp with valid JSON that is not a JSON-RPC message: -32600 Invalid Request, id null,
 * HTTP 400 (JSON-RPC 2.0 §6: an empty batch is one), before any session sees it.
 */
import { describe, expect, test } from "bun:test"
import { invalidRequest } from "../../src/http/jsonrpc-shape.ts"
import { authHeaders, INIT, makeApp, post } from "./helpers.ts"

describe("JSON-RPC envelope", () => {
  test("invalidRequest: the reasons", () => {
    expect(invalidRequest([])).toBe("empty batch")
    expect(invalidRequest(null)).toStartWith("expected a JSON-RPC message object, got null")
    expect(invalidRequest("x")).toStartWith("expected a JSON-RPC message object, got string")
    expect(invalidRequest([[]])).toStartWith("batch item 0: expected a JSON-RPC message object, got an array")
    expect(invalidRequest({ id: 1, method: "ping" })).toBe('missing "jsonrpc": "2.0"')
    expect(invalidRequest({ jsonrpc: "2.0", method: 3 })).toBe('"method" must be a string')
    expect(invalidRequest({ jsonrpc: "2.0", id: 1 })).toStartWith('expected "method"')
    expect(invalidRequest({ jsonrpc: "2.0", id: 1, method: "ping" })).toBeUndefined()
    expect(invalidRequest({ jsonrpc: "2.0", method: "notifications/initialized" })).toBeUndefined()
    expect(invalidRequest([{ jsonrpc: "2.0", id: 1, result: {} }, { jsonrpc: "2.0", id: 2, error: { code: 1, message: "x" } }])).toBeUndefined()
  })

  test("empty batch in a session: 400 -32600, not 202; the session keeps working", async () => {
    const { app } = makeApp()
    const init = await post(app, INIT)
    const sid = init.headers.get("mcp-session-id")!
    const h = authHeaders({ "mcp-session-id": sid, "mcp-protocol-version": "2025-06-18" })
    const r = await post(app, "[]", h)
    expect(r.status).toBe(400)
    expect(await r.json()).toEqual({ jsonrpc: "2.0", error: { code: -32600, message: "Invalid Request: empty batch" }, id: null })
    const ping = await post(app, { jsonrpc: "2.0", id: 5, method: "ping" }, h)
    expect(ping.status).toBe(200)
  })

  test("still behind the bearer token: no token → 401 even for []", async () => {
    const { app } = makeApp()
    expect((await post(app, "[]", {})).status).toBe(401)
  })

  test("not JSON at all stays -32700 Parse error", async () => {
    const { app } = makeApp()
    const r = await post(app, "{nope")
    expect(r.status).toBe(400)
    expect(((await r.json()) as { error: { code: number } }).error.code).toBe(-32700)
  })
})
