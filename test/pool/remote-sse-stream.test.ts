/**
 * Legacy HTTP+SSE remote servers (`transport: sse`), whose one GET stream carries every answer
 * (QA 8b):
 * - the server ended that stream while a call was in flight: the call waited for its whole timeout
 *   (its answer could never come), and the SDK's event source opened a new stream, a new session
 *   the server never saw `initialize` on, where later calls were sent. Now the end of the stream ends
 *   the session: the calls in flight fail at once, a warning names the endpoint, and the connection
 *   is made again (`initialize` on the new session) for the next call;
 * - a POST the server answered with an error status read as a failure on the wire (WRITE_FAILED
 *   "Error POSTing to endpoint (HTTP 500): …", the session dropped and counted against the
 *   breaker). Now it is that call's BAD_RESPONSE naming the status and the answer; the session stays.
 * - an event on that stream that is not JSON was reported aside by the SDK and the call it was meant
 *   to answer waited for its whole timeout. Now, when the event starts with the id of a call in
 *   flight, that call fails at once with BAD_RESPONSE quoting the start of the event; the session stays.
 * Server: SDK v1 `McpServer` on `SSEServerTransport` (node:http), tools `echo`, `hangup` (ends the
 * GET stream instead of answering), `boom` (its POST is answered 500) and `garble` (writes a broken
 * event with its call's id on the GET stream and never answers), `deep` (a log message nested 50,000
 * levels on the GET stream, then its answer: dropped by the one depth bound, pool/deep-messages).
 */
