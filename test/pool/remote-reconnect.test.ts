/**
 * SSE reconnections are paced (QA 8b): a remote server whose stream ends at once with `retry: 0`
 * (a bug, or a proxy cutting it) had the session's GET stream opened again hundreds of times a
 * second for as long as the session lived (~3000 GETs in 5 s). The SDK takes the server's `retry`
 * as is; now a reconnection after a stream that ended quickly having carried no message waits at
 * least a floor that doubles (250 ms, 500 ms, 1 s … 30 s), and a stream that carried a message
 * (SEP-1699 polling) resets it, so the server's `retry` rules again. The gaps are asserted as lower
 * bounds only (a slow machine only makes them longer).
 */
import { afterAll, describe, expect, test } from "bun:test"
import type { ServerSpec } from "../../src/config/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { FLOOR_MS, ReconnectPacer } from "../../src/pool/remote-reconnect.ts"
import { captureLog, config } from "../proxy/helpers.ts"

/** A legacy Streamable HTTP server (JSON answers, a session id) whose GET stream says `retry: 0` and ends at once. */
const gets: number[] = []
let waiting: { n: number; done: () => void } | undefined
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(req) {
    if (req.method === "GET") {
      gets.push(performance.now())
      if (waiting && gets.length >= waiting.n) waiting.done()
      return new Response("retry: 0\n\n", { headers: { "content-type": "text/event-stream" } })
    }
    if (req.method === "DELETE") return new Response(null, { status: 200 })
    const m = (await req.json()) as { id?: number; method?: string }
    if (m.id === undefined) return new Response(null, { status: 202 })
    const result =
      m.method === "initialize"
        ? { protocolVersion: "2025-06-18", capabilities: { tools: { listChanged: true } }, serverInfo: { name: "retry-zero", version: "1" } }
        : m.method === "tools/list"
          ? { tools: [{ name: "echo", inputSchema: { type: "object" } }] }
          : { content: [{ type: "text", text: "ok" }] }
    return Response.json({ jsonrpc: "2.0", id: m.id, result }, { headers: { "mcp-session-id": "s-1" } })
  },
})
afterAll(() => server.stop(true))

describe("SSE reconnections", () => {
  test("a GET stream that ends at once with retry: 0 is opened again after a doubling floor, not in a tight loop", async () => {
    await using p = new Pool({ config: config({}), log: captureLog().log })
    p.add({ name: "web", source: "config", spec: { url: `http://127.0.0.1:${server.port}/mcp`, protocol: "legacy" } as ServerSpec })
    const fifth = new Promise<void>((done) => (waiting = { n: 5, done }))
    await p.call("web", "tools/call", { name: "echo", arguments: {} }, {})
    await fifth
    // the first reconnection as the server says (a stream may end once); then 250, 500, 1000 ms at
    // least (a little slack for timer granularity). The SDK may open one more stream of its own
    // right after the session starts (a second GET within milliseconds, seen under load): so the
    // bound is on the time the five took, which a tight loop (milliseconds) cannot meet, and on the
    // longest gap, which only a doubling floor reaches
    const gaps = gets.slice(1, 5).map((t, i) => t - gets[i]!)
    expect(gets[4]! - gets[1]!).toBeGreaterThanOrEqual(FLOOR_MS + FLOOR_MS * 2 - 40)
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(FLOOR_MS * 2 - 20)
  }, 30_000)

  /** A pacer whose reconnections run at once, each delay it asked for noted. */
  function paced(): { pacer: ReconnectPacer; pace: ReturnType<ReconnectPacer["pace"]>; delays: number[] } {
    const delays: number[] = []
    const pacer = new ReconnectPacer()
    const pace = pacer.pace((reconnect, delay) => {
      delays.push(delay)
      reconnect()
    })
    return { pacer, pace, delays }
  }

  test("the floor: none for the first reconnection, doubling while streams end empty, reset by a message", () => {
    const { pacer, pace, delays } = paced()
    for (let i = 0; i < 4; i++) pace(() => {}, 0, 0)
    pacer.noteMessage()
    pace(() => {}, 20, 0)
    pace(() => {}, 0, 0)
    expect(delays).toEqual([0, FLOOR_MS, FLOOR_MS * 2, FLOOR_MS * 4, 20, FLOOR_MS])
  })

  test("forgotten when a request's stream is given up: the next request's resumption does not wait out the floor of the ones before", () => {
    const { pacer, pace, delays } = paced()
    for (let i = 0; i < 4; i++) pace(() => {}, 0, 0)
    pacer.forget()
    pace(() => {}, 0, 0)
    expect(delays).toEqual([0, FLOOR_MS, FLOOR_MS * 2, FLOOR_MS * 4, 0])
  })

  test("never more than 30 s", () => {
    const delays: number[] = []
    const pace = new ReconnectPacer().pace((reconnect, delay) => {
      delays.push(delay)
      reconnect()
    })
    for (let i = 0; i < 20; i++) pace(() => {}, 0, 0)
    expect(Math.max(...delays)).toBe(30_000)
  })
})
