/**
 * A downstream's question relayed to the client of a call is withdrawn when that call ends WITH its
 * answer too (qa354): a server that asks and then answers its call without waiting for the answer
 * (the fixtures' `ask-then-finish`). Before, only the call's cancel or failure withdrew it: the
 * question stayed open at the client (its dialog showing) for the server's whole timeout (here
 * 120 s), its answer going nowhere. Each kind of legacy-era server, through the binary's HTTP face
 * with the SDK v2 Client:
 * - stdio (SDK v1 `McpServer`, a question naming no call: the latest caller's, withdrawn once no call
 *   is left there);
 * - 2025-11-25 Streamable HTTP (an SDK v2 `McpServer`, sessionful): on the call's POST stream (known
 *   to be its call's), and the SDK v2 `elicitInput`, which goes on the session's GET stream naming
 *   no call (the guess, as for stdio);
 * - legacy HTTP+SSE (SDK v1 `McpServer` on `SSEServerTransport`: one stream, nothing names a call).
 * A 2026-07-28 server asks through its call's input_required result (nothing stays open: the SDK v2
 * refuses `elicitInput` in a 2026-07-28 request, and so do we: pool/modern-server-requests); the
 * question we put to a legacy client for it is withdrawn when the client cancels the call (a check).
 *
 * A question known to be asked for a call that is over is not sent to any client, and the server
 * is told why in words that fit: the call already ended with its answer, or its client
 * disconnected (before: it was sent to the client of the answered call, or, the client gone, worded
 * "the client cancelled the call").
 *
 * A client that never answers: a call (no progress) whose server asks again each time its question
 * times out ends at pool.maxTotalTimeout, its last question withdrawn. Before, that bound was a
 * constant 600 s for calls without progress, whatever pool.maxTotalTimeout said.
 *
 * And with two clients (two sessions of our HTTP face) asked at once by one legacy HTTP+SSE
 * server, each answer goes back to the question it answers.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test"
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ensureBuilt, httpRunsStoppedAfterEach, ROOT, sandboxEnv, startHttpBinary, writeConfig, type HttpBinary } from "../helpers/binary.ts"
import { until } from "../proxy/helpers.ts"
import { startStatefulHttp } from "../fixtures/stateful-http.ts"
import { startLegacySseHttp, type LegacySseHttp } from "../fixtures/legacy-sse-http.ts"

const TOKEN = "relay-answered-token-0123456789"
const PUSH = join(ROOT, "test", "fixtures", "servers", "legacy-elicit-server.ts")

beforeAll(ensureBuilt, 120_000)
const streamable = startStatefulHttp()
let sse: LegacySseHttp
beforeAll(async () => {
  sse = await startLegacySseHttp()
})
afterAll(async () => {
  await streamable.stop()
  await sse.stop()
})
const runs = httpRunsStoppedAfterEach()
const clients: Client[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => {})
})

type Kind = "stdio" | "streamable" | "sse" | "modern"
const MODERN = join(ROOT, "test", "fixtures", "servers", "modern-server.ts")

async function start(kind: Kind, pool: Record<string, unknown> = { callTimeout: 120_000 }): Promise<HttpBinary> {
  const env = sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN })
  const web = kind === "modern" ? { command: process.execPath, args: [MODERN] } : kind === "stdio" ? { command: process.execPath, args: [PUSH] } : kind === "streamable" ? { url: streamable.url, protocol: "legacy" } : { url: sse.url, transport: "sse" }
  const cfg = writeConfig(env, { toolkit: { enabled: "off" }, plugins: { enabled: false }, pool, servers: { web } })
  const run = await startHttpBinary(cfg, env)
  runs.push(run)
  return run
}

interface Asked {
  aborted: boolean
  answer: (who: string) => void
}

/**
 * A client (its own session) declaring elicitation: it records each question, answers only when told, and sees whether it was withdrawn.
 * `noGetStream`: its GET stream is refused (405, as a client that opens none): only a call's own stream reaches it.
 */