import { afterAll, describe, expect, test } from "bun:test"
import { createServer, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js"
import * as z from "zod"
import type { ServerSpec } from "../../src/config/index.ts"
import { DownstreamError } from "../../src/core/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { captureLog, config } from "../proxy/helpers.ts"
import { downstreamFailure } from "../helpers/failure.ts"

const sessions = new Map<string, { transport: SSEServerTransport; res: ServerResponse }>()
const methods: string[] = []

const http = createServer(async (req, res) => {
  const u = new URL(req.url ?? "/", "http://127.0.0.1")
  if (req.method === "GET" && u.pathname === "/sse") {
    const transport = new SSEServerTransport("/messages", res)
    sessions.set(transport.sessionId, { transport, res })
    const server = new McpServer({ name: "sse-fixture", version: "1.0.0" })
    server.registerTool("echo", { inputSchema: { text: z.string() } }, ({ text }) => ({ content: [{ type: "text", text: `echo:${text}` }] }))
    server.registerTool("hangup", { inputSchema: {} }, async () => {
      res.end() // the GET stream ends; no answer will ever come
      return await new Promise<never>(() => {})
    })
    server.registerTool("garble", { inputSchema: {} }, async (_args, extra) => {
      // an event that is not JSON on the stream, starting with the call's id; no answer follows
      res.write(`event: message\ndata: {"jsonrpc":"2.0","id":${JSON.stringify(extra.requestId)},"result":{"content":[{"type":"te\n\n`)
      return await new Promise<never>(() => {})
    })
    server.registerTool("deep", { inputSchema: {} }, async () => {
      // a log message nested 50,000 levels on the stream before the answer
      res.write(`event: message\ndata: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","logger":"deep","data":${"[".repeat(50_000)}${"]".repeat(50_000)}}}\n\n`)
      return { content: [{ type: "text", text: "after deep" }] }
    })
    await server.connect(transport)
    return
  }
  const s = sessions.get(u.searchParams.get("sessionId") ?? "")
  if (req.method !== "POST" || !s) {
    res.writeHead(404).end("no such session")
    return
  }
  let body = ""
  for await (const chunk of req) body += chunk
  const msg = JSON.parse(body) as { method?: string; params?: { name?: string } }
  methods.push(msg.method ?? "response")
  if (msg.method === "tools/call" && msg.params?.name === "boom") {
    res.writeHead(500, { "content-type": "text/plain" }).end("tool boom blew up")
    return
  }
  await s.transport.handlePostMessage(req, res, JSON.parse(body))
})
await new Promise<void>((r) => http.listen(0, "127.0.0.1", r))
const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/sse`

afterAll(() => {
  for (const s of sessions.values()) s.res.end()
  http.closeAllConnections()
  http.close()
})

function pool(log = captureLog(), onNotification?: (server: string, method: string, params: Record<string, unknown> | undefined) => void): Pool {
  // a call that waited for its timeout would outlive the test
  const p = new Pool({ config: config({ pool: { callTimeout: 120_000 } }), log: log.log, ...(onNotification ? { onNotification } : {}) })
  p.add({ name: "old", source: "config", spec: { url, transport: "sse" } as ServerSpec })
  return p
}

const call = (p: Pool, name: string, args: Record<string, unknown> = {}) => p.call("old", "tools/call", { name, arguments: args }, {})
const text = (r: unknown) => (r as { content: { text: string }[] }).content[0]!.text
const count = (m: string) => methods.filter((x) => x === m).length

describe("legacy HTTP+SSE remote server", () => {
  test("its event stream ends while a call is in flight: the call fails at once, the session is made again, the next call works", async () => {
    const log = captureLog()
    await using p = pool(log)
    expect(text(await call(p, "echo", { text: "a" }))).toBe("echo:a")
    const inits = count("initialize")
    const e = await downstreamFailure(call(p, "hangup"))
    expect(e).toBeInstanceOf(DownstreamError)
    expect(e.code).not.toBe("TIMEOUT")
    expect(e.message).toContain("server old closed the connection")
    expect(e.message).not.toContain("server old: server old") // named once
    expect(log.records.some((r) => r.level === "warn" && r.msg.startsWith("remote server ended its event stream") && r.endpoint === url)).toBe(true)
    expect(text(await call(p, "echo", { text: "b" }))).toBe("echo:b")
    // the next call went to a session that was initialised
    expect(count("initialize")).toBe(inits + 1)
  }, 30_000)

  test("a POST answered 500 fails that call only (BAD_RESPONSE with the status and answer); the session stays", async () => {
    await using p = pool()
    expect(text(await call(p, "echo", { text: "a" }))).toBe("echo:a")
    const inits = count("initialize")
    for (let i = 0; i < 6; i++) {
      const e = await downstreamFailure(call(p, "boom"))
      expect(e.code).toBe("BAD_RESPONSE")
      expect(e.message).toContain(`HTTP request to ${url} failed: HTTP 500 (content type text/plain): tool boom blew up`)
    }
    expect(text(await call(p, "echo", { text: "b" }))).toBe("echo:b")
    expect(count("initialize")).toBe(inits)
    expect(p.get("old")!.failures).toBe(0)
  }, 30_000)

  test("an event that is not JSON, starting with a call's id, fails that call at once (BAD_RESPONSE quoting it); the session stays", async () => {
    await using p = pool()
    expect(text(await call(p, "echo", { text: "a" }))).toBe("echo:a")
    const inits = count("initialize")
    const e = await downstreamFailure(call(p, "garble"))
    expect(e.code).toBe("BAD_RESPONSE")
    expect(e.message).toContain("tools/call")
    expect(e.message).toContain("an event on its response stream is not JSON")
    expect(e.message).toContain('data: {\\"jsonrpc\\":\\"2.0\\"')
    expect(text(await call(p, "echo", { text: "b" }))).toBe("echo:b")
    expect(count("initialize")).toBe(inits)
    expect(p.get("old")!.failures).toBe(0)
  }, 30_000)

  test("a notification nested too deep is dropped with a warning, never passed on; the call and the session go on", async () => {
    const log = captureLog()
    const seen: unknown[] = []
    await using p = pool(log, (_s, method, params) => void seen.push([method, params?.logger]))
    expect(text(await call(p, "deep"))).toBe("after deep")
    expect(seen.filter((x) => (x as unknown[])[1] === "deep")).toEqual([])
    expect(log.records.some((r) => r.msg === "downstream message dropped: nested too deep" && r.method === "notifications/message")).toBe(true)
    expect(text(await call(p, "echo", { text: "b" }))).toBe("echo:b")
  }, 30_000)
})
