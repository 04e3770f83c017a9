/**
 * `proxy.maxMessageBytes` on the HTTP face. A stdio bridge to HTTP (mcp-remote, as Claude Desktop
 * users run it) relays each HTTP answer as one stdout line, and the MCP SDK client reading that line
 * closes the whole connection on a message over 10 MiB ("ReadBuffer exceeded maximum size"): every
 * tool of the session gone, no word why. The stdio face never wrote such an answer; the HTTP face
 * did. Now both replace it: a tool result by a tool error naming the server, tool and size, any other
 * answer by a JSON-RPC error, and a downstream's request to the client over the limit is not sent
 * (the downstream is answered with an error at once). Driven through the binary over HTTP with the
 * SDK v1 client (a legacy session, and an HTTP+SSE one: its sampling and elicitation relayed over
 * its stream) and raw 2026-07-28 requests; downstreams: the fault server, a
 * raw server answering large reads and prompts, and npm's server-everything (its sampling tool).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { CreateMessageRequestSchema, ElicitRequestSchema, LoggingMessageNotificationSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { ROOT, sandboxEnv, startHttpBinary, tempDir, type HttpBinary } from "../helpers/binary.ts"
import { BUN, FAULT } from "../proxy/helpers.ts"

const TOKEN = "oversize-token-" + crypto.randomUUID()
const BIG_READ = join(ROOT, "test", "faults", "servers", "big-read-server.ts")
const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const V = "2026-07-28"
const ENVELOPE = { "io.modelcontextprotocol/protocolVersion": V, "io.modelcontextprotocol/clientCapabilities": {} }

let run: HttpBinary
const dir = tempDir("mcpo-http-oversize-")

beforeAll(async () => {
  const cfg = join(dir, "c.json")
  writeFileSync(
    cfg,
    JSON.stringify({
      toolkit: { enabled: "off" },
      plugins: { enabled: false },
      proxy: { maxMessageBytes: 64 * 1024 },
      servers: { f: { command: BUN, args: [FAULT] }, br: { command: BUN, args: [BIG_READ] }, everything: { command: BUN, args: [EVERYTHING, "stdio"] } },
    }),
  )
  run = await startHttpBinary(cfg, sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN }))
}, 120_000)

afterAll(async () => {
  if (run && run.proc.exitCode === null) {
    run.proc.kill("SIGKILL")
    await run.proc.exited
  }
})

const text = (r: unknown): string => ((r as CallToolResult).content ?? []).map((c) => (c.type === "text" ? c.text : "")).join("")
async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (e) {
    return (e as Error).message
  }
  return "(no error)"
}

describe("HTTP face: answers over proxy.maxMessageBytes (64 KiB here)", () => {
  test("legacy session (SDK v1 client): tool results, a resource read, a prompt and a sampling request over the limit are replaced; the session goes on", async () => {
    const client = new Client({ name: "oversize", version: "1" }, { capabilities: { sampling: {} } })
    let sampled = 0
    client.setRequestHandler(CreateMessageRequestSchema, async () => {
      sampled++
      return { role: "assistant", content: { type: "text", text: "ok" }, model: "m" }
    })
    await client.connect(new StreamableHTTPClientTransport(new URL(run.url), { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }))
    try {
      // under the limit: as it came
      const small = await client.callTool({ name: "f__big", arguments: { bytes: 30_000 } })
      expect(small.isError).toBeFalsy()
      expect(text(small).length).toBe(30_000)
      const big = await client.callTool({ name: "f__big", arguments: { bytes: 100_000 } })
      expect(big.isError).toBe(true)
      expect(text(big)).toMatch(/^The tool's result was not sent: the answer of server f to tools\/call \(tool f__big\) is 98 KiB of JSON, over the 64 KiB one message to this client may carry \(proxy\.maxMessageBytes; MCP clients over stdio, also behind a bridge to HTTP such as mcp-remote, close the connection above 10 MiB\)\. Ask the tool for less/)
      const via = await client.callTool({ name: "call_tool", arguments: { name: "f__big", arguments: { bytes: 100_000 } } })
      expect(via.isError).toBe(true)
      expect(text(via)).toContain("the answer of server f to tools/call (tool f__big through call_tool) is 98 KiB of JSON")
      // any other answer: a JSON-RPC error naming server, method and subject (a URI without its query)
      await client.listResources()
      const read = await failure(client.readResource({ uri: "big://data/r?token=sekrit-query-token" }))
      expect(read).toContain("the answer of server br to resources/read (resource big://data/r?…) is 98 KiB of JSON, over the 64 KiB one message")
      expect(read).not.toContain("sekrit")
      await client.listPrompts()
      expect(await failure(client.getPrompt({ name: "br__long" }))).toContain("the answer of server br to prompts/get (prompt br__long) is 98 KiB of JSON")
      // a downstream's request to the client over the limit is not sent; the downstream hears why at once
      const sampling = await client.callTool({ name: "everything__trigger-sampling-request", arguments: { prompt: "p".repeat(100_000) } })
      expect(sampled).toBe(0)
      expect(sampling.isError).toBe(true)
      expect(text(sampling)).toContain("sampling/createMessage was not sent to the client: the request is 98 KiB of JSON, over the 64 KiB one message to it may carry")
      // a small one still goes
      const fine = await client.callTool({ name: "everything__trigger-sampling-request", arguments: { prompt: "hi" } })
      expect(sampled).toBe(1)
      expect(fine.isError).toBeFalsy()
      expect(text(await client.callTool({ name: "f__echo", arguments: { message: "alive" } }))).toContain("alive")
    } finally {
      await client.close()
    }
  }, 60_000)

  test("HTTP+SSE session (2024-11-05, SDK v1 SSE client): the same errors for answers over the limit; a downstream's sampling and elicitation reach the client on its stream and its answers (POSTs) get back", async () => {
    const client = new Client({ name: "oversize-sse", version: "1" }, { capabilities: { sampling: {}, elicitation: {} } })
    const sampled: string[] = []
    client.setRequestHandler(CreateMessageRequestSchema, async (r) => {
      sampled.push(JSON.stringify(r.params.messages))
      return { role: "assistant", content: { type: "text", text: "sampled over sse" }, model: "m" }
    })
    const elicited: string[] = []
    client.setRequestHandler(ElicitRequestSchema, async (r) => {
      elicited.push(r.params.message)
      return { action: "accept", content: { name: "Grace Hopper", email: "grace@example.com", age: 85, role: "user" } }
    })
    await client.connect(new SSEClientTransport(new URL(`${new URL(run.url).origin}/sse`), { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }))
    try {
      const big = await client.callTool({ name: "f__big", arguments: { bytes: 100_000 } })
      expect(big.isError).toBe(true)
      expect(text(big)).toMatch(/^The tool's result was not sent: the answer of server f to tools\/call \(tool f__big\) is 98 KiB of JSON, over the 64 KiB one message to this client may carry \(proxy\.maxMessageBytes;/)
      const via = await client.callTool({ name: "call_tool", arguments: { name: "f__big", arguments: { bytes: 100_000 } } })
      expect(text(via)).toContain("the answer of server f to tools/call (tool f__big through call_tool) is 98 KiB of JSON")
      await client.listResources()
      const read = await failure(client.readResource({ uri: "big://data/r?token=sekrit-query-token" }))
      expect(read).toContain("the answer of server br to resources/read (resource big://data/r?…) is 98 KiB of JSON, over the 64 KiB one message")
      expect(read).not.toContain("sekrit")
      // a downstream's request to the client: over the limit not sent, under it relayed on the stream and answered by a POST
      const over = await client.callTool({ name: "everything__trigger-sampling-request", arguments: { prompt: "p".repeat(100_000) } })
      expect(over.isError).toBe(true)
      expect(text(over)).toContain("sampling/createMessage was not sent to the client: the request is 98 KiB of JSON, over the 64 KiB one message to it may carry")
      expect(sampled).toHaveLength(0)
      const fine = await client.callTool({ name: "everything__trigger-sampling-request", arguments: { prompt: "a haiku over sse" } })
      expect(fine.isError).toBeFalsy()
      expect(text(fine)).toContain("sampled over sse")
      expect(sampled).toHaveLength(1)
      expect(sampled[0]).toContain("a haiku over sse")
      const asked = await client.callTool({ name: "everything__trigger-elicitation-request", arguments: {} })
      expect(asked.isError).toBeFalsy()
      expect(text(asked)).toContain("Grace Hopper")
      expect(elicited).toHaveLength(1)
      expect(elicited[0]).toStartWith("[everything]")
      expect(text(await client.callTool({ name: "f__echo", arguments: { message: "alive" } }))).toContain("alive")
    } finally {
      await client.close()
    }
  }, 60_000)

  test("a downstream's notification over the limit is not sent (a warning names it); smaller ones are", async () => {
    const client = new Client({ name: "oversize-logs", version: "1" }, { capabilities: {} })
    const logs: number[] = []
    // (other servers log too: only the fault server's lines count)
    client.setNotificationHandler(LoggingMessageNotificationSchema, async (n) => {
      const data = String(n.params.data)
      if (/^(x+|y+)/.test(data)) logs.push(data.length)
    })
    await client.connect(new StreamableHTTPClientTransport(new URL(run.url), { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }))
    try {
      await client.setLoggingLevel("debug")
      // the proxy cuts a log line's data to 64 KiB (proxy/log-cap): with its envelope, over this limit
      expect(text(await client.callTool({ name: "f__log", arguments: { level: "error", data: "x", repeat: 100_000 } }))).toBe("logged")
      expect(text(await client.callTool({ name: "f__log", arguments: { level: "error", data: "y", repeat: 10 } }))).toBe("logged")
      // log lines may come on the session's stream, after the call's answer: wait for the small one
      // (the large one was sent before it, on the same stream, had it been sent)
      for (let i = 0; i < 750 && !logs.includes(10); i++) await Bun.sleep(20)
      expect(logs).toEqual([10])
      for (let i = 0; i < 750 && !run.stderr().includes("notification not sent: too large for the client"); i++) await Bun.sleep(20)
      expect(run.stderr()).toMatch(/"msg":"notification not sent: too large for the client".*"method":"notifications\/message","bytes":\d+,"maxMessageBytes":65536/)
    } finally {
      await client.close()
    }
  }, 60_000)

  test("2026-07-28 requests: a tool result over the limit is a complete tool error, a resource read a JSON-RPC error", async () => {
    const post = async (method: string, params: Record<string, unknown>, name: string): Promise<{ status: number; body: { result?: Record<string, unknown>; error?: { message: string } } }> => {
      const res = await fetch(run.url, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": V, "mcp-method": method, "mcp-name": name },
        body: JSON.stringify({ jsonrpc: "2.0", id: 7, method, params: { ...params, _meta: ENVELOPE } }),
      })
      return { status: res.status, body: (await res.json()) as never }
    }
    const call = await post("tools/call", { name: "f__big", arguments: { bytes: 100_000 } }, "f__big")
    expect(call.status).toBe(200)
    expect(call.body.result?.resultType).toBe("complete")
    expect(call.body.result?.isError).toBe(true)
    expect(text(call.body.result)).toContain("the answer of server f to tools/call (tool f__big) is 98 KiB of JSON, over the 64 KiB one message")
    const read = await post("resources/read", { uri: "big://data/r?token=sekrit-query-token" }, "big://data/r?token=sekrit-query-token")
    expect(read.body.error?.message).toContain("the answer of server br to resources/read (resource big://data/r?…) is 98 KiB of JSON")
    expect(JSON.stringify(read.body)).not.toContain("sekrit")
  }, 60_000)

  test("a batch (2025-03-26 session): its answers together over the limit come as a stream, one message each; a client that takes no stream gets errors for those that do not fit; over 1000 messages it is refused", async () => {
    const H = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }
    const init = await fetch(run.url, { method: "POST", headers: { ...H, accept: "application/json, text/event-stream" }, body: JSON.stringify({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-03-26", capabilities: {}, clientInfo: { name: "batch", version: "1" } } }) })
    await init.text()
    const S = { ...H, "mcp-session-id": init.headers.get("mcp-session-id")!, "mcp-protocol-version": "2025-03-26" }
    await (await fetch(run.url, { method: "POST", headers: { ...S, accept: "application/json, text/event-stream" }, body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) })).text()
    // five 30 000-byte results: 150 KB together, each one under the 64 KiB limit
    const batch = (from: number) => JSON.stringify([0, 1, 2, 3, 4].map((i) => ({ jsonrpc: "2.0", id: from + i, method: "tools/call", params: { name: "f__big", arguments: { bytes: 30_000 } } })))
    const streamed = await fetch(run.url, { method: "POST", headers: { ...S, accept: "application/json, text/event-stream" }, body: batch(10) })
    expect(streamed.headers.get("content-type")).toBe("text/event-stream")
    const events = (await streamed.text()).split("\n").filter((l) => l.startsWith("data: {")).map((l) => JSON.parse(l.slice(6)) as { id: number; result: CallToolResult })
    expect(events.map((e) => e.id).sort()).toEqual([10, 11, 12, 13, 14])
    for (const e of events) expect(text(e.result).length).toBe(30_000)

    const json = await fetch(run.url, { method: "POST", headers: { ...S, accept: "application/json" }, body: batch(20) })
    expect(json.headers.get("content-type")).toBe("application/json")
    const body = await json.text()
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(64 * 1024)
    const answers = JSON.parse(body) as { id: number; result: CallToolResult }[]
    expect(answers.map((a) => a.id).sort()).toEqual([20, 21, 22, 23, 24])
    const whole = answers.filter((a) => !a.result.isError)
    expect(whole.length).toBeGreaterThanOrEqual(1)
    for (const a of whole) expect(text(a.result).length).toBe(30_000)
    const cut = answers.filter((a) => a.result.isError)
    expect(cut.length).toBeGreaterThanOrEqual(1)
    for (const a of cut) expect(text(a.result)).toMatch(/^The tool's result was not sent: the answer of server f to tools\/call \(tool f__big\) would take the answer to its batch \(one message\) to \d+ KiB of JSON, over the 64 KiB one message to this client may carry/)

    const many = await fetch(run.url, { method: "POST", headers: { ...S, accept: "application/json, text/event-stream" }, body: JSON.stringify(Array.from({ length: 1001 }, (_, i) => ({ jsonrpc: "2.0", id: 100 + i, method: "ping" }))) })
    expect(many.status).toBe(400)
    expect(((await many.json()) as { error: { message: string } }).error.message).toBe("Invalid Request: a batch of 1001 messages, over the 1000 one batch may carry; send fewer per batch")
    // the session goes on
    const ping = await fetch(run.url, { method: "POST", headers: { ...S, accept: "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "ping" }) })
    expect(((await ping.json()) as { result: unknown }).result).toEqual({})
  }, 60_000)
})
