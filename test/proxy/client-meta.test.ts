/**
 * A client's own request `_meta` (trace context, app keys) reaches the downstream through the
 * compiled binary, as it would reach the server directly: tools/call, prompts/get, resources/read
 * and completion/complete; SDK v1 (legacy) and SDK v2 pinned to 2026-07-28 clients; a legacy (SDK v1)
 * and a modern-only (SDK v2) downstream. What is this hop's is not passed on: the client's
 * `progressToken` (ours replaces it), MCP-reserved keys (the 2026-07-28 envelope, related-task); a
 * `_meta` over 64 KiB of JSON is dropped whole. Before, the downstream got none of the client's keys.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client"
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio"
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport as V1Http } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { BIN, connectBinary, ensureBuilt, listUntil, sandboxEnv, startHttpBinary, writeConfig, type Connected } from "../helpers/binary.ts"
import { BUN, ROOT, until } from "./helpers.ts"

const ECHO = join(ROOT, "test", "fixtures", "servers", "meta-echo-server.ts")
const TRACE = { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", tracestate: "vendor=x", "app.example/session": { id: 7 } }
/** Keys of this hop: never passed on as the client sent them. */
const HOP = { "io.modelcontextprotocol/related-task": { taskId: "client-task" }, "dev.mcp/x": 1 }

function text(r: unknown): string {
  const c = (r as { content?: { text?: string }[]; messages?: { content: { text?: string } }[]; contents?: { text?: string }[] })
  return c.content?.[0]?.text ?? c.messages?.[0]?.content.text ?? c.contents?.[0]?.text ?? ""
}

/** What the legacy fixture reports: its `_meta`. The modern one reports `{ meta, envelope }`. */
function got(r: unknown, modern: boolean): Record<string, unknown> | null {
  const v = JSON.parse(text(r)) as Record<string, unknown> | null
  return modern ? (v!.meta as Record<string, unknown> | null) : v
}

/** What a run_code script's calls of the two fixtures answered: their texts, as the script received them. */
function scriptSaw(r: unknown): { leg: unknown; mod: unknown } {
  const [leg, mod] = (r as { structuredContent: { result: string[] } }).structuredContent.result
  return { leg: JSON.parse(leg!), mod: (JSON.parse(mod!) as { meta: unknown }).meta }
}

