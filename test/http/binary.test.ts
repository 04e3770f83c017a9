/**
 * End to end against the compiled binary: `serve --no-stdio --http 127.0.0.1:0`, the SDK's
 * Streamable HTTP client, /metrics after calls, SIGTERM shutdown. With the proxy wired in
 * src/app/orchestrator.ts, also a proxied call with progress, a dropped call stream resumed with
 * `GET` + `Last-Event-ID` (the result arrives once), and a dropped stream nobody resumes, whose call
 * must reach the downstream as `notifications/cancelled` after the resume grace.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { RESUME_GRACE_MS } from "../../src/http/index.ts"
import { BIN, ROOT, connectBinary, ensureBuilt, sandboxEnv, startHttpBinary, tempDir } from "../helpers/binary.ts"
import { BUDGET_OVERRUN, exitCode, readUntil, waitFor } from "../helpers/wait.ts"

const TOKEN = "e2e-token-" + crypto.randomUUID()
/** The proxied part runs once app/ builds an Upstream (the proxy engineer's createProxy). */
const PROXY_WIRED = /createProxy\(/.test(readFileSync(join(ROOT, "src", "app", "orchestrator.ts"), "utf8"))

interface Running {
  proc: Bun.Subprocess<"ignore", "ignore", "pipe">
  url: string
  stderr: () => string
}

let run: Running
const dir = tempDir("mcpo-http-e2e-")
const cancelLog = join(dir, "cancel.log")
const callLog = join(dir, "calls.log")

async function start(): Promise<Running> {
  await ensureBuilt()
  const config = {
    servers: { fault: { command: process.execPath, args: [join(ROOT, "test", "fixtures", "servers", "fault-server.ts"), "--cancel-log", cancelLog, "--call-log", callLog] } },
    warm: ["fault"],
    toolkit: { enabled: "off" },
    plugins: { enabled: false },
  }
  const cfg = join(dir, "config.json")
  writeFileSync(cfg, JSON.stringify(config))
  return startHttpBinary(cfg, sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN }))
}

async function connect(url: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } })
  const client = new Client({ name: "e2e", version: "1.0.0" }, { capabilities: {} })
  await client.connect(transport)
  return { client, transport }
}

beforeAll(async () => {
  run = await start()
}, 120_000)

afterAll(async () => {
  if (run && run.proc.exitCode === null) {
    run.proc.kill("SIGKILL")
    await run.proc.exited
  }
})

/** stderr once it contains `needle` (logs are batched), or as it is after 2 s. */
async function logged(stderr: () => string, needle: string): Promise<string> {
  for (let i = 0; i < 750 && !stderr().includes(needle); i++) await Bun.sleep(20)
  return stderr()
}

