/**
 * Notifications a downstream sends as fast as it can, at the proxy (shared by every face): a real
 * hostile process (test/faults/servers/notification-flooder.ts).
 * - Progress of one call: a burst, then at most 20 a second, the latest of each interval, and the
 *   downstream's last one before the call's result (proxy/latest-only).
 * - `notifications/resources/updated` of one URI: the same bound per URI; the latest arrives.
 * - Log messages for 2026-07-28 requests (on the request's own stream): at most 100 a second per
 *   request, the rest dropped and counted in a warning (proxy/request-logs), as the legacy face does.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { createProxy, type ClientLink, type Proxy } from "../../src/proxy/index.ts"
import { LOGS_PER_SECOND, RequestLogs } from "../../src/proxy/request-logs.ts"
import { BUN, captureLog, config, ctx, until } from "./helpers.ts"

const FLOODER = join(import.meta.dir, "..", "faults", "servers", "notification-flooder.ts")
let proxy: Proxy

beforeAll(() => {
  proxy = createProxy({ config: config({ servers: { f: { command: BUN, args: [FLOODER] } } }), log: silentLogger, closeGraceMs: 200 })
})

afterAll(async () => {
  await proxy[Symbol.asyncDispose]()
})

describe("a downstream flooding notifications, at the proxy", () => {
  test("30 000 progress reports: a few dozen relayed, in order, the last one before the result", async () => {
    const c = ctx("tok")
    let atResult = -1
    const r = await proxy.callTool("f__progress", { count: 30_000, bytes: 100 }, c).then((r) => {
      atResult = c.notes.length
      return r
    })
    expect(r.content).toEqual([{ type: "text", text: "sent 30000" }])
    const values = c.notes.slice(0, atResult).map((n) => n.params!.progress as number)
    expect(c.notes.every((n) => n.method === "notifications/progress" && n.params!.progressToken === "tok")).toBe(true)
    expect(values.length).toBeGreaterThan(1)
    expect(values.length).toBeLessThan(1000)
    expect(values).toEqual([...values].sort((a, b) => a - b))
    expect(values.at(-1)).toBe(29_999)
  })

  test("a few progress steps are each relayed", async () => {
    const c = ctx(5)
    await proxy.callTool("f__progress", { count: 5 }, c)
    expect(c.notes.map((n) => n.params!.progress)).toEqual([0, 1, 2, 3, 4])
  })

  test("10 000 updates of a subscribed resource: a few dozen reach the subscriber, the latest among them", async () => {
    const notes: { method: string; params?: Record<string, unknown> }[] = []
    const link: ClientLink = {
      capabilities: () => ({}),
      protocolVersion: () => "2025-11-25",
      request: () => Promise.reject(new Error("no")),
      async notify(method, params) {
        notes.push({ method, ...(params ? { params } : {}) })
      },
    }
    const detach = proxy.attachClient(link)
    try {
      await proxy.listResources()
      await proxy.subscribeResource("flood://r", link, ctx())
      await proxy.callTool("f__updates", { count: 10_000 }, ctx())
      const last = (): number | undefined => (notes.at(-1)?.params?._meta as { n?: number } | undefined)?.n
      expect(await until(() => last() === 9999, 5000)).toBe(true)
      expect(notes.every((n) => n.method === "notifications/resources/updated" && n.params!.uri === "flood://r")).toBe(true)
      expect(notes.length).toBeGreaterThan(1)
      expect(notes.length).toBeLessThan(500)
    } finally {
      await proxy.unsubscribeResource("flood://r", link, ctx())
      detach()
    }
  })
})

describe("log messages for a 2026-07-28 request", () => {
  test(`at most ${LOGS_PER_SECOND} a second per request; the rest are counted in a warning`, () => {
    const { log, records } = captureLog()
    const logs = new RequestLogs(log)
    const c = ctx()
    c.modern = { clientCapabilities: {}, logLevel: "info" }
    const untrack = logs.track("s", c)
    for (let i = 0; i < 5000; i++) logs.forward("s", { level: "info", data: `line ${i}` })
    untrack()
    expect(c.notes).toHaveLength(LOGS_PER_SECOND)
    expect(c.notes[0]).toEqual({ method: "notifications/message", params: { level: "info", logger: "s", data: "line 0" } })
    expect(records.filter((r) => r.msg === "downstream log messages dropped").map((r) => [r.server, r.dropped])).toEqual([["s", 5000 - LOGS_PER_SECOND]])
  })
})
