/**
 * SSE streams toward a client that does not read (core/outbound through http/sse): what the reader
 * has not taken is the body's queue; over 1 MiB of it, progress is held (the latest per token) and
 * log messages are dropped, answers are written after what is held, and what is held goes out once
 * the reader drained. In process: an SseStream alone, then a legacy session's call stream
 * (createHttpApp over a real face) with a tool that reports progress 5 000 times while nobody reads,
 * and /metrics counting what was not written.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { z } from "zod"
import { CLIENT_BACKLOG_BYTES } from "../../src/core/index.ts"
import { SseStream } from "../../src/http/sse.ts"
import { defineTool, type ToolDef } from "../../src/mcp/index.ts"
import { authHeaders, INIT, makeApp, post, type TestApp } from "./helpers.ts"

type Msg = { jsonrpc?: string; id?: unknown; method?: string; params?: Record<string, any>; result?: any }

/** Everything `body` holds until it ends: its JSON-RPC messages. */
async function readAll(body: ReadableStream<Uint8Array>): Promise<Msg[]> {
  const text = await new Response(body).text()
  return text
    .split("\n")
    .filter((l) => l.startsWith("data: "))
    .map((l) => JSON.parse(l.slice(6)) as Msg)
}

const progress = (n: number) => ({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: "t", progress: n, message: "x".repeat(1000) } })

let t: TestApp | undefined
afterEach(async () => {
  await t?.app[Symbol.asyncDispose]()
  t = undefined
})

describe("SSE toward a client that does not read", () => {
  test("past 1 MiB unread, progress is held (the latest) and log messages are dropped; the answer comes after what is held", async () => {
    const s = new SseStream(0, () => {})
    for (let i = 0; i < 3000; i++) {
      const m = progress(i)
      s.send(JSON.stringify(m), m)
    }
    for (let i = 0; i < 100; i++) {
      const m = { jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: "log" } }
      s.send(JSON.stringify(m), m)
    }
    expect(s.backlog).toBeGreaterThan(CLIENT_BACKLOG_BYTES)
    expect(s.backlog).toBeLessThan(CLIENT_BACKLOG_BYTES + 2000)
    s.send(JSON.stringify({ jsonrpc: "2.0", id: 1, result: {} }))
    s.end()
    const msgs = await readAll(s.body)
    const values = msgs.filter((m) => m.method === "notifications/progress").map((m) => m.params!.progress as number)
    // what fits in 1 MiB, then the last one
    expect(values.length).toBeGreaterThan(900)
    expect(values.length).toBeLessThan(1100)
    expect(values.at(-1)).toBe(2999)
    expect(values).toEqual([...values].sort((a, b) => a - b))
    expect(msgs.filter((m) => m.method === "notifications/message")).toEqual([])
    expect(msgs.at(-1)).toEqual({ jsonrpc: "2.0", id: 1, result: {} })
    expect(msgs.at(-2)?.params?.progress).toBe(2999)
  })

  test("what is held goes out once the reader has taken the rest", async () => {
    const s = new SseStream(0, () => {})
    for (let i = 0; i < 2000; i++) {
      const m = progress(i)
      s.send(JSON.stringify(m), m)
    }
    const reader = s.body.getReader()
    const dec = new TextDecoder()
    let text = ""
    // read until the held one (the last) came: the reader asking for more is the drain
    while (!text.includes('"progress":1999')) {
      const { value, done } = await reader.read()
      if (done) break
      text += dec.decode(value)
    }
    const values = [...text.matchAll(/"progress":(\d+)/g)].map((m) => Number(m[1]))
    expect(values.at(-1)).toBe(1999)
    expect(values.length).toBeLessThan(1100)
    s.end()
  })

  test("a legacy session's call stream: 5 000 progress reports written while nobody reads reach the client as what fits in 1 MiB and the last; /metrics counts the rest", async () => {
    let finished = false
    const flood = defineTool({
      name: "flood",
      title: "Flood",
      description: "Reports progress 5 000 times, then answers.",
      input: z.object({}),
      async handler(_a, ctx) {
        for (let i = 0; i < 5000; i++) await ctx.progress(i, 5000, "x".repeat(1000))
        finished = true
        return { text: "flooded" }
      },
    }) as unknown as ToolDef
    t = makeApp({ extraTools: [flood] })
    const init = await post(t.app, INIT)
    const h = authHeaders({ "mcp-session-id": init.headers.get("mcp-session-id")!, "mcp-protocol-version": "2025-06-18" })
    await init.text()
    const res = await post(t.app, { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "flood", arguments: {}, _meta: { progressToken: "f" } } }, h)
    expect(res.headers.get("content-type")).toContain("text/event-stream")
    for (let i = 0; i < 500 && !finished; i++) await Bun.sleep(10)
    expect(finished).toBe(true)
    const msgs = await readAll(res.body!)
    const values = msgs.filter((m) => m.method === "notifications/progress").map((m) => m.params!.progress as number)
    expect(values.length).toBeLessThan(1200)
    expect(values.at(-1)).toBe(4999)
    expect(msgs.at(-1)).toMatchObject({ id: 2, result: { content: [{ type: "text", text: "flooded" }] } })
    const metrics = await t.metrics.render()
    const n = Number(/^mcpo_client_notifications_dropped\{method="notifications\/progress"\} (\d+)$/m.exec(metrics)?.[1])
    expect(n).toBeGreaterThanOrEqual(5000 - 1200)
  })
})
