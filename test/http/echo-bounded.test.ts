/**
 * A client-chosen value an error answer repeats (the path, a toolset name, the Mcp-Method, Mcp-Name
 * and MCP-Protocol-Version headers, the body's method) is quoted in part: at most 200 characters and
 * "…", as the Host/Origin refusals and the unknown-tool error already were. Before, each was written
 * back whole: an 8 KB header came back as an 8 KB message, a body's 60 KB method name as 60 KB.
 * In process (createHttpApp over real faces, `app.request`).
 */
import { afterEach, expect, test } from "bun:test"
import { BASE, authHeaders, makeApp, openSession, post, type TestApp } from "./helpers.ts"

const V = "2026-07-28"
const ENVELOPE = { "io.modelcontextprotocol/protocolVersion": V, "io.modelcontextprotocol/clientCapabilities": {} }
/** A client's value far past what any answer should repeat. */
const LONG = "Q".repeat(8000)

let t: TestApp
afterEach(async () => {
  await t?.app[Symbol.asyncDispose]()
})

/** The answer's message (JSON-RPC error or the plain `{error, message}`), checked to repeat at most 200 characters of LONG. */
async function boundedMessage(res: Response, status: number): Promise<string> {
  expect(res.status).toBe(status)
  const body = (await res.json()) as { message?: string; error?: { message?: string } | string }
  const message = typeof body.error === "object" ? body.error.message! : body.message!
  expect(typeof message).toBe("string")
  const echoed = message.match(/Q+/g) ?? []
  expect(echoed.length).toBeGreaterThan(0)
  for (const run of echoed) expect(run.length).toBeLessThanOrEqual(200)
  expect(message).toContain("…")
  return message
}

function modernCall(headers: Record<string, string>, method = "tools/call"): Promise<Response> {
  return post(t.app, { jsonrpc: "2.0", id: 1, method, params: { name: "orchestrator_status", arguments: {}, _meta: ENVELOPE } }, authHeaders({ "mcp-protocol-version": V, "mcp-method": "tools/call", "mcp-name": "orchestrator_status", ...headers }))
}

test("a path no route serves is repeated in part", async () => {
  t = makeApp()
  const res = await t.app.request(`${BASE}/${LONG}`, { method: "POST", headers: authHeaders({ "content-type": "application/json" }), body: "{}" })
  expect(await boundedMessage(res, 404)).toStartWith("No route POST /QQQ")
})

test("an unknown toolset's name is repeated in part", async () => {
  t = makeApp({ toolsets: ["ro"], unknownToolset: (name) => `unknown toolset "${name}"; toolsets in the config: ro` })
  const res = await t.app.request(`${BASE}/mcp/t/${LONG}`, { method: "POST", headers: authHeaders({ "content-type": "application/json", accept: "application/json, text/event-stream" }), body: "{}" })
  expect(await boundedMessage(res, 404)).toContain("toolsets in the config: ro")
})

test("a legacy session's unsupported MCP-Protocol-Version is repeated in part", async () => {
  t = makeApp()
  const headers = await openSession(t.app)
  const res = await post(t.app, { jsonrpc: "2.0", id: 2, method: "tools/list" }, { ...headers, "mcp-protocol-version": `2025-${LONG}` })
  expect(await boundedMessage(res, 400)).toContain("unsupported protocol version 2025-QQQ")
})

test("modern headers that do not match the body are repeated in part", async () => {
  t = makeApp()
  expect(await boundedMessage(await modernCall({ "mcp-method": LONG }), 400)).toContain("Header mismatch: Mcp-Method")
  expect(await boundedMessage(await modernCall({ "mcp-name": LONG }), 400)).toContain("Header mismatch: Mcp-Name")
  expect(await boundedMessage(await modernCall({ "mcp-protocol-version": LONG }), 400)).toContain("Header mismatch: MCP-Protocol-Version")
})

test("a body's method the Mcp-Method header does not name is repeated in part", async () => {
  t = makeApp()
  const message = await boundedMessage(await modernCall({}, `tools/call${LONG}`), 400)
  expect(message).toContain(`Mcp-Method "tools/call" does not match the body's method "tools/callQQQ`)
})