describe("binary over Streamable HTTP", () => {
  test("the token from MCPO_HTTP_TOKEN is required and never logged", async () => {
    const res = await fetch(run.url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })
    expect(res.status).toBe(401)
    expect(run.stderr()).not.toContain(TOKEN)
    expect(run.stderr()).not.toContain("bearer token (generated")
  })

  test("initialize, tools/list, a call; /metrics counts it", async () => {
    const { client } = await connect(run.url)
    expect(client.getServerVersion()?.name).toBe("mcp-orchestrator")
    const { tools } = await client.listTools()
    expect(tools.map((t) => t.name)).toContain("orchestrator_status")
    for (let i = 0; i < 3; i++) {
      const r = await client.callTool({ name: "orchestrator_status", arguments: {} })
      expect((r.structuredContent as { config: { http: string } }).config.http).toBe(new URL(run.url).host)
    }
    const metrics = await (await fetch(run.url.replace(/\/mcp$/, "/metrics"))).text()
    expect(metrics).toMatch(/^mcpo_tool_calls_total\{server="",tool="orchestrator_status",outcome="ok"\} 3$/m)
    expect(metrics).toMatch(/^mcpo_tool_call_duration_seconds_count\{server="",tool="orchestrator_status",outcome="ok"\} 3$/m)
    expect(metrics).toMatch(/^mcpo_http_sessions 1$/m)
    expect(metrics).toMatch(/^mcpo_process_resident_memory_bytes \d+/m)
    // log lines are batched (≤ 20 ms): wait for them
    const log = await logged(run.stderr, '"msg":"tool call","tool":"orchestrator_status"')
    expect(log).toContain('"msg":"tool call","tool":"orchestrator_status"')
    await client.close()
  })

  test.if(PROXY_WIRED)("a proxied call reports progress; a client that drops a call's stream and never resumes cancels the downstream call after the grace", async () => {
    const { client } = await connect(run.url)
    const progress: number[] = []
    const r = await client.callTool({ name: "fault__progress", arguments: { steps: 3 } }, undefined, { onprogress: (p) => void progress.push(p.progress) })
    expect((r.content as { text: string }[])[0]!.text).toBe("done")
    expect(progress).toEqual([1, 2, 3])
    // usage log and metrics name the downstream server
    expect(await logged(run.stderr, '"tool":"fault__progress"')).toMatch(/"msg":"tool call","server":"fault","tool":"fault__progress","durationMs":[\d.]+,"outcome":"ok","args":\{"steps":"number"\}/)
    const metrics = await (await fetch(run.url.replace(/\/mcp$/, "/metrics"))).text()
    expect(metrics).toMatch(/^mcpo_tool_calls_total\{server="fault",tool="fault__progress",outcome="ok"\} 1$/m)

    // raw POST so we can drop the response stream while the downstream call hangs
    const { transport } = await connect(run.url)
    const h = { Authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-session-id": transport.sessionId!, "mcp-protocol-version": "2025-06-18" }
    const ac = new AbortController()
    // A call with no answer after 250 ms is answered as a stream (its headers and a priming event go
    // out then); the client goes away once it has read that first event, not after a guessed sleep (a
    // client gone before the stream began has nothing to resume: its call is cancelled at once).
    const res = await fetch(run.url, { method: "POST", headers: h, signal: ac.signal, body: JSON.stringify({ jsonrpc: "2.0", id: 77, method: "tools/call", params: { name: "fault__hang", arguments: {} } }) })
    expect(res.headers.get("content-type")).toContain("text/event-stream")
    expect((await res.body!.getReader().read()).done).toBe(false)
    await waitFor("the downstream to get the hanging call", () => existsSync(callLog) && readFileSync(callLog, "utf8").includes("hang"))
    ac.abort()
    const dropped = performance.now()
    const cancelled = () => (existsSync(cancelLog) ? readFileSync(cancelLog, "utf8") : "").includes("requestId")
    // a dropped stream is no cancellation: the client has RESUME_GRACE_MS (5 s) to come back (the
    // cancellation comes no earlier than that, below)
    for (let i = 0; i < 150 && !cancelled(); i++) await Bun.sleep(100)
    expect(cancelled()).toBe(true)
    expect(performance.now() - dropped).toBeGreaterThanOrEqual(RESUME_GRACE_MS - 500)
    await client.close()
  }, 30_000)

  test.if(PROXY_WIRED)("a call's stream starts with a priming event and retry; dropped mid-call and resumed with Last-Event-ID, the result arrives once", async () => {
    const { client, transport } = await connect(run.url)
    const h = { Authorization: `Bearer ${TOKEN}`, "mcp-session-id": transport.sessionId!, "mcp-protocol-version": "2025-11-25" }
    const ac = new AbortController()
    const res = await fetch(run.url, {
      method: "POST",
      headers: { ...h, "content-type": "application/json", accept: "application/json, text/event-stream" },
      signal: ac.signal,
      body: JSON.stringify({ jsonrpc: "2.0", id: 78, method: "tools/call", params: { name: "fault__sleep", arguments: { ms: 1500 } } }),
    })
    expect(res.headers.get("content-type")).toContain("text/event-stream")
    const reader = res.body!.getReader()
    const head = await readUntil(reader, "\n\n")
    const priming = /^id: (\d+-0)\nretry: (\d+)\ndata: \n\n/.exec(head)
    expect(priming).not.toBeNull()
    ac.abort() // the connection drops while the downstream still sleeps
    await reader.cancel().catch(() => {})
    const again = await fetch(run.url, { headers: { ...h, accept: "text/event-stream", "last-event-id": priming![1]! } })
    expect(again.status).toBe(200)
    const text = await again.text()
    const answers = text.split("\n").filter((l) => l.startsWith("data: {")).map((l) => JSON.parse(l.slice(6)) as { id: number; result: { content: { text: string }[] } })
    expect(answers).toHaveLength(1)
    expect(answers[0]).toMatchObject({ id: 78, result: { content: [{ text: "slept" }] } })
    expect(text).toMatch(/^id: \d+-1$/m)
    await client.close()
  }, 20_000)

  test("SIGTERM stops the HTTP-only server with exit code 0, within its shutdown budget", async () => {
    run.proc.kill("SIGTERM")
    const code = await exitCode(run.proc, "the HTTP server to exit after SIGTERM")
    expect(code, run.stderr()).toBe(0)
    // the product's verdict on "in time" (a wall clock would be the machine's load)
    expect(run.stderr()).not.toMatch(BUDGET_OVERRUN)
    expect(run.stderr()).not.toContain("exiting now")
    expect(await fetch(run.url.replace(/\/mcp$/, "/healthz")).catch(() => "refused")).toBe("refused")
  })
})

describe("binary: stdio and HTTP together", () => {
  test("one process serves both; closing stdin stops the HTTP side too", async () => {
    const env = sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN, MCPO_TOOLKIT_ENABLED: "off" })
    const stdio = await connectBinary(["serve", "--http", "127.0.0.1:0"], env)
    let url: string | undefined
    for (let i = 0; i < 50 && !url; i++) {
      url = /"msg":"serving Streamable HTTP","url":"([^"]+)"/.exec(stdio.stderr())?.[1]
      if (!url) await Bun.sleep(100)
    }
    expect(url).toBeDefined()
    const viaStdio = await stdio.client.callTool({ name: "orchestrator_status", arguments: {} })
    expect((viaStdio.structuredContent as { config: { http: string } }).config.http).toBe(new URL(url!).host)
    const { client } = await connect(url!)
    expect((await client.listTools()).tools.map((t) => t.name)).toContain("orchestrator_status")
    await client.close()
    await stdio.close()
    let refused = false
    for (let i = 0; i < 50 && !refused; i++) {
      refused = (await fetch(url!.replace(/\/mcp$/, "/healthz")).catch(() => "refused")) === "refused"
      if (!refused) await Bun.sleep(100)
    }
    expect(refused).toBe(true)
  }, 30_000)
})
