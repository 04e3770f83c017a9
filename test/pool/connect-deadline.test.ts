/**
 * A start is bounded by pool.connectTimeout, whatever it waits on (QA: a remote server whose
 * endpoint hangs, or whose SSE stream never sends `endpoint`, stayed "starting" forever): the era
 * probe, the transport start (SSE `endpoint` event), `initialize`, the modern connect and the SSE
 * fallback. A timed-out start is a failed attempt (backoff, breaker) whose sockets and streams are
 * closed; its error says which step got no answer within pool.connectTimeout. A Streamable HTTP
 * endpoint that answers with an error page is reported by that answer (status, content type), the
 * SSE fallback's failure after it. Hostile downstreams are small Bun.serve servers; the healthy ones
 * are the SDK's server-everything (stdio) and an SDK McpServer over Streamable HTTP.
 */
import { afterAll, afterEach, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js"
import { ConfigSchema } from "../../src/config/index.ts"
import { silentLogger, type DownstreamError } from "../../src/core/index.ts"
import { Pool, type Session } from "../../src/pool/index.ts"

/** Requests and streams the hostile server holds open right now, and how many it has seen per path. */
const open = { requests: 0, streams: 0 }
const seen = new Map<string, number>()

const hostile = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  idleTimeout: 0,
  async fetch(req) {
    const path = new URL(req.url).pathname
    seen.set(path, (seen.get(path) ?? 0) + 1)
    if (req.method === "POST") await req.text()
    switch (path) {
      case "/hang": {
        // never answers; counts itself closed when the client goes away
        open.requests++
        req.signal.addEventListener("abort", () => open.requests--, { once: true })
        return new Promise<Response>(() => {})
      }
      case "/comments": {
        // an SSE stream with comments only: no `endpoint` event, no JSON-RPC answer
        let ping: ReturnType<typeof setInterval> | undefined
        const body = new ReadableStream({
          start(c) {
            open.streams++
            c.enqueue(new TextEncoder().encode(": hi\n\n"))
            ping = setInterval(() => c.enqueue(new TextEncoder().encode(": ping\n\n")), 100)
          },
          cancel() {
            clearInterval(ping)
            open.streams--
          },
        })
        return new Response(body, { headers: { "content-type": "text/event-stream" } })
      }
      case "/post404-get-hang": {
        // an "old" server: no Streamable HTTP (404 to POST), and a GET that never answers
        if (req.method === "POST") return new Response("no such endpoint", { status: 404 })
        open.requests++
        req.signal.addEventListener("abort", () => open.requests--, { once: true })
        return new Promise<Response>(() => {})
      }
      case "/500":
        return new Response("Internal Server Error: db down", { status: 500 })
      case "/html":
        return new Response("<html><body><h1>Login required</h1></body></html>", { headers: { "content-type": "text/html" } })
    }
    return new Response("not found", { status: 404 })
  },
})
const base = `http://127.0.0.1:${hostile.port}`

let pool: Pool | undefined
afterEach(async () => {
  await pool?.[Symbol.asyncDispose]()
  pool = undefined
})
/** A healthy remote: the SDK's McpServer over Streamable HTTP (stateless, one transport per request). */
const healthy = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  async fetch(req) {
    const server = new McpServer({ name: "healthy", version: "1.0.0" })
    server.registerTool("echo", { description: "echo" }, async () => ({ content: [{ type: "text", text: "ok" }] }))
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
    await server.connect(transport)
    return transport.handleRequest(req)
  },
})

afterAll(() => {
  hostile.stop(true)
  healthy.stop(true)
})

function session(spec: Record<string, unknown>, settings: Record<string, unknown> = {}): Session {
  pool = new Pool({ config: ConfigSchema.parse({ pool: { connectTimeout: "600ms", restartDelay: "10m", ...settings } }), log: silentLogger })
  return pool.add({ name: "down", source: "config", spec } as never)
}

/** ensure() of a start that must fail: its error and how long it took (a lower bound is the contract: an upper one would be the machine's load). */
async function failedStart(s: Session): Promise<{ error: DownstreamError; ms: number }> {
  const t0 = performance.now()
  const error = await s.ensure().then(
    () => {
      throw new Error("the start succeeded")
    },
    (e: unknown) => e as DownstreamError,
  )
  return { error, ms: performance.now() - t0 }
}