async function connect(run: HttpBinary, name: string, tool: string, noGetStream = false): Promise<{ client: Client; asked: Asked[] }> {
  const client = new Client({ name, version: "1.0.0" }, { capabilities: { elicitation: { form: {} } } })
  const asked: Asked[] = []
  client.setRequestHandler("elicitation/create", (_req, ctx) => {
    return new Promise((resolve, reject) => {
      const a: Asked = { aborted: false, answer: (who) => resolve({ action: "accept", content: { who } }) }
      asked.push(a)
      ctx.mcpReq.signal.addEventListener("abort", () => ((a.aborted = true), reject(new Error("withdrawn"))), { once: true })
    })
  })
  const fetchNoGet = (input: string | URL | Request, init?: RequestInit): Promise<Response> => ((init?.method ?? "GET") === "GET" ? Promise.resolve(new Response(null, { status: 405 })) : fetch(input, init))
  await client.connect(new StreamableHTTPClientTransport(new URL(run.url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } }, ...(noGetStream ? { fetch: fetchNoGet } : {}) }))
  clients.push(client)
  expect(await until(async () => (await client.listTools()).tools.some((t) => t.name === `web__${tool}`), 60_000, 200)).toBe(true)
  return { client, asked }
}

const text = (r: unknown): string => JSON.stringify(r)

const cases = [
  { kind: "stdio", args: {} },
  { kind: "streamable", args: { tie: "stream" } },
  { kind: "streamable", args: { tie: "untied" } },
  { kind: "sse", args: {} },
] as const

describe.each(cases)("a $kind server asks, then answers its call without waiting ($args)", ({ kind, args }) => {
  test("the question is withdrawn at the client once the call has its answer", async () => {
    const run = await start(kind)
    const { client, asked } = await connect(run, "x", "ask-then-finish")
    const gate = join(mkdtempSync(join(tmpdir(), "relay-answered-")), "gate")
    const call = client.callTool({ name: "web__ask-then-finish", arguments: { ...args, gate } })
    expect(await until(() => asked.length === 1, 30_000)).toBe(true)
    writeFileSync(gate, "")
    expect(text(await call)).toContain("finished")
    // well within the relay's own 120 s: before, it stayed open that long
    expect(await until(() => asked[0]!.aborted, 25_000)).toBe(true)
  }, 120_000)
})

test.each(["stream", "untied"] as const)("a client with no GET stream (question %s): the withdrawal goes on the call's own stream, before its answer", async (tie) => {
  const run = await start("streamable")
  const { client, asked } = await connect(run, "x", "ask-then-finish", true)
  const gate = join(mkdtempSync(join(tmpdir(), "relay-answered-")), "gate")
  const call = client.callTool({ name: "web__ask-then-finish", arguments: { tie, gate } })
  expect(await until(() => asked.length === 1, 30_000)).toBe(true)
  writeFileSync(gate, "")
  expect(text(await call)).toContain("finished")
  // it came on that stream, before the answer closed it (before: sent after, with no GET stream to carry it: dropped)
  expect(await until(() => asked[0]!.aborted, 10_000)).toBe(true)
}, 120_000)

test("a client with no GET stream: a call ending by our timeout withdraws its question on its own stream too", async () => {
  const run = await start("stdio", { callTimeout: 120_000, maxTotalTimeout: "3s" })
  const { client, asked } = await connect(run, "x", "confirm", true)
  // with progress: bounded by pool.maxTotalTimeout while its question is open
  const call = client.callTool({ name: "web__confirm", arguments: {} }, { onprogress: () => {} }).then(
    (r) => text(r),
    (e: unknown) => String(e),
  )
  expect(await until(() => asked.length === 1, 30_000)).toBe(true)
  expect(await call).toMatch(/timed out/i)
  expect(await until(() => asked[0]!.aborted, 10_000)).toBe(true)
}, 120_000)

