/**
 * The per-call fast paths of the HTTP face: the MCP endpoint's own front (before hono) applies the
 * same guards and answers as the hono routes it bypasses, odd paths still go through hono, the
 * request guard's memoised verdicts, and a modern client's raw tool result spliced with
 * `resultType` (or completed the long way when it names a result type of its own), and the tool-call
 * metrics kept by hand (same text as prom-client's own Counter and Histogram).
 */
import { afterEach, describe, expect, test } from "bun:test"
import { RawJson } from "../../src/core/index.ts"
import { modernResultAnswer } from "../../src/http/call.ts"
import { RequestGuard } from "../../src/http/security.ts"
import { authHeaders, BASE, INIT, makeApp, post, TOKEN, type TestApp } from "./helpers.ts"

let t: TestApp | undefined
afterEach(async () => {
  await t?.app[Symbol.asyncDispose]()
  t = undefined
})

describe("the /mcp front", () => {
  test("Host, Origin and bearer are checked on /mcp as on every hono route", async () => {
    t = makeApp()
    const badHost = await t.app.request("http://evil.example:8787/mcp", { method: "POST", headers: authHeaders({ "content-type": "application/json" }), body: JSON.stringify(INIT) })
    expect(badHost.status).toBe(403)
    expect(((await badHost.json()) as { message: string }).message).toStartWith('Host header "evil.example:8787" not allowed')
    const badOrigin = await post(t.app, INIT, authHeaders({ origin: "https://evil.example" }))
    expect(badOrigin.status).toBe(403)
    expect(((await badOrigin.json()) as { message: string }).message).toStartWith('Origin "https://evil.example" not allowed')
    const noToken = await post(t.app, INIT, {})
    expect(noToken.status).toBe(401)
    expect(noToken.headers.get("www-authenticate")).toContain("Bearer")
    const wrongToken = await post(t.app, INIT, { Authorization: `Bearer ${TOKEN}x` })
    expect(wrongToken.status).toBe(401)
    // the same answers from a route hono still serves
    expect((await t.app.request("http://evil.example:8787/healthz")).status).toBe(403)
    const ok = await post(t.app, INIT)
    expect(ok.status).toBe(200)
    expect(ok.headers.get("content-type")).toBe("application/json")
    expect(ok.headers.get("mcp-session-id")).toBeTruthy()
  })

  test("a query string is the same endpoint; a %-escaped toolset name still reaches its toolset (through hono)", async () => {
    t = makeApp({ toolsets: ["abc"] })
    const q = await t.app.request(`${BASE}/mcp?x=1`, { method: "POST", headers: authHeaders({ "content-type": "application/json", accept: "application/json, text/event-stream" }), body: JSON.stringify(INIT) })
    expect(q.status).toBe(200)
    const escaped = await t.app.request(`${BASE}/mcp/t/%61bc`, { method: "POST", headers: authHeaders({ "content-type": "application/json", accept: "application/json, text/event-stream" }), body: JSON.stringify(INIT) })
    expect(escaped.status).toBe(200)
    const unknown = await t.app.request(`${BASE}/mcp/t/nope`, { method: "POST", headers: authHeaders({ "content-type": "application/json" }), body: JSON.stringify(INIT) })
    expect(unknown.status).toBe(404)
    // a toolset path is still under the bearer check when hono serves it
    const escapedNoToken = await t.app.request(`${BASE}/mcp/t/%61bc`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(INIT) })
    expect(escapedNoToken.status).toBe(401)
  })

  test("a session of one credential is bound to it: an unauthenticated app binds sessions to no token", async () => {
    t = makeApp({ token: undefined })
    const init = await post(t.app, INIT, {})
    expect(init.status).toBe(200)
    const sid = init.headers.get("mcp-session-id")!
    const list = await post(t.app, { jsonrpc: "2.0", id: 2, method: "tools/list" }, { "mcp-session-id": sid })
    expect(list.status).toBe(200)
    expect(((await list.json()) as { result: { tools: unknown[] } }).result.tools.length).toBeGreaterThan(0)
  })
})

describe("RequestGuard", () => {
  test("verdicts follow hostAllowed/originAllowed, and a repeated value gets the same one", () => {
    const g = new RequestGuard(["mcp.internal"], ["https://app.example"], "secret")
    for (let i = 0; i < 2; i++) {
      expect(g.problem("127.0.0.1:8787", null)).toBeUndefined()
      expect(g.problem("MCP.internal", null)).toBeUndefined()
      expect(g.problem("evil.example", null)).toStartWith("Host header")
      expect(g.problem(undefined, null)).toStartWith("Host header")
      expect(g.problem("localhost", "https://app.example")).toBeUndefined()
      expect(g.problem("localhost", "http://localhost:3000")).toBeUndefined()
      expect(g.problem("localhost", "https://evil.example")).toStartWith("Origin")
    }
    // two Host headers (joined by the server): refused as such, never "add 127.0.0.1:8787, evil.com there"
    const two = g.problem("127.0.0.1:8787, evil.example", null)
    expect(two).toContain("several")
    expect(two).not.toContain("add ")
    // the memo is bounded; verdicts stay right past its size
    for (let i = 0; i < 200; i++) expect(g.problem(`h${i}.example`, null)).toStartWith("Host header")
    expect(g.problem("mcp.internal:443", null)).toBeUndefined()
  })

  test("bearer: exact token only; no token configured lets every request through with owner ''", () => {
    const g = new RequestGuard([], [], "secret")
    expect(g.authorized("Bearer secret")).toBe(true)
    expect(g.authorized("bearer  secret ")).toBe(true)
    expect(g.authorized("Bearer secre")).toBe(false)
    expect(g.authorized("Bearer secretx")).toBe(false)
    expect(g.authorized(null)).toBe(false)
    expect(g.owner).toMatch(/^[0-9a-f]{64}$/)
    const open = new RequestGuard([], [], undefined)
    expect(open.authorized(null)).toBe(true)
    expect(open.owner).toBe("")
  })
})

