/**
 * A remote (Streamable HTTP) server's question (elicitation/create) goes to the client of the call
 * it was asked for, and is withdrawn at that call's own end. The server sends it on that call's POST
 * response stream (or names the call in `_meta`: the related-request id, or the call's progress
 * token), so which call it belongs to is known. Before, the stdio guess was used: the client of the
 * server's latest call. Two clients on the binary's HTTP face: X calls `ask-after-wait` (the fixture
 * asks only once another call is in flight), Y calls `wait`: X's question went to Y; and when X
 * cancelled, its question stayed open until Y's call ended too (the server had a call in flight).
 * The same for a stdio server whose question names its call in `_meta`.
 * For 2026-07-28 clients the question goes back as input_required of the request it was asked
 * for: before, it went to the server's latest call that held no question (Y's).
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test"
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client"
import { join } from "node:path"
import { ensureBuilt, httpRunsStoppedAfterEach, ROOT, sandboxEnv, startHttpBinary, writeConfig, type HttpBinary } from "../helpers/binary.ts"
import { until } from "../proxy/helpers.ts"
import { startStatefulHttp } from "../fixtures/stateful-http.ts"
import { modernPost } from "../modern/http-post.ts"

const TOKEN = "relay-remote-owner-token-0123456789"

beforeAll(ensureBuilt, 120_000)
const remote = startStatefulHttp()
afterAll(() => remote.stop())
const runs = httpRunsStoppedAfterEach()
const clients: Client[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => {})
})

interface Asked {
  aborted: boolean
}

const PUSH = join(ROOT, "test", "fixtures", "servers", "legacy-elicit-server.ts")

/** The binary's HTTP face with `web`: the remote fixture, or (`stdio`) legacy-elicit-server over stdio. */
async function start(stdio = false): Promise<HttpBinary> {
  const env = sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN })
  const web = stdio ? { command: process.execPath, args: [PUSH] } : { url: remote.url, protocol: "legacy" }
  const cfg = writeConfig(env, { toolkit: { enabled: "off" }, plugins: { enabled: false }, pool: { callTimeout: 120_000 }, servers: { web } })
  const run = await startHttpBinary(cfg, env)
  runs.push(run)
  return run
}

/** A client (its own session) declaring elicitation, whose handler never answers: it records each question and whether it was withdrawn. */
async function connect(run: HttpBinary, name: string): Promise<{ client: Client; asked: Asked[] }> {
  const client = new Client({ name, version: "1.0.0" }, { capabilities: { elicitation: { form: {} } } })
  const asked: Asked[] = []
  client.setRequestHandler("elicitation/create", (_req, ctx) => {
    const a: Asked = { aborted: false }
    asked.push(a)
    return new Promise<never>((_, reject) => ctx.mcpReq.signal.addEventListener("abort", () => ((a.aborted = true), reject(new Error("withdrawn"))), { once: true }))
  })
  await client.connect(new StreamableHTTPClientTransport(new URL(run.url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }))
  clients.push(client)
  expect(await until(async () => (await client.listTools()).tools.some((t) => t.name === "web__ask-after-wait"), 60_000, 200)).toBe(true)
  return { client, asked }
}

const cases = [
  { server: "remote", tie: "stream" },
  { server: "remote", tie: "related" },
  { server: "remote", tie: "progress" },
  { server: "stdio", tie: "related" },
  { server: "stdio", tie: "progress" },
] as const

describe.each(cases)("a $server server's question tied to its call ($tie)", ({ server, tie }) => {
  test("goes to the client of that call, not of the server's latest call; withdrawn at that call's cancel while another call is in flight", async () => {
    const run = await start(server === "stdio")
    const x = await connect(run, "x")
    const y = await connect(run, "y")
    const ac = new AbortController()
    const asking = x.client.callTool({ name: "web__ask-after-wait", arguments: { tie } }, { signal: ac.signal, ...(tie === "progress" ? { onprogress: () => {} } : {}) }).catch((e: unknown) => e)
    // the fixture asks once this call is in flight: Y's call is then the server's latest
    let waitDone = false
    const waiting = y.client.callTool({ name: "web__wait", arguments: { ms: 60_000 } }).finally(() => (waitDone = true))
    expect(await until(() => x.asked.length + y.asked.length === 1, 30_000)).toBe(true)
    expect({ x: x.asked.length, y: y.asked.length }).toEqual({ x: 1, y: 0 })
    // X gives up: its question is withdrawn now, not once Y's call (in flight at that server) ends
    ac.abort("the user gave up")
    await asking
    expect(await until(() => x.asked[0]!.aborted || waitDone, 50_000)).toBe(true)
    expect(x.asked[0]!.aborted).toBe(true)
    expect(waitDone).toBe(false)
    await y.client.close()
    await waiting.catch(() => {})
  }, 120_000)
})

/** The JSON-RPC answer in a POST's response (a JSON body, or the data of an SSE event). */
async function answerOf(res: Promise<Response>): Promise<{ id: string; result?: Record<string, unknown>; error?: { message: string } }> {
  const text = await (await res).text()
  const json = text.trimStart().startsWith("{") ? text : text.split("\n").filter((l) => l.startsWith("data:") && l.includes('"jsonrpc"')).map((l) => l.slice(5)).pop()!
  return JSON.parse(json) as { id: string; result?: Record<string, unknown>; error?: { message: string } }
}

test("2026-07-28 clients: the question goes back as input_required of the request it was asked for, not of the server's latest call", async () => {
  const run = await start()
  await connect(run, "lister")
  const post = (id: string, name: string, args: object, signal?: AbortSignal) => answerOf(modernPost({ url: run.url, token: TOKEN, method: "tools/call", id, params: { name, arguments: args }, caps: { elicitation: {} }, ...(signal ? { signal } : {}) }))
  const ac = new AbortController()
  const asking = post("x", "web__ask-after-wait", { tie: "stream" })
  const waiting = post("y", "web__wait", { ms: 60_000 }, ac.signal).catch(() => undefined)
  const first = await Promise.race([asking, waiting])
  ac.abort()
  expect(first?.id).toBe("x")
  expect(first?.result?.resultType).toBe("input_required")
}, 120_000)