test("a client with no GET stream: its cancel of the call withdraws the question too", async () => {
  const run = await start("stdio")
  const { client, asked } = await connect(run, "x", "confirm", true)
  const ac = new AbortController()
  const call = client.callTool({ name: "web__confirm", arguments: {} }, { signal: ac.signal }).catch((e: unknown) => e)
  expect(await until(() => asked.length === 1, 30_000)).toBe(true)
  ac.abort("the user gave up")
  await call
  expect(await until(() => asked[0]!.aborted, 10_000)).toBe(true)
}, 120_000)

describe("a question known to be asked for a call that is over reaches no client", () => {
  test("the call already ended with its answer: the server is told so", async () => {
    const run = await start("stdio")
    const { client, asked } = await connect(run, "x", "ask-late")
    expect(text(await client.callTool({ name: "web__ask-late", arguments: {} }))).toContain("answered first")
    let got = ""
    expect(await until(async () => (got = text(await client.callTool({ name: "web__last-asked", arguments: {} }))).includes("error:"), 30_000, 200)).toBe(true)
    expect(got).toContain("elicitation/create withdrawn: the call it was asked for (tools/call of ask-late) has already ended with its answer")
    expect(asked.length).toBe(0)
  }, 120_000)

  test("a prompts/get already answered: the server is told so", async () => {
    const run = await start("stdio")
    const { client, asked } = await connect(run, "x", "last-asked")
    expect(JSON.stringify(await client.getPrompt({ name: "web__ask-late-prompt" }))).toContain("answered first")
    let got = ""
    expect(await until(async () => (got = text(await client.callTool({ name: "web__last-asked", arguments: {} }))).includes("error:"), 30_000, 200)).toBe(true)
    expect(got).toContain("elicitation/create withdrawn: the call it was asked for has already ended with its answer")
    expect(asked.length).toBe(0)
  }, 120_000)

  test("its client has disconnected: the server is told that, and no other client is asked", async () => {
    const run = await start("stdio")
    const x = await connect(run, "x", "ask-on-cancel")
    const y = await connect(run, "y", "last-asked")
    const call = x.client.callTool({ name: "web__ask-on-cancel", arguments: {} }).catch((e: unknown) => e)
    // the call is in flight at the server
    expect(await until(async () => text(await y.client.callTool({ name: "web__last-asked", arguments: {} })).includes("waiting"), 30_000, 200)).toBe(true)
    // the session ends (DELETE), as a client that goes away does
    await (x.client.transport as StreamableHTTPClientTransport).terminateSession()
    await x.client.close()
    await call
    let got = ""
    expect(await until(async () => (got = text(await y.client.callTool({ name: "web__last-asked", arguments: {} }))).includes("error:"), 30_000, 200)).toBe(true)
    expect(got).toContain("elicitation/create withdrawn: the client that made the call it was asked for (tools/call of ask-on-cancel) has disconnected")
    expect(y.asked.length).toBe(0)
  }, 120_000)
})

test("legacy HTTP+SSE: two clients asked at once by one server each get their own question, and each answer goes back to it", async () => {
  const run = await start("sse")
  const x = await connect(run, "x", "ask")
  const y = await connect(run, "y", "ask")
  const xCall = x.client.callTool({ name: "web__ask", arguments: {} })
  expect(await until(() => x.asked.length === 1, 30_000)).toBe(true)
  const yCall = y.client.callTool({ name: "web__ask", arguments: {} })
  expect(await until(() => y.asked.length === 1, 30_000)).toBe(true)
  // answered in the other order than asked
  y.asked[0]!.answer("y")
  x.asked[0]!.answer("x")
  expect(text(await xCall)).toContain('\\"who\\":\\"x\\"')
  expect(text(await yCall)).toContain('\\"who\\":\\"y\\"')
  expect({ x: x.asked.length, y: y.asked.length }).toEqual({ x: 1, y: 1 })
}, 120_000)

