/**
 * A client that stops reading a large answer (and keeps its connection) holds its bytes against
 * `pool.maxResultBytesInFlight` for at most the unread deadline (http/unread; 30 s by default,
 * shortened here): each chunk it takes starts the deadline over, none taken and the response is
 * dropped, its bytes given back, and a warning logged. Before, the bytes stayed held for as long
 * as the socket did (in serve, until Bun's 60 s idle timeout closed it, silently), and every
 * other large result failed meanwhile. Both kinds of answer: a JSON
 * body and an SSE stream; the call behind an SSE stream is cancelled when it is dropped.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { z } from "zod"
import { createLogger, createLogHub, resultBudget } from "../../src/core/index.ts"
import { defineTool, type ToolDef } from "../../src/mcp/index.ts"
import { INIT, authHeaders, makeApp, post, type TestApp } from "./helpers.ts"
import { unread } from "../../src/http/unread.ts"

const MiB = 1024 * 1024
let t: TestApp | undefined
afterEach(async () => {
  await t?.app[Symbol.asyncDispose]()
  t = undefined
  unread.ms = 30_000
})

const big = defineTool({
  name: "big_answer",
  title: "Big",
  description: "Returns `mib` MiB of text, after a progress notification when asked for one.",
  input: z.object({ mib: z.number() }),
  async handler(a, ctx) {
    await ctx.progress(1, 2, "half")
    return { text: "x".repeat(a.mib * MiB) }
  },
}) as ToolDef

async function sessionOf(app: TestApp): Promise<Record<string, string>> {
  const init = await post(app.app, INIT)
  await init.text()
  const h = authHeaders({ "mcp-session-id": init.headers.get("mcp-session-id")!, "mcp-protocol-version": "2025-06-18" })
  await (await post(app.app, { jsonrpc: "2.0", method: "notifications/initialized" }, h)).text()
  return h
}

/** Waits until `lines` holds a line with `needle` (the deadline's warning), however long it takes. */
async function until(lines: string[], needle: string): Promise<string> {
  for (;;) {
    const l = lines.find((x) => x.includes(needle))
    if (l) return l
    await Bun.sleep(10)
  }
}

describe("a client that stops reading a large answer", () => {
  test("JSON body: dropped after the deadline, its bytes given back to the budget, a warning logged", async () => {
    const lines: string[] = []
    t = makeApp({ extraTools: [big], unreadTimeoutMs: 200, log: createLogger(createLogHub("info", (l) => lines.push(l)), "http") })
    const h = await sessionOf(t)
    const before = resultBudget.inFlight
    const res = await post(t.app, { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "big_answer", arguments: { mib: 3 } } }, { ...h, accept: "application/json" })
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toContain("application/json")
    // written, never read: held against the budget
    expect(resultBudget.inFlight - before).toBeGreaterThanOrEqual(3 * MiB)
    const warn = await until(lines, "client stopped reading")
    expect(warn).toContain('"level":"warn"')
    expect(warn).toContain('"body":"json"')
    expect(resultBudget.inFlight).toBe(before)
    await expect(res.text()).rejects.toThrow()
  })

  test("SSE stream: dropped after the deadline, bytes given back; a reader that goes on taking chunks gets the whole answer", async () => {
    const lines: string[] = []
    t = makeApp({ extraTools: [big], unreadTimeoutMs: 200, log: createLogger(createLogHub("info", (l) => lines.push(l)), "http") })
    const h = await sessionOf(t)
    const before = resultBudget.inFlight
    const call = { jsonrpc: "2.0", id: 8, method: "tools/call", params: { name: "big_answer", arguments: { mib: 3 }, _meta: { progressToken: "p" } } }
    const res = await post(t.app, call, { ...h, accept: "text/event-stream" })
    expect(res.headers.get("content-type")).toContain("text/event-stream")
    // read up to the progress event, then stop reading
    const reader = res.body!.getReader()
    let seen = ""
    while (!seen.includes("notifications/progress")) seen += new TextDecoder().decode((await reader.read()).value)
    const warn = await until(lines, "client stopped reading")
    expect(warn).toContain('"body":"sse"')
    expect(resultBudget.inFlight).toBe(before)
    await expect(reader.read()).rejects.toThrow()
    // a reader that takes what it is handed gets it all, chunk after chunk
    const ok = await post(t.app, { ...call, id: 9 }, { ...h, accept: "text/event-stream" })
    const whole = await ok.text()
    expect(whole).toContain('"id":9')
    expect(whole.length).toBeGreaterThan(3 * MiB)
    expect(resultBudget.inFlight).toBe(before)
  })
})
