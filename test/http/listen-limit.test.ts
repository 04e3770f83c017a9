/**
 * 2026-07-28 `subscriptions/listen` streams are bounded per endpoint (QA round 7a; the SDK's handler
 * allows 1024): past the limit a listen is refused with a JSON-RPC error saying so (-32603, as the
 * SDK answers) instead of holding one more stream and registry without end; closing one frees its place.
 */
import { afterEach, expect, test } from "bun:test"
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
