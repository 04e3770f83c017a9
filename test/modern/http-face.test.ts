/**
 * Our HTTP face in both eras on one /mcp (and /mcp/t/<toolset>), against the compiled binary: the
 * SDK v1 Client (legacy sessions), the SDK v2 Client pinned to 2026-07-28 and in `auto`; the
 * revision's HTTP rules on the raw wire (Mcp-Method/Mcp-Name/version headers, -32022, removed
 * methods 404, GET 405, cache hints); `subscriptions/listen` receiving a list change; a closed
 * stream cancelling the call downstream; bearer and Origin checks on modern requests. Behind it: a
 * legacy raw JSON-RPC server (fault-server, which records `notifications/cancelled`) and a
 * modern-only SDK v2 server.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Client as V2Client, StreamableHTTPClientTransport as V2Transport } from "@modelcontextprotocol/client"
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport as V1Transport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { sandboxEnv, startHttpBinary, tempDir, type HttpBinary } from "../helpers/binary.ts"
import { BUN, ROOT, until } from "../proxy/helpers.ts"
import { modernPost } from "./http-post.ts"

const TOKEN = "http-face-" + crypto.randomUUID()
const V = "2026-07-28"
const ENVELOPE = { "io.modelcontextprotocol/protocolVersion": V, "io.modelcontextprotocol/clientCapabilities": {} }
const dir = tempDir("mcpo-http-face-")
const cancelLog = join(dir, "cancel.log")
const callLog = join(dir, "call.log")
/** Lines of a fixture's log file so far (none before it exists). */
const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [])
let run: HttpBinary

const text = (r: unknown): string => (r as { content: { text?: string }[] }).content[0]?.text ?? ""

beforeAll(async () => {
  const cfg = join(dir, "config.json")
  writeFileSync(
    cfg,
    JSON.stringify({
      servers: {
        fault: { command: BUN, args: [join(ROOT, "test", "fixtures", "servers", "fault-server.ts"), "--cancel-log", cancelLog, "--call-log", callLog] },
        modern: { command: BUN, args: [join(ROOT, "test", "fixtures", "servers", "modern-server.ts")], protocol: "modern" },
      },
      warm: ["fault", "modern"],
      toolsets: { m: { servers: ["modern"] } },
      toolkit: { enabled: "off" },
      plugins: { enabled: false },
    }),
  )
  run = await startHttpBinary(cfg, sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN }))
  // both servers listed (warm start is asynchronous)
  const c = await v1(run.url)
  expect(await until(async () => (await c.listTools()).tools.filter((t) => t.name === "fault__echo" || t.name === "modern__echo").length === 2, 20_000)).toBe(true)
  await c.close()
}, 120_000)

afterAll(async () => {
  run?.proc.kill("SIGTERM")
  await run?.proc.exited
  rmSync(dir, { recursive: true, force: true })
})

async function v1(url: string): Promise<V1Client> {
  const client = new V1Client({ name: "legacy", version: "1.0.0" }, { capabilities: {} })
  await client.connect(new V1Transport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }))
  return client
}

async function v2(url: string, mode: "auto" | { pin: string }): Promise<V2Client> {
  const client = new V2Client({ name: "modern", version: "1.0.0" }, { versionNegotiation: { mode } })
  await client.connect(new V2Transport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }))
  return client
}

/** A raw modern POST with the headers the revision asks for (overridable). */
function post(method: string, params: Record<string, unknown>, headers: Record<string, string> = {}, id: number | string = 1, url = run.url, signal?: AbortSignal): Promise<Response> {
  return modernPost({ url, token: TOKEN, method, params, headers, id, ...(signal ? { signal } : {}) })
}

type Answer = { id?: unknown; result?: Record<string, unknown>; error?: { code: number; data?: Record<string, unknown> } }

