/**
 * The 2024-11-05 HTTP+SSE transport on our HTTP face, against the compiled binary (`serve --http`),
 * with the SDK v1 `SSEClientTransport` + `Client` (what older mcp-remote, LangChain/LlamaIndex
 * adapters and "MCP SSE" client libraries speak): `GET /sse` opens a session whose first event names
 * `/messages?sessionId=…`, the POSTs there are 202 and every answer comes on the stream. The same tool
 * surface as Streamable HTTP, a proxied call to npm's server-everything with its progress, a client's
 * cancel and a stream the client closes both reaching the downstream as `notifications/cancelled`,
 * two sessions at once, a toolset's own `/mcp/t/<name>/sse`, the bearer token and Origin checks, and
 * SIGTERM with a stream open and a call in flight.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { readFileSync, writeFileSync, existsSync } from "node:fs"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { ROOT, sandboxEnv, startHttpBinary, tempDir, type HttpBinary } from "../helpers/binary.ts"
import { readUntil, waitFor } from "../helpers/wait.ts"

const TOKEN = "sse-token-" + crypto.randomUUID()
const AUTH = { Authorization: `Bearer ${TOKEN}` }
const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const FAULT = join(ROOT, "test", "fixtures", "servers", "fault-server.ts")
const dir = tempDir("mcpo-http-sse-")
const cancelLog = join(dir, "cancel.log")
const callLog = join(dir, "call.log")

let run: HttpBinary
/** The server's root URL (`http://127.0.0.1:<port>`). */
let root: string

beforeAll(async () => {
  const cfg = join(dir, "config.json")
  writeFileSync(
    cfg,
    JSON.stringify({
      servers: { everything: { command: process.execPath, args: [EVERYTHING, "stdio"] }, fault: { command: process.execPath, args: [FAULT, "--cancel-log", cancelLog, "--call-log", callLog] } },
      warm: ["everything", "fault"],
      toolsets: { ro: { servers: ["fault"] } },
      toolkit: { enabled: "off" },
      plugins: { enabled: false },
    }),
  )
  run = await startHttpBinary(cfg, sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN }))
  root = new URL(run.url).origin
}, 120_000)

afterAll(async () => {
  if (run && run.proc.exitCode === null) {
    run.proc.kill("SIGKILL")
    await run.proc.exited
  }
})

async function sseClient(path = "/sse"): Promise<{ client: Client; transport: SSEClientTransport }> {
  const transport = new SSEClientTransport(new URL(`${root}${path}`), { requestInit: { headers: AUTH } })
  const client = new Client({ name: "legacy-sse", version: "1.0.0" }, { capabilities: {} })
  await client.connect(transport)
  return { client, transport }
}

/** Lines of the fault server's cancel log that are cancellations. */
function cancellations(): string[] {
  if (!existsSync(cancelLog)) return []
  return readFileSync(cancelLog, "utf8")
    .split("\n")
    .filter((l) => l.includes("requestId"))
}

/** tools/call requests the fault server received. */
function calls(): number {
  return existsSync(callLog) ? readFileSync(callLog, "utf8").split("\n").filter(Boolean).length : 0
}

/** Starts `fault__hang` on `client` and resolves once the fault server holds it. */
async function hang(client: Client, signal?: AbortSignal): Promise<{ call: Promise<string> }> {
  const before = calls()
  const call = client.callTool({ name: "fault__hang", arguments: {} }, undefined, signal ? { signal } : {}).then(
    (r) => JSON.stringify(r),
    (e: Error) => `rejected: ${e.message}`,
  )
  await waitFor("the fault server to hold the call", () => calls() > before, 20_000)
  expect(calls()).toBe(before + 1)
  // wrapped: an async function returning the promise would wait for it
  return { call }
}

/** A raw GET /sse: the response and its first event's text. */
async function rawOpen(path = "/sse", headers: Record<string, string> = AUTH): Promise<{ res: Response; first: string; reader?: ReadableStreamDefaultReader<Uint8Array> }> {
  const res = await fetch(`${root}${path}`, { headers: { Accept: "text/event-stream", ...headers } })
  if (res.status !== 200) return { res, first: await res.text() }
  const reader = res.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>
  return { res, first: await readUntil(reader, "\n\n"), reader }
}