async function settled(): Promise<void> {
  for (let i = 0; i < 600 && (open.requests > 0 || open.streams > 0); i++) await Bun.sleep(25)
}

describe("a server's own connectTimeout", () => {
  test("bounds its start instead of pool.connectTimeout, and the TIMEOUT names it", async () => {
    // pool.connectTimeout is 10 minutes here: only the server's own 600 ms can end the start
    const before = seen.get("/hang") ?? 0
    const s = session({ url: `${base}/hang`, connectTimeout: 600 }, { connectTimeout: "10m" }) // a spec as the config schema parses it
    const { error } = await failedStart(s)
    expect(error.code).toBe("CONNECT_FAILED")
    expect(error.message).toContain("within servers.down.connectTimeout (0.6 s)")
    await settled()
    // it is the connect's deadline like pool.connectTimeout's: the probe gives up at half of it and
    // initialize gets the rest (two POSTs); no SSE fallback is tried after it
    expect((seen.get("/hang") ?? 0) - before).toBe(2)
  }, 20_000)
})

describe("a start is bounded by pool.connectTimeout", () => {
  test("an endpoint that never answers (probe, initialize, then no time for SSE): a failed attempt in time, its requests closed", async () => {
    const s = session({ url: `${base}/hang` })
    const { error, ms } = await failedStart(s)
    // at the deadline, not before it (the message names it; a start left waiting fails as a test timeout):
    // the unanswered probe is taken as a legacy server's at half the deadline, initialize gets the rest
    expect(ms).toBeGreaterThanOrEqual(550)
    expect(error.code).toBe("CONNECT_FAILED")
    expect(error.message).toContain("did not answer initialize within pool.connectTimeout (0.6 s); no time was left to try the SSE fallback")
    expect(s.state).toBe("backoff")
    expect(s.failures).toBe(1)
    await settled()
    expect(open.requests).toBe(0)
  })

  test("SSE whose stream never sends `endpoint`: fails at the deadline, the stream is closed", async () => {
    const s = session({ url: `${base}/comments`, transport: "sse" })
    const { error, ms } = await failedStart(s)
    // at the deadline, not before it (the message names it; a start left waiting fails as a test timeout)
    expect(ms).toBeGreaterThanOrEqual(550)
    expect(error.code).toBe("CONNECT_FAILED")
    expect(error.message).toContain("did not send the SSE `endpoint` event within pool.connectTimeout (0.6 s)")
    expect(s.failures).toBe(1)
    await settled()
    expect(open.streams).toBe(0)
  })

  test("Streamable HTTP answering initialize with a stream that never carries the answer: fails at the deadline", async () => {
    const s = session({ url: `${base}/comments`, transport: "streamable-http", protocol: "legacy" })
    const { error, ms } = await failedStart(s)
    // at the deadline, not before it (the message names it; a start left waiting fails as a test timeout)
    expect(ms).toBeGreaterThanOrEqual(550)
    expect(error.message).toContain("did not answer initialize within pool.connectTimeout (0.6 s)")
    await settled()
    expect(open.streams).toBe(0)
  })

  test("a modern (2026-07-28) connect that never gets an answer: fails at the deadline", async () => {
    const s = session({ url: `${base}/hang`, protocol: "modern" })
    const { error, ms } = await failedStart(s)
    // at the deadline, not before it (the message names it; a start left waiting fails as a test timeout)
    expect(ms).toBeGreaterThanOrEqual(550)
    expect(error.code).toBe("CONNECT_FAILED")
    expect(error.message).toContain("within pool.connectTimeout (0.6 s)")
    await settled()
    expect(open.requests).toBe(0)
  })

  test("the SSE fallback runs within what is left of the same deadline, after the Streamable HTTP failure", async () => {
    const s = session({ url: `${base}/post404-get-hang` })
    const { error, ms } = await failedStart(s)
    // at the deadline, not before it (the message names it; a start left waiting fails as a test timeout)
    expect(ms).toBeGreaterThanOrEqual(550)
    expect(error.message).toMatch(/failed to start: Streamable HTTP: .*HTTP 404 \(content type text\/plain[^)]*\): no such endpoint; the SSE fallback failed too: it did not send the SSE `endpoint` event within pool\.connectTimeout \(0\.6 s\)/)
    await settled()
    expect(open.requests).toBe(0)
  })

  test("timed-out starts are retried with backoff and open the breaker", async () => {
    const before = seen.get("/hang") ?? 0
    const s = session({ url: `${base}/hang` }, { connectTimeout: "200ms", restartDelay: "20ms", restartDelayMax: "40ms", breakerFailures: 3, breakerCooldown: "60s" })
    await failedStart(s)
    for (let i = 0; i < 250 && s.state !== "open-circuit"; i++) await Bun.sleep(20)
    // a probe POST and an initialize POST per attempt (an unanswered probe stores no era verdict, so
    // each attempt probes again): the budget left no time for SSE
    expect({ state: s.state, failures: s.breaker.consecutiveFailures, requests: (seen.get("/hang") ?? 0) - before }).toEqual({ state: "open-circuit", failures: 3, requests: 6 })
    expect(s.lastError).toContain("within pool.connectTimeout (0.2 s)")
    await settled()
    expect(open.requests).toBe(0)
  })

  test("a stdio server that never answers initialize: said so, with the connect timeout and its stderr", async () => {
    const script = "process.stderr.write('booting the silent server\\n'); process.stdin.on('data', () => {})"
    const s = session({ command: process.execPath, args: ["-e", script], protocol: "legacy" })
    const { error, ms } = await failedStart(s)
    // at the deadline, not before it (the message names it; a start left waiting fails as a test timeout)
    expect(ms).toBeGreaterThanOrEqual(550)
    expect(error.code).toBe("CONNECT_FAILED")
    expect(error.message).toContain("server down failed to start: it did not answer initialize within pool.connectTimeout (0.6 s)")
    expect(error.message).toContain("stderr: booting the silent server")
    expect(error.message).not.toContain("exited with code")
  })
})