describe("HTTP face: legacy and modern clients on one endpoint", () => {
  test("Mcp-Param-* (SEP-2243): the v2 client's mirrored header passes; a missing or different one is 400 -32020", async () => {
    const c = await v2(run.url, { pin: V })
    const listed = await c.listTools()
    expect(JSON.stringify(listed.tools.find((t) => t.name === "modern__regional")?.inputSchema)).toContain('"x-mcp-header":"Region"')
    expect(text(await c.callTool({ name: "modern__regional", arguments: { region: "eu-west-1" } }))).toBe("region:eu-west-1")
    await c.close()
    const call = { name: "modern__regional", arguments: { region: "eu" }, _meta: ENVELOPE }
    for (const headers of [{}, { "Mcp-Param-Region": "us" }] as Record<string, string>[]) {
      const r = await post("tools/call", call, headers)
      expect(r.status).toBe(400)
      expect(((await r.json()) as Answer).error?.code).toBe(-32020)
    }
    const ok = await post("tools/call", call, { "Mcp-Param-Region": "eu" })
    expect(ok.status).toBe(200)
    expect(text(((await ok.json()) as Answer).result)).toBe("region:eu")
  })

  test("SDK v1 client (legacy session) on /mcp and on /mcp/t/<toolset>", async () => {
    const c = await v1(run.url)
    expect(text(await c.callTool({ name: "modern__echo", arguments: { text: "v1" } }))).toBe("modern:v1")
    expect(text(await c.callTool({ name: "fault__echo", arguments: { message: "v1" } }))).toContain("v1")
    await c.close()
    const t = await v1(run.url + "/t/m")
    const names = (await t.listTools()).tools.map((x) => x.name)
    expect(names).toContain("modern__echo")
    expect(names).not.toContain("fault__echo")
    await t.close()
  }, 30_000)

  for (const mode of [{ pin: V }, "auto"] as const) {
    test(`SDK v2 client (${typeof mode === "string" ? mode : "pinned " + V}) is served statelessly, on /mcp and /mcp/t/<toolset>`, async () => {
      const c = await v2(run.url, mode)
      expect(c.getProtocolEra()).toBe("modern")
      const names = (await c.listTools()).tools.map((x) => x.name)
      expect(names).toEqual(expect.arrayContaining(["modern__echo", "fault__echo", "orchestrator_status"]))
      expect(text(await c.callTool({ name: "modern__echo", arguments: { text: "v2" } }))).toBe("modern:v2")
      expect(text(await c.callTool({ name: "fault__echo", arguments: { message: "v2" } }))).toContain("v2")
      const failed = await c.callTool({ name: "modern__fail", arguments: {} })
      expect(failed.isError).toBe(true)
      await c.close()
      const t = await v2(run.url + "/t/m", mode)
      const only = (await t.listTools()).tools.map((x) => x.name)
      expect(only).toContain("modern__echo")
      expect(only).not.toContain("fault__echo")
      await t.close()
    }, 30_000)
  }

  test("a modern request opens no session; its results carry resultType and honest cache hints", async () => {
    const before = await (await fetch(run.url.replace(/\/mcp$/, "/metrics"))).text()
    const res = await post("tools/list", {}, { "mcp-session-id": "not-a-session" })
    expect(res.status).toBe(200)
    expect(res.headers.get("mcp-session-id")).toBeNull()
    const a = (await res.json()) as Answer
    expect(a.result).toMatchObject({ resultType: "complete", ttlMs: 0, cacheScope: "private" })
    const call = (await (await post("tools/call", { name: "modern__echo", arguments: { text: "raw" } }, {}, "c1")).json()) as Answer
    expect(call).toMatchObject({ id: "c1", result: { resultType: "complete", content: [{ type: "text", text: "modern:raw" }] } })
    const sessions = (t: string) => /^mcpo_http_sessions (\d+)$/m.exec(t)?.[1]
    expect(sessions(await (await fetch(run.url.replace(/\/mcp$/, "/metrics"))).text())).toBe(sessions(before))
    const discover = (await (await post("server/discover", {})).json()) as Answer
    expect(discover.result).toMatchObject({ supportedVersions: expect.arrayContaining([V]), resultType: "complete" })
  })
})