describe("the 2024-11-05 HTTP+SSE transport (GET /sse, POST /messages)", () => {
  test("the SDK's SSE client connects; tools/list is Streamable HTTP's; a proxied call with progress", async () => {
    const { client } = await sseClient()
    expect(client.getServerVersion()?.name).toBe("mcp-orchestrator")
    const { tools } = await client.listTools()
    const names = tools.map((t) => t.name).sort()
    expect(names).toContain("everything__echo")
    expect(names).toContain("fault__hang")

    const streamable = new Client({ name: "streamable", version: "1.0.0" }, { capabilities: {} })
    await streamable.connect(new StreamableHTTPClientTransport(new URL(run.url), { requestInit: { headers: AUTH } }))
    expect((await streamable.listTools()).tools.map((t) => t.name).sort()).toEqual(names)
    await streamable.close()

    const echo = await client.callTool({ name: "everything__echo", arguments: { message: "over sse" } })
    expect(JSON.stringify(echo.content)).toContain("over sse")

    const progress: number[] = []
    const long = await client.callTool({ name: "everything__trigger-long-running-operation", arguments: { duration: 1, steps: 3 } }, undefined, {
      onprogress: (p) => void progress.push(p.progress),
    })
    expect(long.isError).toBeFalsy()
    expect(progress).toEqual([1, 2, 3])
    await client.close()
  }, 60_000)

  test("two sessions at once, each answered on its own stream", async () => {
    const a = await sseClient()
    const b = await sseClient()
    const [ra, rb] = await Promise.all([
      a.client.callTool({ name: "everything__echo", arguments: { message: "from a" } }),
      b.client.callTool({ name: "everything__echo", arguments: { message: "from b" } }),
    ])
    expect(JSON.stringify(ra.content)).toContain("from a")
    expect(JSON.stringify(rb.content)).toContain("from b")
    await Promise.all([a.client.close(), b.client.close()])
  }, 60_000)

  test("a client's cancel reaches the downstream", async () => {
    const { client } = await sseClient()
    const before = cancellations().length
    const abort = new AbortController()
    const { call } = await hang(client, abort.signal)
    abort.abort("changed my mind")
    expect(await call).toStartWith("rejected")
    await waitFor("the cancellation downstream", () => cancellations().length > before, 20_000)
    expect(cancellations().length).toBe(before + 1)
    // the session goes on
    const echo = await client.callTool({ name: "everything__echo", arguments: { message: "still here" } })
    expect(JSON.stringify(echo.content)).toContain("still here")
    await client.close()
  }, 60_000)

  test("a stream the client closes ends its session: its calls in flight are cancelled downstream (said once in the log), a later POST is 410", async () => {
    const { client, transport } = await sseClient()
    const endpoint = (transport as unknown as { _endpoint: URL })._endpoint
    expect(endpoint.pathname).toBe("/messages")
    expect(endpoint.searchParams.get("sessionId")).toMatch(/^[0-9a-f-]{36}$/)
    const before = cancellations().length
    await hang(client)
    await transport.close()
    await waitFor("the cancellation downstream", () => cancellations().length > before, 20_000)
    expect(cancellations().length).toBe(before + 1)
    const late = await fetch(endpoint, { method: "POST", headers: { ...AUTH, "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "ping" }) })
    expect(late.status).toBe(410)
    expect(await late.text()).toContain("its event stream closed")
    // said once, in the log: which requests the session's end left unanswered
    const session = endpoint.searchParams.get("sessionId")!.slice(0, 8)
    const saidLines = () => run.stderr().split("\n").filter((l) => l.includes("http+sse session ended with requests in flight") && l.includes(session))
    // log lines are written in batches: the cancellation can reach the server before its line is out
    await waitFor("the log line of the session's end", () => saidLines().length > 0, 20_000)
    const said = saidLines()
    expect(said).toHaveLength(1)
    expect(JSON.parse(said[0]!)).toMatchObject({ why: "the client closed the event stream", cancelled: 1, methods: ["tools/call"] })
  }, 60_000)

  test("a toolset's own /mcp/t/<name>/sse serves that toolset", async () => {
    const { client, transport } = await sseClient("/mcp/t/ro/sse")
    expect((transport as unknown as { _endpoint: URL })._endpoint.pathname).toBe("/mcp/t/ro/messages")
    const names = (await client.listTools()).tools.map((t) => t.name)
    expect(names).toContain("fault__echo")
    expect(names).not.toContain("everything__echo")
    await client.close()
  }, 60_000)

  test("raw: the endpoint event first; unknown, missing and foreign session ids; no batches; GET /mcp points at /sse", async () => {
    const { res, first, reader } = await rawOpen()
    expect(res.headers.get("content-type")).toBe("text/event-stream")
    const m = /^event: endpoint\ndata: (\/messages\?sessionId=([0-9a-f-]{36}))\n\n$/.exec(first)
    expect(m).not.toBeNull()
    const post = (url: string, body: unknown, headers: Record<string, string> = AUTH) => fetch(`${root}${url}`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) })
    const init = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2024-11-05", capabilities: {}, clientInfo: { name: "raw", version: "1" } } }
    const accepted = await post(m![1]!, init)
    expect(accepted.status).toBe(202)
    // the answer is on the stream
    const text = await readUntil(reader!, '"id":1')
    expect(text).toContain("event: message\ndata: {")
    expect(text).toContain('"protocolVersion":"2024-11-05"')

    expect((await post("/messages?sessionId=00000000-0000-0000-0000-000000000000", init)).status).toBe(404)
    const missing = await post("/messages", init)
    expect(missing.status).toBe(400)
    expect(await missing.text()).toContain("sessionId")
    expect((await post(m![1]!, [{ jsonrpc: "2.0", id: 2, method: "ping" }])).status).toBe(400)
    // an HTTP+SSE session id is no Streamable HTTP session
    const onMcp = await fetch(run.url, { method: "POST", headers: { ...AUTH, "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-session-id": m![2]! }, body: JSON.stringify({ jsonrpc: "2.0", id: 3, method: "ping" }) })
    expect(onMcp.status).toBe(404)
    // a Streamable HTTP GET without a session now names /sse
    const get = await fetch(run.url, { headers: { ...AUTH, accept: "text/event-stream" } })
    expect(get.status).toBe(400)
    expect(await get.text()).toContain("connects to /sse")
    await reader!.cancel()
  }, 60_000)

  test("the bearer token and the Origin check guard both paths", async () => {
    const noToken = await rawOpen("/sse", {})
    expect(noToken.res.status).toBe(401)
    const wrong = await rawOpen("/sse", { Authorization: "Bearer not-the-token" })
    expect(wrong.res.status).toBe(401)
    const foreign = await rawOpen("/sse", { ...AUTH, Origin: "https://evil.example" })
    expect(foreign.res.status).toBe(403)
    // the SDK client sees the 401 at connect
    const transport = new SSEClientTransport(new URL(`${root}/sse`), { requestInit: { headers: { Authorization: "Bearer nope" } } })
    const client = new Client({ name: "legacy-sse", version: "1.0.0" }, { capabilities: {} })
    expect(await client.connect(transport).then(() => "connected", (e: Error) => e.message)).toContain("401")
    await client.close()
    // a session's POSTs need the token too
    const { reader, first } = await rawOpen()
    const path = /data: (\S+)/.exec(first)![1]!
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" })
    expect((await fetch(`${root}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body })).status).toBe(401)
    expect((await fetch(`${root}${path}`, { method: "POST", headers: { ...AUTH, "content-type": "application/json", Origin: "https://evil.example" }, body })).status).toBe(403)
    await reader!.cancel()
  }, 60_000)

  // last: it stops the binary
  test("SIGTERM with a stream open and a call in flight: the call is answered with the shutdown error, the process exits 0", async () => {
    const { client } = await sseClient()
    const { call } = await hang(client)
    run.proc.kill("SIGTERM")
    expect(await run.proc.exited).toBe(0)
    expect(await call).toContain("SHUTTING_DOWN")
    // the SDK's EventSource would try to reconnect (a client closes on its own, not on the stream's end)
    await client.close()
  }, 60_000)
})
