/**
 * A remote server that sends its client requests in a flood (thousands of sampling, elicitation,
 * roots and ping requests on one call's response stream). Each of our answers is a POST: all were
 * made at once (40 000 held ~450 MB, and the server's next call waited seconds behind them). Now at
 * most MAX_IN_FLIGHT answers are sent at once, MAX_QUEUED wait, the rest are dropped with a warning
 * naming the server (pool/answer-sends); the call and the next one are answered. A connection closed
 * while its answers were still being sent was said to be "over" its flood (the failed sends read as
 * ones it took): now said as the connection's end.
 */
import { afterAll, describe, expect, test } from "bun:test"
import type { ServerSpec } from "../../src/config/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { MAX_IN_FLIGHT, MAX_QUEUED } from "../../src/pool/answer-sends.ts"
import { captureLog, config, until } from "../proxy/helpers.ts"
import { startHostileRemote } from "../fixtures/hostile-remote.ts"

const server = startHostileRemote({ answerHoldMs: 100 })
const slow = startHostileRemote({ answerHoldMs: 5_000 })
afterAll(() => Promise.all([server.stop(), slow.stop()]))

const text = (r: unknown) => (r as { content: { text: string }[] }).content[0]!.text

describe("a remote server flooding us with requests", () => {
  test("our answers to them are bounded (at once and in all); the call and the next one are answered; the drop is warned naming the server", async () => {
    const { log, records } = captureLog()
    await using p = new Pool({ config: config({}), log })
    p.add({ name: "web", source: "config", spec: { url: server.url, protocol: "legacy" } as ServerSpec })
    const n = 3000
    expect(text(await p.call("web", "tools/call", { name: "echo", arguments: { text: `flood:${n}` } }, {}))).toBe(`echo:flood:${n}`)
    expect(text(await p.call("web", "tools/call", { name: "echo", arguments: { text: "after" } }, {}))).toBe("echo:after")
    // the answers sent and queued settle
    expect(await until(() => records.some((r) => String(r.msg).includes("flood of requests is over")), 30_000, 50)).toBe(true)
    expect(server.maxAnswersAtOnce).toBeLessThanOrEqual(MAX_IN_FLIGHT)
    expect(server.answers).toBeGreaterThan(0)
    expect(server.answers).toBeLessThanOrEqual(MAX_IN_FLIGHT + MAX_QUEUED)
    const warned = records.filter((r) => String(r.msg).includes("faster than it takes our answers"))
    expect(warned.length).toBe(1)
    expect(JSON.stringify(warned[0])).toContain('"server":"web"')
  }, 60_000)

  test("closed while our answers are still being sent: the drop is said as the connection's end, not as a flood that is over", async () => {
    const { log, records } = captureLog()
    const p = new Pool({ config: config({}), log })
    p.add({ name: "web", source: "config", spec: { url: slow.url, protocol: "legacy" } as ServerSpec })
    expect(text(await p.call("web", "tools/call", { name: "echo", arguments: { text: "flood:3000" } }, {}))).toBe("echo:flood:3000")
    expect(records.filter((r) => String(r.msg).includes("faster than it takes our answers")).length).toBe(1)
    await p[Symbol.asyncDispose]()
    expect(await until(() => records.some((r) => r.server === "web" && String(r.msg).endsWith("answers dropped")), 30_000, 50)).toBe(true)
    expect(records.some((r) => String(r.msg).includes("flood of requests is over"))).toBe(false)
    expect(records.filter((r) => String(r.msg).includes("connection ended while it flooded us")).length).toBe(1)
  }, 60_000)
})
