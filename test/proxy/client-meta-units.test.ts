/** proxy/client-meta: which of a client's `_meta` keys go downstream, and when none do; a task call's merge of them under our token; proxy/app-only's test of an MCP Apps tool only a view may call. */
import { describe, expect, test } from "bun:test"
import { forwardedMeta, isHopKey, MAX_CLIENT_META_CHARS } from "../../src/proxy/client-meta.ts"
import { callAsTask } from "../../src/proxy/task-call.ts"
import { isAppOnly } from "../../src/proxy/app-only.ts"
import { withEnvelope } from "../../src/pool/era.ts"
import { captureLog, ctx } from "./helpers.ts"

describe("forwardedMeta", () => {
  test("nothing for no object, an array, or only keys of this hop", () => {
    for (const m of [undefined, null, "x", 3, [1], {}, { progressToken: 1 }, { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} }]) expect(forwardedMeta(m)).toBeUndefined()
  })

  test("the client's own object when none of its keys is ours (no copy); a filtered one otherwise", () => {
    const own = { traceparent: "00-a-b-01", "com.example/x": 1 }
    expect((forwardedMeta(own) as { meta: unknown }).meta).toBe(own)
    const mixed = { ...own, progressToken: "t", "io.modelcontextprotocol/related-task": { taskId: "x" }, "tools.mcp.com/y": 2, "modelcontextprotocol.io/z": 3 }
    expect((forwardedMeta(mixed) as { meta: unknown }).meta).toEqual(own)
  })

  test("an own __proto__ key (as JSON.parse makes) stays a plain key: no prototype is set", () => {
    const m = JSON.parse('{"__proto__":{"polluted":true},"progressToken":1,"a":1}') as Record<string, unknown>
    const out = (forwardedMeta(m) as { meta: Record<string, unknown> }).meta
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype)
    expect((out as { polluted?: unknown }).polluted).toBeUndefined()
    expect(JSON.parse(JSON.stringify(out))).toEqual(JSON.parse('{"__proto__":{"polluted":true},"a":1}'))
  })

  test("over the limit: dropped whole, with its size", () => {
    const f = forwardedMeta({ blob: "x".repeat(MAX_CLIENT_META_CHARS) })
    expect(f).toEqual({ dropped: { chars: MAX_CLIENT_META_CHARS + 11, limit: MAX_CLIENT_META_CHARS } })
  })

  test("reserved prefixes: a label mcp or modelcontextprotocol before the slash; other keys are the client's", () => {
    for (const k of ["progressToken", "io.modelcontextprotocol/logLevel", "mcp/x", "dev.mcp/x"]) expect(isHopKey(k)).toBe(true)
    for (const k of ["traceparent", "baggage", "com.example/mcp", "mcpish.dev/x", "a/b/mcp", "/x"]) expect(isHopKey(k)).toBe(false)
  })
})

describe("a task-required tool's call (proxy/task-call): the client's _meta merged under ours", () => {
  async function sent(progressToken: string | undefined, meta: Record<string, unknown> | undefined): Promise<Record<string, unknown>> {
    let params: Record<string, unknown> = {}
    await callAsTask({
      server: "s",
      tool: "t",
      args: {},
      ...(meta !== undefined ? { meta } : {}),
      ctx: ctx(progressToken),
      capabilities: undefined,
      timeoutMs: 1000,
      maxTotalMs: 1000,
      now: () => 0,
      call: (_m, p) => {
        params = p
        return Promise.reject(new Error("stop here"))
      },
      onProgressToken: () => () => {},
      log: captureLog().log,
    }).catch(() => {})
    return params
  }

  test("with progress: the client's keys and our token", async () => {
    const p = await sent("client", { traceparent: "t" })
    expect((p._meta as Record<string, unknown>).traceparent).toBe("t")
    expect(String((p._meta as Record<string, unknown>).progressToken)).toStartWith("mcpo-task-")
  })

  test("without progress: the client's keys alone; none: no _meta", async () => {
    expect((await sent(undefined, { traceparent: "t" }))._meta).toEqual({ traceparent: "t" })
    expect("_meta" in (await sent(undefined, undefined))).toBe(false)
  })
})

describe("isAppOnly (proxy/app-only)", () => {
  test("only a visibility without \"model\" is app-only; absent, empty or odd ones are the default (both)", () => {
    const t = (meta: unknown) => ({ name: "t", inputSchema: { type: "object" as const }, _meta: meta }) as never
    expect(isAppOnly(t({ ui: { visibility: ["app"] } }))).toBe(true)
    for (const m of [undefined, null, {}, { ui: null }, { ui: { resourceUri: "ui://x" } }, { ui: { visibility: [] } }, { ui: { visibility: ["model"] } }, { ui: { visibility: ["app", "model"] } }, { ui: { visibility: "app" } }]) expect(isAppOnly(t(m))).toBe(false)
    expect(isAppOnly(undefined)).toBe(false)
  })
})

describe("MCP Apps declared to 2026-07-28 servers (pool/era)", () => {
  test("a request made for no client (lists) declares the extension; one made for a client declares that client's", () => {
    const caps = (p: Record<string, unknown>) => (p._meta as Record<string, unknown>)["io.modelcontextprotocol/clientCapabilities"] as Record<string, unknown>
    expect(caps(withEnvelope(undefined)).extensions).toEqual({ "io.modelcontextprotocol/ui": { mimeTypes: ["text/html;profile=mcp-app"] } })
    expect(caps(withEnvelope({ name: "t" }, undefined, { sampling: {} }))).toEqual({ sampling: {} })
  })
})