describe("a client's request _meta through the binary", () => {
  const env = sandboxEnv()
  let cfg: string
  let v1: Connected
  let v2: Client

  beforeAll(async () => {
    await ensureBuilt()
    cfg = writeConfig(env, { toolkit: { enabled: "off" }, plugins: { enabled: false }, servers: { leg: { command: BUN, args: [ECHO, "legacy"] }, mod: { command: BUN, args: [ECHO, "modern"] } } })
    v1 = await connectBinary(["serve", "--config", cfg], env)
    expect(await listUntil(v1.client, "mod__meta")).toContain("leg__meta")
    v2 = new Client({ name: "v2-meta", version: "1.0.0" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } })
    await v2.connect(new StdioClientTransport({ command: BIN, args: ["serve", "--config", cfg], env, stderr: "ignore", cwd: env.HOME }))
    expect(v2.getProtocolEra()).toBe("modern")
  }, 180_000)
  afterAll(async () => {
    await v1?.close()
    await v2?.close()
  })

  const clients = (): [string, Pick<Client, "callTool" | "getPrompt" | "readResource" | "listResources">][] => [
    ["SDK v1 (2025-11-25)", v1.client as never],
    ["SDK v2 (2026-07-28)", v2],
  ]

  for (const [server, modern] of [["leg", false], ["mod", true]] as const) {
    test(`tools/call, prompts/get, resources/read: the client's keys reach a ${modern ? "modern" : "legacy"} server, ours do not`, async () => {
      for (const [who, c] of clients()) {
        const sent = { ...TRACE, ...HOP }
        const call = got(await c.callTool({ name: `${server}__meta`, arguments: {}, _meta: sent }), modern)
        expect({ who, meta: call }).toEqual({ who, meta: TRACE })
        const prompt = got(await c.getPrompt({ name: `${server}__meta_prompt`, _meta: sent } as never), modern)
        expect({ who, meta: prompt }).toEqual({ who, meta: TRACE })
        const uri = (await c.listResources()).resources.find((r) => r.uri.endsWith(`${modern ? "modern" : "legacy"}/meta`))!.uri
        const read = got(await c.readResource({ uri, _meta: sent } as never), modern)
        expect({ who, meta: read }).toEqual({ who, meta: TRACE })
        // a call without _meta sends the downstream none of the client's
        const bare = got(await c.callTool({ name: `${server}__meta`, arguments: {} }), modern)
        expect({ who, meta: bare }).toEqual({ who, meta: null })
      }
    }, 60_000)
  }

  test("run_code: the run_code request's _meta goes on each call of its script (legacy and modern servers)", async () => {
    // the script gets each tool's text as it is (not JSON): it returns them side by side
    const code = 'return [await tools["leg__meta"]({}), await tools["mod__meta"]({})]'
    for (const [who, c] of clients()) {
      const r = await c.callTool({ name: "run_code", arguments: { code }, _meta: { ...TRACE, ...HOP } })
      expect({ who, isError: r.isError ?? false, text: r.isError ? text(r) : "" }).toEqual({ who, isError: false, text: "" })
      expect({ who, ...scriptSaw(r) }).toEqual({ who, leg: TRACE, mod: TRACE })
    }
    // a run without _meta sends the script's calls none of the client's
    expect(scriptSaw(await v1.client.callTool({ name: "run_code", arguments: { code } }))).toEqual({ leg: null, mod: null })
  }, 60_000)

  test("the client's progressToken is replaced by ours; its other keys go along", async () => {
    let progressed = 0
    const r = await v1.client.callTool({ name: "leg__meta", arguments: {}, _meta: TRACE }, undefined, { onprogress: () => progressed++ })
    const meta = got(r, false)!
    expect(meta.traceparent).toBe(TRACE.traceparent)
    expect(meta["app.example/session"]).toEqual({ id: 7 })
    // the SDK's token is the request id (a small number); ours is the pool's own
    expect(meta.progressToken).toBeDefined()
    expect(progressed).toBe(0)
  }, 30_000)

  test("completion/complete: the client's keys go along, never its progressToken", async () => {
    const r = await v1.client.complete({ ref: { type: "ref/prompt", name: "leg__meta_prompt" }, argument: { name: "x", value: "" }, _meta: { ...TRACE, progressToken: "client-token" } } as never)
    expect(JSON.parse(r.completion.values[0]!)).toEqual(TRACE)
  }, 30_000)

  test("a _meta over 64 KiB of JSON is not forwarded (the call is served)", async () => {
    const big = { traceparent: TRACE.traceparent, blob: "x".repeat(70 * 1024) }
    for (const [who, c] of clients()) {
      const meta = got(await c.callTool({ name: "leg__meta", arguments: {}, _meta: big }), false)
      expect({ who, meta }).toEqual({ who, meta: null })
    }
  }, 30_000)

  test("over Streamable HTTP too: a legacy session's call and a 2026-07-28 call", async () => {
    const token = "meta-test-token-0123456789"
    const http = await startHttpBinary(cfg, { ...env, MCPO_HTTP_TOKEN: token })
    const headers = { Authorization: `Bearer ${token}` }
    const legacy = new V1Client({ name: "v1-http-meta", version: "1" })
    const modern = new Client({ name: "v2-http-meta", version: "1" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } })
    try {
      await legacy.connect(new V1Http(new URL(http.url), { requestInit: { headers } }))
      expect(await until(async () => (await legacy.listTools()).tools.some((t) => t.name === "mod__meta"), 20_000)).toBe(true)
      await modern.connect(new StreamableHTTPClientTransport(new URL(http.url), { requestInit: { headers } }))
      for (const [server, isModern] of [["leg", false], ["mod", true]] as const) {
        expect(got(await legacy.callTool({ name: `${server}__meta`, arguments: {}, _meta: { ...TRACE, ...HOP } }), isModern)).toEqual(TRACE)
        expect(got(await modern.callTool({ name: `${server}__meta`, arguments: {}, _meta: { ...TRACE, ...HOP } }), isModern)).toEqual(TRACE)
        expect(got(await modern.getPrompt({ name: `${server}__meta_prompt`, _meta: TRACE } as never), isModern)).toEqual(TRACE)
      }
    } finally {
      await legacy.close().catch(() => {})
      await modern.close().catch(() => {})
      http.proc.kill("SIGTERM")
      await http.proc.exited
    }
  }, 90_000)
})