/** A downstream's result as the proxy hands it over: its JSON text. */
const raw = (text: string) => new RawJson(undefined, text) as RawJson<never>

describe("modernResultAnswer", () => {
  const parsed = (s: string) => JSON.parse(s) as { jsonrpc: string; id: unknown; result: Record<string, unknown> }

  test("a downstream's raw text gets resultType spliced in, everything else byte for byte", () => {
    const text = '{"content":[{"type":"text","text":"Echo: hi"}],"isError":false}'
    const out = modernResultAnswer("7", raw(text))
    expect(out).toBe('{"jsonrpc":"2.0","id":7,"result":{"resultType":"complete","content":[{"type":"text","text":"Echo: hi"}],"isError":false}}')
    expect(parsed(modernResultAnswer('"a"', raw(" {  } "))).result).toEqual({ resultType: "complete" })
    expect(parsed(modernResultAnswer("1", raw('\n{ "content": [] }'))).result).toEqual({ resultType: "complete", content: [] })
  })

  test("a result naming its own resultType (or possibly escaping it) is completed the long way", () => {
    const input = { resultType: "input_required", inputRequests: { a: { method: "elicitation/create", params: { message: "m" } } }, requestState: "s" }
    const out = parsed(modernResultAnswer("1", raw(JSON.stringify(input))))
    expect(out.result.resultType).toBe("input_required")
    expect(out.result.requestState).toBe("s")
    const escaped = parsed(modernResultAnswer("1", raw('{"result\\u0054ype":"input_required","requestState":"s"}')))
    expect(escaped.result.resultType).toBe("input_required")
    const complete = parsed(modernResultAnswer("1", raw('{"resultType":"complete","content":[]}')))
    expect(complete.result).toEqual({ resultType: "complete", content: [] })
  })

  test("an object result (own tool) is completed and serialised", () => {
    const out = parsed(modernResultAnswer("3", { content: [{ type: "text", text: "x" }] } as never))
    expect(out).toEqual({ jsonrpc: "2.0", id: 3, result: { resultType: "complete", content: [{ type: "text", text: "x" }] } })
  })
})

describe("tool-call metrics kept by hand", () => {
  test("render exactly what prom-client's Counter and Histogram render for the same calls", async () => {
    const { Counter, Histogram, Registry } = await import("prom-client")
    const { ToolCallMetrics } = await import("../../src/http/tool-call-metrics.ts")
    const bounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]
    const ref = new Registry()
    const calls = new Counter({ name: "mcpo_tool_calls_total", help: "Tool calls by server, tool and outcome (ok, error, tool_error, cancelled).", labelNames: ["server", "tool", "outcome"], registers: [ref] })
    const latency = new Histogram({ name: "mcpo_tool_call_duration_seconds", help: "Tool-call latency as seen by the client, seconds.", labelNames: ["server", "tool", "outcome"], buckets: bounds, registers: [ref] })
    const ours = new Registry()
    const m = new ToolCallMetrics(ours, bounds)
    const seen: [string, string, string, number][] = [
      ["ev", "ev__echo", "ok", 0.0004],
      ["ev", "ev__echo", "ok", 0.003],
      ["ev", "ev__echo", "ok", 0.001],
      ["", "orchestrator_status", "error", 0.2],
      ["ev", 'ev__we"ird\\name', "tool_error", 500],
    ]
    for (const [server, tool, outcome, s] of seen) {
      calls.inc({ server, tool, outcome })
      latency.observe({ server, tool, outcome }, s)
      m.observe(server, tool, outcome, s)
    }
    expect(await ours.metrics()).toBe(await ref.metrics())
  })

  test("past 10 000 label sets a new tool is counted under (other)", async () => {
    const { Registry } = await import("prom-client")
    const { ToolCallMetrics } = await import("../../src/http/tool-call-metrics.ts")
    const reg = new Registry()
    const m = new ToolCallMetrics(reg, [1])
    for (let i = 0; i < 10_000; i++) m.observe("s", `t${i}`, "ok", 0.1)
    m.observe("s", "late", "ok", 0.1)
    m.observe("s", "later", "ok", 0.1)
    m.observe("s", "t5", "ok", 0.1)
    const text = await reg.metrics()
    expect(text).toContain('mcpo_tool_calls_total{server="s",tool="(other)",outcome="ok"} 2')
    expect(text).toContain('mcpo_tool_calls_total{server="s",tool="t5",outcome="ok"} 2')
    expect(text).not.toContain('tool="late"')
  })
})
