/**
 * A request's `_meta.progressToken` through the compiled binary, on both faces and both eras: a
 * token is a string or a safe integer (as a request id). Another one (2^53+1, which parses rounded
 * to 2^53; an object; a boolean; 1.5) is -32602 naming it and what to send, on every request path
 * (the stdio fast lane's tools/call, the protocol layer's other methods, a 2026-07-28 request, an
 * HTTP session's call, an HTTP 2026-07-28 call). Before, it was taken silently: 2^53+1 came back as
 * 2^53 in notifications/progress (a token the client never sent), the others got no progress and
 * no word why. A usable token still comes back exactly (the largest safe integer, a string); null is
 * no token (as a null `_meta` is no `_meta`).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { BIN, ensureBuilt, ROOT, sandboxEnv, startHttpBinary, writeConfig, type HttpBinary } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

type Msg = { jsonrpc: string; id?: unknown; result?: unknown; error?: { code: number; message: string }; method?: string; params?: Record<string, unknown> }

const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const MODERN_META = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} }
/** Tokens no client can have back unchanged, as written on the wire. */
const BAD_TOKENS = ["9007199254740993", "-9007199254740993", '{"a":1}', "true", "1.5", "[1]"]
const REASON = /^Invalid params.*_meta\.progressToken must be a string or a safe integer .*got .*; send a string token, or none/

function configured(): { env: Record<string, string>; cfg: string } {
  const env = sandboxEnv()
  const cfg = writeConfig(env, { toolkit: { enabled: "off" }, plugins: { enabled: false }, servers: { ev: { command: process.execPath, args: [EVERYTHING, "stdio"] } } })
  return { env, cfg }
}

const call = (id: number, token: string, meta = ""): string =>
  `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"ev__echo","arguments":{"message":"hi"},"_meta":{${meta}"progressToken":${token}}}}`
const list = (id: number, token: string): string => `{"jsonrpc":"2.0","id":${id},"method":"tools/list","params":{"_meta":{"progressToken":${token}}}}`

describe("stdio", () => {
  test("a progressToken that is not a string or a safe integer is -32602 on every path; a usable one comes back exactly", async () => {
    const { env, cfg } = configured()
    const p = Bun.spawn([BIN, "serve", "--config", cfg], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env, cwd: env.HOME })
    const out = Promise.all([new Response(p.stdout).text(), p.exited])
    const init = JSON.stringify({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } } })
    const modernMeta = JSON.stringify(MODERN_META).slice(1, -1) + ","
    const lines = [init, '{"jsonrpc":"2.0","method":"notifications/initialized"}']
    BAD_TOKENS.forEach((t, i) => lines.push(call(100 + i, t), list(200 + i, t), call(300 + i, t, modernMeta)))
    // usable tokens: the largest safe integer and a string, on a call that reports progress
    const slow = (id: number, token: string) => `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"ev__trigger-long-running-operation","arguments":{"duration":1,"steps":2},"_meta":{"progressToken":${token}}}}`
    // the first tools/call waits for the server to be up (its tools listed)
    p.stdin.write(lines.slice(0, 2).join("\n") + "\n" + slow(1, "9007199254740991") + "\n" + slow(2, '"tok"') + "\n")
    await p.stdin.flush()
    p.stdin.write(lines.slice(2).join("\n") + "\n" + call(3, "null") + "\n" + list(4, "null") + "\n")
    await p.stdin.flush()
    // the slow calls answered, then EOF (the drain answers what is left)
    const killer = setTimeout(() => p.kill("SIGKILL"), 25_000)
    await Bun.sleep(4000)
    await p.stdin.end()
    const [stdout, code] = await out
    clearTimeout(killer)
    expect(code).toBe(0)
    const msgs = stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as Msg)
    for (const ids of [100, 200, 300]) {
      BAD_TOKENS.forEach((t, i) => {
        const a = msgs.filter((m) => m.id === ids + i)
        expect(a, `id ${ids + i} token ${t}`).toHaveLength(1)
        expect(a[0]!.error?.code, `id ${ids + i} token ${t}`).toBe(-32602)
        expect(a[0]!.error?.message).toMatch(REASON)
      })
    }
    // 2^53+1 is named for what it is, not shown rounded
    expect(msgs.find((m) => m.id === 100)!.error!.message).toContain("an integer beyond 2^53-1")
    const progress = msgs.filter((m) => m.method === "notifications/progress").map((m) => m.params!.progressToken)
    expect(progress).toContain(9007199254740991)
    expect(progress).toContain("tok")
    expect(progress.every((t) => t === 9007199254740991 || t === "tok")).toBe(true)
    expect(msgs.find((m) => m.id === 1)?.result).toBeDefined()
    expect(msgs.find((m) => m.id === 2)?.result).toBeDefined()
    // null is no token (as a null _meta is no _meta): served, no progress for it
    expect(msgs.find((m) => m.id === 3)?.result).toBeDefined()
    expect(msgs.find((m) => m.id === 4)?.result).toBeDefined()
  }, 40_000)
})

describe("HTTP", () => {
  let h: HttpBinary | undefined
  const TOKEN = "progress-token-test-0123456789"
  const headers = { Authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json, text/event-stream" }
  let session: Record<string, string>
  beforeAll(async () => {
    const { cfg } = configured()
    const env = { ...sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN }) }
    h = await startHttpBinary(cfg, env)
    const init = await fetch(h.url, { method: "POST", headers, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } } }) })
    expect(init.status).toBe(200)
    await init.body?.cancel()
    session = { ...headers, "mcp-session-id": init.headers.get("mcp-session-id")!, "mcp-protocol-version": "2025-11-25" }
  }, 30_000)
  afterAll(() => {
    h?.proc.kill("SIGTERM")
  })

  /** POSTs `body` and reads the answer, a JSON body or the last SSE event's data (5 s at most). */
  async function post(body: string, hs: Record<string, string>): Promise<Msg> {
    const r = await fetch(h!.url, { method: "POST", headers: hs, body, signal: AbortSignal.timeout(15_000) })
    const text = await r.text()
    const data = text.startsWith("{") ? text : text.split("\n").filter((l) => l.startsWith("data: ")).pop()!.slice(6)
    return JSON.parse(data) as Msg
  }

  test("legacy session and 2026-07-28 request: -32602 for each token no client can have back, with the stdio face's reason", async () => {
    const modernHeaders = { ...headers, "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/call", "mcp-name": "ev__echo" }
    const modernMeta = JSON.stringify(MODERN_META).slice(1, -1) + ","
    for (const [i, t] of BAD_TOKENS.entries()) {
      for (const [m, hs] of [[await post(call(10 + i, t), session), "session call"], [await post(list(30 + i, t), session), "session list"], [await post(call(50 + i, t, modernMeta), modernHeaders), "2026-07-28 call"]] as const) {
        expect(m.error?.code, `${hs} token ${t}`).toBe(-32602)
        expect(m.error?.message).toMatch(REASON)
      }
    }
    // a usable token is served, and null is no token (as a null _meta is no _meta)
    expect((await post(call(70, '"ok"'), session)).result).toBeDefined()
    expect((await post(call(71, "null"), session)).result).toBeDefined()
    expect((await post(call(72, "null", modernMeta), modernHeaders)).result).toBeDefined()
  }, 60_000)
})
