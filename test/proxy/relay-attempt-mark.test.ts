/**
 * A question relayed for a call is withdrawn when that call ends without its answer (proxy/relay-cancel);
 * the mark is the attempt's, not the call context's: the same context sent again (a retry) starts
 * clean. Before (qa341), the first attempt's end stayed on the context, and the retry's question
 * was withdrawn at once. Real proxy and pool, the raw fault server: `hang` times out; `raw` asks
 * the client naming its own call (related-request id) and leaves that call in flight. An attempt's
 * end with its answer withdraws its question too (qa354: test/binary/relay-answered.test.ts).
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { silentLogger } from "../../src/core/index.ts"
import { createProxy, type ClientLink, type Proxy } from "../../src/proxy/index.ts"
import { config, ctx, fault, until } from "./helpers.ts"

let proxy: Proxy
beforeAll(async () => {
  proxy = createProxy({ config: config({ servers: { f: { ...fault(), toolTimeouts: { hang: 1000 } } } }), log: silentLogger, closeGraceMs: 300 })
  await proxy.listTools()
})
afterAll(() => proxy[Symbol.asyncDispose]())

interface Asked {
  method: string
  withdrawn: boolean
}
const asked: Asked[] = []
/** A client that never answers: it records each question and whether it was withdrawn. */
const link: ClientLink = {
  capabilities: () => ({ elicitation: {} }),
  protocolVersion: () => "2025-11-25",
  request(method, _params, opts) {
    const a: Asked = { method, withdrawn: false }
    asked.push(a)
    return new Promise((_, reject) => opts.signal?.addEventListener("abort", () => ((a.withdrawn = true), reject(new Error("withdrawn"))), { once: true }))
  },
  async notify() {},
}

/** A question naming its own call (so it is that call's alone: withdrawn at its end whatever else is in flight), the call left unanswered. */
const ASK_NAMING_CALL = JSON.stringify({
  jsonrpc: "2.0",
  id: "q-retry",
  method: "elicitation/create",
  params: { message: "Continue?", requestedSchema: { type: "object", properties: { ok: { type: "boolean" } } }, _meta: { "io.modelcontextprotocol/related-request-id": "{ID}" } },
}).replace('"{ID}"', "{ID}")

test("a retry on the same call context: the first attempt's end does not withdraw the retry's question", async () => {
  const detach = proxy.attachClient(link)
  try {
    const c = ctx()
    c.client = link
    // the first attempt ends without its answer (timed out)
    const first = await proxy.callTool("f__hang", {}, c).then(
      () => "answered",
      (e: unknown) => String(e),
    )
    expect(first).toMatch(/tim(ed|e) ?out/i)
    // the retry, on the same context, asks and is in flight: its question stays open
    const again = proxy.callTool("f__raw", { line: ASK_NAMING_CALL }, c).then(
      () => "answered",
      (e: unknown) => String(e),
    )
    expect(await until(() => asked.length === 1, 10_000)).toBe(true)
    await Bun.sleep(500)
    expect(asked[0]!.withdrawn).toBe(false)
    // the client's cancel of the call it was asked for still withdraws it
    c.controller.abort("gave up")
    expect(await until(() => asked[0]!.withdrawn, 10_000)).toBe(true)
    expect(await again).not.toBe("answered")
  } finally {
    detach()
  }
}, 30_000)