describe("an error page from a Streamable HTTP endpoint", () => {
  test("500: the Streamable HTTP answer (status, content type, body) first, the SSE fallback's failure after it", async () => {
    const { error } = await failedStart(session({ url: `${base}/500` }))
    expect(error.code).toBe("CONNECT_FAILED")
    expect(error.message).toContain(`server down failed to start: Streamable HTTP: HTTP request to ${base}/500 failed: HTTP 500 (content type text/plain;charset=utf-8): Internal Server Error: db down; the SSE fallback failed too: `)
    expect(error.message).toMatch(/SSE fallback failed too: .*Non-200 status code \(500\)/)
  })

  test("an HTML page: the content type of the Streamable HTTP answer first", async () => {
    const { error } = await failedStart(session({ url: `${base}/html` }))
    expect(error.message).toContain(`Streamable HTTP: HTTP request to ${base}/html failed: HTTP 200 (content type text/html)`)
    expect(error.message.indexOf("Streamable HTTP")).toBeLessThan(error.message.indexOf("SSE fallback"))
  })
})

describe("a healthy server is unaffected", () => {
  test("server-everything over stdio starts within the same deadline machinery", async () => {
    const everything = join(import.meta.dir, "..", "..", "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
    const s = session({ command: "node", args: [everything, "stdio"] }, { connectTimeout: "20s" })
    const c = await s.ensure()
    expect(c.info.serverInfo.name).toBeTruthy()
    expect(s.state).toBe("ready")
    // the deadline timer of that start was cleared: the session stays up past it
    expect(s.failures).toBe(0)
  }, 30_000)

  test("an SDK server over Streamable HTTP connects and answers calls after its deadline has passed", async () => {
    const s = session({ url: `http://127.0.0.1:${healthy.port}/mcp` }, { connectTimeout: "2s" })
    const c = await s.ensure()
    expect(c.info.serverInfo.name).toBe("healthy")
    await Bun.sleep(2200) // past the connect deadline: nothing closes the connection
    expect(s.state).toBe("ready")
    const r = (await s.call("tools/call", { name: "echo", arguments: {} }, {})) as { content: { text: string }[] }
    expect(r.content[0]!.text).toBe("ok")
  }, 15_000)
})