test("a client that never answers: a call whose server keeps asking ends at pool.maxTotalTimeout, its question withdrawn", async () => {
  // each question times out after the server's 2 s timeout; the server asks again each time
  const run = await start("stdio", { callTimeout: "2s", maxTotalTimeout: "5s" })
  const { client, asked } = await connect(run, "x", "ask-forever")
  const call = client.callTool({ name: "web__ask-forever", arguments: {} }).then(
    (r) => text(r),
    (e: unknown) => String(e),
  )
  expect(await until(() => asked.length >= 2, 30_000)).toBe(true)
  // well before 600 s (the test's own bound is 90 s)
  const got = await call
  expect(got).toMatch(/timed out/i)
  expect(got).toContain("pool.maxTotalTimeout")
  expect(await until(() => asked.every((a) => a.aborted), 20_000)).toBe(true)
}, 90_000)

test("a 2026-07-28 server's input_required question put to a legacy client is withdrawn when the client cancels the call", async () => {
  const run = await start("modern")
  const { client, asked } = await connect(run, "x", "ask")
  const ac = new AbortController()
  const call = client.callTool({ name: "web__ask", arguments: { question: "which?" } }, { signal: ac.signal }).catch((e: unknown) => e)
  expect(await until(() => asked.length === 1, 30_000)).toBe(true)
  ac.abort("the user gave up")
  await call
  expect(await until(() => asked[0]!.aborted, 25_000)).toBe(true)
}, 90_000)

describe.each(["stdio", "sse"] as const)("a %s server's question naming no call, asked after another client's later call ended", (kind) => {
  test("goes to the client whose call is still in flight, not to the one of the server's latest call (over)", async () => {
    const run = await start(kind)
    const x = await connect(run, "x", "ask-at-gate")
    const y = await connect(run, "y", "ask-at-gate")
    const gate = join(mkdtempSync(join(tmpdir(), "relay-answered-")), "gate")
    const asking = x.client.callTool({ name: "web__ask-at-gate", arguments: { gate } })
    // Y's call comes later and is over before the server asks (X's call is in flight all along)
    expect(text(await y.client.callTool({ name: kind === "sse" ? "web__echo" : "web__caps", arguments: kind === "sse" ? { text: "y" } : {} }))).not.toContain("isError\":true")
    writeFileSync(gate, "")
    expect(await until(() => x.asked.length + y.asked.length === 1, 30_000)).toBe(true)
    expect({ x: x.asked.length, y: y.asked.length }).toEqual({ x: 1, y: 0 })
    x.asked[0]!.answer("x")
    expect(text(await asking)).toContain('\\"who\\":\\"x\\"')
  }, 120_000)
})

test("stdio: a question naming no call, its call answered while another is in flight there, stays until that one ends too (it may be its)", async () => {
  const run = await start("stdio")
  const x = await connect(run, "x", "ask-then-finish")
  const y = await connect(run, "y", "wait")
  const ac = new AbortController()
  let waitDone = false
  const waiting = y.client
    .callTool({ name: "web__wait", arguments: { ms: 60_000 } }, { signal: ac.signal })
    .catch((e: unknown) => e)
    .finally(() => (waitDone = true))
  const gate = join(mkdtempSync(join(tmpdir(), "relay-answered-")), "gate")
  const call = x.client.callTool({ name: "web__ask-then-finish", arguments: { gate } })
  expect(await until(() => x.asked.length === 1, 30_000)).toBe(true)
  writeFileSync(gate, "")
  expect(text(await call)).toContain("finished")
  await Bun.sleep(1000)
  expect(x.asked[0]!.aborted).toBe(false)
  expect(waitDone).toBe(false)
  // the other call ends: looked at again, nothing left in flight, withdrawn
  ac.abort("done waiting")
  await waiting
  expect(await until(() => x.asked[0]!.aborted, 25_000)).toBe(true)
}, 120_000)
