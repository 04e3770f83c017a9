/** /healthz, /readyz, /metrics, /openapi.json and /docs through `app.request()`. */
import { afterEach, describe, expect, test } from "bun:test"
import { parseListen } from "../../src/http/index.ts"
import { BASE, connectClient, fakeStatus, makeApp, type TestApp } from "./helpers.ts"

let t: TestApp
afterEach(async () => {
  await t?.app[Symbol.asyncDispose]()
})

const server = (name: string, state: string, lastError?: string) => ({
  name,
  source: "config" as const,
  transport: "stdio" as const,
  state,
  tools: 3,
  inFlight: 0,
  queued: 0,
  calls: 0,
  failures: 0,
  ...(lastError ? { lastError } : {}),
})

/** Value of one sample line `name{labels} value` in a Prometheus exposition. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!m || m[1] !== name) continue
    const got = Object.fromEntries([...(m[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]))
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3])
  }
  return undefined
}

describe("health and readiness", () => {
  test("/healthz is JSON, unauthenticated", async () => {
    t = makeApp()
    const res = await t.app.request(`${BASE}/healthz`)
    expect(res.status).toBe(200)
    const body = (await res.json()) as { status: string; name: string }
    expect(body).toMatchObject({ status: "ok", name: "mcp-orchestrator" })
  })

  test("/readyz: 200 when warm servers are ready, 503 while starting, failed, shutting down, or status throws", async () => {
    let st = fakeStatus({ config: { ...fakeStatus().config, warm: ["mem"] }, servers: [server("mem", "starting"), server("lazy", "idle")] })
    let stopping = false
    t = makeApp({ status: async () => st, stopping: () => stopping })
    let res = await t.app.request(`${BASE}/readyz`)
    expect(res.status).toBe(503)
    const body = (await res.json()) as { ready: boolean; checks: { name: string; ok: boolean; detail?: string }[]; servers: Record<string, string> }
    expect(body.ready).toBe(false)
    expect(body.checks.find((c) => c.name === "warm server mem")).toMatchObject({ ok: false, detail: "starting" })
    expect(body.servers).toEqual({ mem: "starting", lazy: "idle" })

    st = { ...st, servers: [server("mem", "ready"), server("lazy", "idle")] }
    res = await t.app.request(`${BASE}/readyz`)
    expect(res.status).toBe(200)

    st = { ...st, servers: [server("mem", "open-circuit", "boom")] }
    res = await t.app.request(`${BASE}/readyz`)
    expect(res.status).toBe(503)
    expect(await res.text()).toContain("open-circuit: boom")

    st = { ...st, servers: [server("mem", "ready")], toolkit: { ready: false, state: "probing" } }
    expect((await t.app.request(`${BASE}/readyz`)).status).toBe(503)
    st = { ...st, toolkit: { ready: true, era: "profiles" } }
    expect((await t.app.request(`${BASE}/readyz`)).status).toBe(200)

    stopping = true
    expect((await t.app.request(`${BASE}/readyz`)).status).toBe(503)
  })

  test("/readyz is 503 with the reason when status() fails", async () => {
    t = makeApp({ status: async () => Promise.reject(new Error("pool gone")) })
    const res = await t.app.request(`${BASE}/readyz`)
    expect(res.status).toBe(503)
    expect(await res.text()).toContain("pool gone")
  })
})

describe("/metrics", () => {
  test("Prometheus text with calls, latency, sessions, tools, cache, Toolkit and plugin series", async () => {
    t = makeApp({
      status: async () => fakeStatus({ servers: [server("a", "ready"), server("b", "ready"), server("c", "failed")], tools: { own: 1, proxied: 12 } }),
    })
    t.metrics.setSources({ cache: () => ({ hits: 7, misses: 3, bytes: 4096, entries: 5 }) })
    const { client } = await connectClient(t.app)
    const began = performance.now()
    for (let i = 0; i < 3; i++) await client.callTool({ name: "orchestrator_status", arguments: {} })
    const callsSeconds = (performance.now() - began) / 1000
    await client.callTool({ name: "orchestrator_status", arguments: { bad: true } })
    t.metrics.observeToolkitCommand({ command: "server ls", outcome: "ok", durationMs: 120 })
    t.metrics.observePluginHook({ plugin: "p1", hook: "route", durationMs: 0.4 })
    t.metrics.observePluginHook({ plugin: "p1", hook: "route", durationMs: 50, fault: "deadline" })

    const res = await t.app.request(`${BASE}/metrics`)
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toContain("text/plain")
    const text = await res.text()
    expect(sample(text, "mcpo_tool_calls_total", { tool: "orchestrator_status", outcome: "ok" })).toBe(3)
    expect(sample(text, "mcpo_tool_calls_total", { tool: "orchestrator_status", outcome: "tool_error" })).toBe(1)
    expect(sample(text, "mcpo_tool_call_duration_seconds_count", { tool: "orchestrator_status", outcome: "ok" })).toBe(3)
    const sum = sample(text, "mcpo_tool_call_duration_seconds_sum", { tool: "orchestrator_status", outcome: "ok" })!
    expect(sum).toBeGreaterThan(0)
    // in seconds (not milliseconds): no more than the three calls took as the client saw them
    expect(sum).toBeLessThanOrEqual(callsSeconds)
    expect(sample(text, "mcpo_downstream_sessions", { state: "ready" })).toBe(2)
    expect(sample(text, "mcpo_downstream_sessions", { state: "failed" })).toBe(1)
    expect(sample(text, "mcpo_downstream_sessions", { state: "starting" })).toBe(0)
    expect(sample(text, "mcpo_tools_exposed", { kind: "proxied" })).toBe(12)
    expect(sample(text, "mcpo_cache_hits")).toBe(7)
    expect(sample(text, "mcpo_cache_misses")).toBe(3)
    expect(sample(text, "mcpo_cache_bytes")).toBe(4096)
    expect(sample(text, "mcpo_http_sessions")).toBe(1)
    expect(sample(text, "mcpo_toolkit_command_duration_seconds_count", { command: "server ls", outcome: "ok" })).toBe(1)
    expect(sample(text, "mcpo_toolkit_command_duration_seconds_sum", { command: "server ls" })).toBeCloseTo(0.12, 5)
    expect(sample(text, "mcpo_plugin_hook_duration_seconds_count", { plugin: "p1", hook: "route" })).toBe(2)
    expect(sample(text, "mcpo_plugin_faults_total", { plugin: "p1", kind: "deadline" })).toBe(1)
    await client.close()
  })
})

describe("/openapi.json and /docs", () => {
  test("OpenAPI 3.1 from the zod schemas: every route, every own tool's input and output", async () => {
    t = makeApp()
    const doc = (await (await t.app.request(`${BASE}/openapi.json`)).json()) as {
      openapi: string
      paths: Record<string, Record<string, unknown>>
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> }
      "x-mcp-tools": { name: string; input: { $ref: string }; output?: { $ref: string } }[]
    }
    expect(doc.openapi).toBe("3.1.0")
    expect(Object.keys(doc.paths).sort()).toEqual(["/docs", "/healthz", "/mcp", "/metrics", "/openapi.json", "/readyz"])
    expect(Object.keys(doc.paths["/mcp"]!).sort()).toEqual(["delete", "get", "post"])
    const status = doc["x-mcp-tools"].find((x) => x.name === "orchestrator_status")!
    expect(status.output!.$ref).toBe("#/components/schemas/orchestrator_status.output")
    const out = doc.components.schemas["orchestrator_status.output"]!
    expect(Object.keys(out.properties!)).toEqual(expect.arrayContaining(["version", "servers", "tools", "toolkit"]))
    expect(doc.components.schemas["Readiness"]!.properties).toHaveProperty("checks")
    // every $ref resolves
    for (const r of JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) expect(doc.components.schemas).toHaveProperty([r[1]!])
  })

  test("/docs serves Swagger UI pointing at /openapi.json", async () => {
    t = makeApp()
    const res = await t.app.request(`${BASE}/docs`)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain("SwaggerUIBundle")
    expect(html).toContain("/openapi.json")
  })
})

describe("http.listen", () => {
  test("[HOST:]PORT, loopback by default, non-loopback refused unless allowed", () => {
    expect(parseListen("8787")).toEqual({ host: "127.0.0.1", port: 8787, loopback: true })
    expect(parseListen("localhost:0")).toEqual({ host: "localhost", port: 0, loopback: true })
    expect(parseListen("[::1]:9000")).toEqual({ host: "::1", port: 9000, loopback: true })
    expect(() => parseListen("0.0.0.0:8787")).toThrow(/not a loopback address/)
    expect(parseListen("0.0.0.0:8787", { allowNonLoopback: true }).loopback).toBe(false)
    for (const bad of ["", "http://x:1", "host:99999", "a b:1", "12.5"]) expect(() => parseListen(bad)).toThrow(/\[HOST:\]PORT/)
  })
})