describe("HTTP face: the 2026-07-28 wire rules", () => {
  test("Mcp-Method, Mcp-Name and MCP-Protocol-Version must match the body: 400 -32020", async () => {
    const cases: [string, Record<string, unknown>, Record<string, string>][] = [
      ["tools/list", {}, { "mcp-method": "prompts/list" }],
      ["tools/call", { name: "modern__echo", arguments: { text: "x" } }, { "mcp-name": "fault__echo" }],
      ["resources/read", { uri: "mem://a" }, { "mcp-name": "mem://b" }],
      ["tools/list", {}, { "mcp-protocol-version": "2025-11-25" }],
    ]
    for (const [method, params, headers] of cases) {
      const res = await post(method, params, headers, 7)
      expect(res.status).toBe(400)
      expect((await res.json()) as Answer).toMatchObject({ id: 7, error: { code: -32020 } })
    }
    // missing headers are mismatches too
    const noMethod = await fetch(run.url, {
      method: "POST",
      headers: { Authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json", "mcp-protocol-version": V },
      body: JSON.stringify({ jsonrpc: "2.0", id: 8, method: "tools/list", params: { _meta: ENVELOPE } }),
    })
    expect(noMethod.status).toBe(400)
    expect(((await noMethod.json()) as Answer).error?.code).toBe(-32020)
  })

  test("an unsupported version: 400 -32022 with the supported list and the requested version", async () => {
    const res = await fetch(run.url, {
      method: "POST",
      headers: { Authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json", "mcp-protocol-version": "2099-01-01", "mcp-method": "tools/list" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 3, method: "tools/list", params: { _meta: { ...ENVELOPE, "io.modelcontextprotocol/protocolVersion": "2099-01-01" } } }),
    })
    expect(res.status).toBe(400)
    const a = (await res.json()) as Answer
    expect(a.error?.code).toBe(-32022)
    expect(a.error?.data).toMatchObject({ supported: [V], requested: "2099-01-01" })
  })

  test("missing _meta fields: 400 -32602; removed and unknown methods: 404 -32601; GET/DELETE: 405", async () => {
    const noCaps = await fetch(run.url, {
      method: "POST",
      headers: { Authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json", "mcp-protocol-version": V, "mcp-method": "server/discover" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 4, method: "server/discover", params: { _meta: { "io.modelcontextprotocol/protocolVersion": V } } }),
    })
    expect(noCaps.status).toBe(400)
    expect(((await noCaps.json()) as Answer).error?.code).toBe(-32602)
    for (const method of ["ping", "initialize", "logging/setLevel", "resources/subscribe", "no/such-method"]) {
      const res = await post(method, {}, {}, 5)
      expect(res.status).toBe(404)
      expect((await res.json()) as Answer).toMatchObject({ id: 5, error: { code: -32601 } })
    }
    for (const method of ["GET", "DELETE"]) {
      const res = await fetch(run.url, { method, headers: { Authorization: `Bearer ${TOKEN}`, accept: "text/event-stream", "mcp-protocol-version": V } })
      expect(res.status).toBe(405)
    }
  })

  test("bearer token and Origin are checked on modern requests too", async () => {
    const noToken = await post("server/discover", {}, { Authorization: "" })
    expect(noToken.status).toBe(401)
    const wrong = await post("tools/list", {}, { Authorization: "Bearer nope-0123456789" })
    expect(wrong.status).toBe(401)
    const evil = await post("tools/list", {}, { Origin: "http://evil.example.com" })
    expect(evil.status).toBe(403)
  })
})

describe("HTTP face: streams", () => {
  test("subscriptions/listen over HTTP: acknowledged, then a downstream's list change arrives tagged", async () => {
    const c = await v2(run.url, { pin: V })
    const changed: unknown[] = []
    c.setNotificationHandler("notifications/tools/list_changed", (n) => void changed.push(n))
    const sub = await c.listen({ toolsListChanged: true })
    expect(sub.honoredFilter).toMatchObject({ toolsListChanged: true })
    await c.callTool({ name: "modern__add_tool", arguments: { name: "late_one" } })
    expect(await until(() => changed.length > 0, 10_000)).toBe(true)
    expect((await c.listTools()).tools.map((t) => t.name)).toContain("modern__late_one")
    await sub.close()
    await c.close()
  }, 30_000)

  test("closing a modern call's stream cancels the call downstream (notifications/cancelled reaches the server)", async () => {
    const before = lines(cancelLog).length
    const hangs = (): number => lines(callLog).filter((l) => l === "hang").length
    const calledBefore = hangs()
    const ac = new AbortController()
    // the hanging call sends nothing: the response (JSON or stream) never completes
    const pending = post("tools/call", { name: "fault__hang", arguments: {} }, {}, 99, run.url, ac.signal).then(
      async (r) => {
        await r.body?.getReader().read()
        return "answered"
      },
      () => "aborted",
    )
    // closed once the server has the call (closed before it got there, the call is never sent: nothing to cancel)
    expect(await until(() => hangs() > calledBefore, 15_000)).toBe(true)
    ac.abort()
    expect(["aborted", "answered"]).toContain(await pending)
    expect(await until(() => lines(cancelLog).slice(before).some((l) => l.includes("requestId")), 10_000)).toBe(true)
  }, 20_000)
})
