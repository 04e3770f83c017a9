/**
 * Resumable POST streams of legacy sessions (2025-11-25, SEP-1699), in process (createHttpApp over
 * real faces, `app.request`): the priming event and `retry:` field first, event ids on every message,
 * a dropped stream resumed with `GET` + `Last-Event-ID` (the answer arrives exactly once), the SDK
 * client resuming by itself, unknown ids, the grace before a dropped call is cancelled, and the
 * bounded buffer under a flood of progress.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { z } from "zod"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { defineTool, type ToolDef } from "../../src/mcp/index.ts"
import { BASE, INIT, authHeaders, makeApp, post, TOKEN, type TestApp } from "./helpers.ts"

let t: TestApp
afterEach(async () => {
  await t?.app[Symbol.asyncDispose]()
})

/** A tool that reports progress 1, waits for `release()`, reports `more` further steps, then answers. */
function gated(more = 1) {
  let release!: () => void
  const gate = new Promise<void>((r) => (release = r))
  let aborted = false
  let finished!: () => void
  const done = new Promise<void>((r) => (finished = r))
  const tool = defineTool({
    name: "gated",
    title: "Gated",
    description: "Progress, a wait, more progress, an answer.",
    input: z.object({}),
    async handler(_a, ctx) {
      ctx.signal.addEventListener("abort", () => (aborted = true), { once: true })
      await ctx.progress(1)
      await gate
      for (let i = 0; i < more; i++) await ctx.progress(2 + i, undefined, "x".repeat(40))
      setTimeout(finished, 10) // the answer is written by then
      return { text: "gated done" }
    },
  }) as unknown as ToolDef
  return { tool, release, done, aborted: () => aborted }
}

interface SseEvent {
  id?: string
  retry?: number
  data: string
}

/** Reads SSE events from `body` until `stop` says so (or the stream ends); the reader is returned to go on. */
async function readEvents(reader: { read(): Promise<{ value?: Uint8Array; done: boolean }> }, stop: (e: SseEvent[]) => boolean = () => false): Promise<SseEvent[]> {
  const dec = new TextDecoder()
  let buf = ""
  const out: SseEvent[] = []
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return out
    buf += dec.decode(value, { stream: true })
    let i: number
    while ((i = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, i)
      buf = buf.slice(i + 2)
      const e: SseEvent = { data: "" }
      let fields = 0
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue
        const [k, ...rest] = line.split(":")
        const v = rest.join(":").replace(/^ /, "")
        fields++
        if (k === "id") e.id = v
        else if (k === "retry") e.retry = Number(v)
        else if (k === "data") e.data = v
      }
      if (fields > 0) out.push(e)
      if (stop(out)) return out
    }
  }
}

const messages = (es: SseEvent[]) => es.filter((e) => e.data !== "").map((e) => JSON.parse(e.data) as { id?: number; method?: string; result?: { content: { text: string }[] } })

async function session(version = "2025-11-25"): Promise<Record<string, string>> {
  const init = await post(t.app, { ...INIT, params: { ...INIT.params, protocolVersion: version } })
  const sid = init.headers.get("mcp-session-id")!
  await init.text()
  const h = authHeaders({ "mcp-session-id": sid, "mcp-protocol-version": version })
  await post(t.app, { jsonrpc: "2.0", method: "notifications/initialized" }, h)
  return h
}

const callGated = (h: Record<string, string>, id = 5) => post(t.app, { jsonrpc: "2.0", id, method: "tools/call", params: { name: "gated", arguments: {}, _meta: { progressToken: "p" } } }, h)
const resume = (h: Record<string, string>, last: string) => t.app.request(`${BASE}/mcp`, { headers: { ...h, accept: "text/event-stream", "last-event-id": last } })

describe("resumable POST streams (legacy sessions)", () => {
  test("a stream starts with a priming event (id, empty data) and a retry field; every message has an id; a quick call stays plain JSON", async () => {
    const g = gated()
    t = makeApp({ extraTools: [g.tool] })
    const h = await session()
    const quick = await post(t.app, { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "orchestrator_status", arguments: {} } }, h)
    expect(quick.headers.get("content-type")).toBe("application/json")
    await quick.text()
    expect(t.app.sessions.resumeStats().streams).toBe(0) // JSON answers keep nothing

    const res = await callGated(h)
    expect(res.headers.get("content-type")).toContain("text/event-stream")
    g.release()
    const events = await readEvents(res.body!.getReader())
    expect(events[0]).toMatchObject({ data: "" })
    expect(events[0]!.id).toMatch(/^\d+-0$/)
    expect(events[0]!.retry).toBeGreaterThanOrEqual(1000)
    expect(events[0]!.retry).toBeLessThanOrEqual(3000)
    const ids = events.map((e) => e.id)
    expect(ids.every((id) => id !== undefined)).toBe(true)
    expect(new Set(ids).size).toBe(ids.length)
    expect(messages(events).map((m) => m.method ?? "answer")).toEqual(["notifications/progress", "notifications/progress", "answer"])

    // a client before 2025-11-25 gets no empty-data priming event (it may not parse one), still the retry field and ids
    const old = await session("2025-06-18")
    const res2 = await callGated(old, 6)
    const events2 = await readEvents(res2.body!.getReader())
    expect(events2[0]).toMatchObject({ data: "" })
    expect(events2[0]!.id).toBeUndefined()
    expect(events2[0]!.retry).toBeGreaterThan(0)
    expect(events2.slice(1).every((e) => e.id !== undefined && e.data !== "")).toBe(true)
  })

  test("drop mid-call, resume with Last-Event-ID: what came after that id, then the answer, exactly once", async () => {
    const g = gated(2)
    t = makeApp({ extraTools: [g.tool] })
    const h = await session()
    const res = await callGated(h)
    const reader = res.body!.getReader()
    const before = await readEvents(reader, (es) => messages(es).length === 1)
    await reader.cancel() // the connection is gone
    const last = before.at(-1)!.id!
    g.release()
    await Bun.sleep(20) // progress 2, 3 and the answer are written while nobody reads
    expect(g.aborted()).toBe(false)

    const again = await resume(h, last)
    expect(again.status).toBe(200)
    expect(again.headers.get("content-type")).toContain("text/event-stream")
    const after = messages(await readEvents(again.body!.getReader()))
    expect(after.map((m) => m.method ?? "answer")).toEqual(["notifications/progress", "notifications/progress", "answer"])
    expect(after.at(-1)).toMatchObject({ id: 5, result: { content: [{ text: "gated done" }] } })

    // from the priming event: everything; still exactly one answer
    const all = messages(await readEvents((await resume(h, before[0]!.id!)).body!.getReader()))
    expect(all.filter((m) => m.id === 5)).toHaveLength(1)
    expect(all).toHaveLength(4)
  })

  test("resumed while the call still runs: the rest arrives live on the GET, which ends with the answer", async () => {
    const g = gated()
    t = makeApp({ extraTools: [g.tool] })
    const h = await session()
    const res = await callGated(h)
    const reader = res.body!.getReader()
    const before = await readEvents(reader, (es) => messages(es).length === 1)
    await reader.cancel()
    const again = await resume(h, before.at(-1)!.id!)
    g.release()
    const after = messages(await readEvents(again.body!.getReader()))
    expect(after.map((m) => m.method ?? "answer")).toEqual(["notifications/progress", "answer"])
    expect(g.aborted()).toBe(false)
  })

  test("an unknown, malformed or expired Last-Event-ID is 400", async () => {
    const g = gated()
    t = makeApp({ extraTools: [g.tool], resume: { keepMs: 50 } })
    const h = await session()
    for (const bad of ["99-1", "nonsense", "1-999"]) {
      const r = await resume(h, bad)
      expect(r.status).toBe(400)
      expect(((await r.json()) as { error: { code: number } }).error.code).toBe(-32000)
    }
    const res = await callGated(h)
    g.release()
    const events = await readEvents(res.body!.getReader())
    await Bun.sleep(150) // past keepMs: the finished stream is forgotten
    expect((await resume(h, events.at(-1)!.id!)).status).toBe(400)
    expect(t.app.sessions.resumeStats()).toEqual({ streams: 0, events: 0, bytes: 0 })
  })

  test("the SDK client resumes a broken POST stream by itself (GET + Last-Event-ID) and gets the result", async () => {
    const g = gated()
    t = makeApp({ extraTools: [g.tool], resume: { retryMs: 20 } })
    let broken = 0
    const gets: (string | null)[] = []
    const transport = new StreamableHTTPClientTransport(new URL(`${BASE}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
      fetch: async (url, init) => {
        const res = await t.app.request(String(url), init)
        if (init?.method === "GET") gets.push(new Headers(init.headers).get("last-event-id"))
        const call = init?.method === "POST" && String(init.body).includes('"gated"')
        if (!call || !res.body) return res
        // the connection breaks after the first progress event
        const src = res.body.getReader()
        let seen = ""
        const body = new ReadableStream<Uint8Array>({
          async pull(c) {
            const { value, done } = await src.read()
            if (done) return c.close()
            c.enqueue(value)
            seen += new TextDecoder().decode(value)
            if (seen.includes("notifications/progress")) {
              broken++
              await src.cancel()
              c.error(new Error("connection reset"))
              setTimeout(() => g.release(), 10)
            }
          },
        })
        return new Response(body, { status: res.status, headers: res.headers })
      },
    })
    const client = new Client({ name: "resume-test", version: "1.0.0" }, { capabilities: {} })
    await client.connect(transport)
    const progress: number[] = []
    const r = await client.callTool({ name: "gated", arguments: {} }, undefined, { onprogress: (p) => void progress.push(p.progress), timeout: 10_000 })
    expect((r.content as { text: string }[])[0]!.text).toBe("gated done")
    expect(broken).toBe(1)
    expect(gets.some((id) => id !== null && /^\d+-\d+$/.test(id))).toBe(true)
    expect(progress).toEqual([1, 2])
    expect(g.aborted()).toBe(false)
    await client.close()
  })

  test("a flood of progress on a dropped stream stays within the buffer caps; the answer is kept", async () => {
    const g = gated(5000)
    t = makeApp({ extraTools: [g.tool], resume: { maxEvents: 50, maxBytes: 16 * 1024 } })
    const h = await session()
    const res = await callGated(h)
    const reader = res.body!.getReader()
    const before = await readEvents(reader, (es) => messages(es).length === 1)
    await reader.cancel()
    g.release()
    await g.done // 5,000 progress notifications (≈ 600 KB) and the answer were written while nobody read
    const s = t.app.sessions.resumeStats()
    expect(s.streams).toBe(1)
    expect(s.events).toBeLessThanOrEqual(50)
    expect(s.bytes).toBeLessThanOrEqual(16 * 1024)
    const after = messages(await readEvents((await resume(h, before.at(-1)!.id!)).body!.getReader()))
    expect(after.length).toBeLessThanOrEqual(50)
    expect(after.filter((m) => m.id === 5)).toEqual([expect.objectContaining({ result: { content: [{ type: "text", text: "gated done" }] } })])
  })

  test("dropped and never resumed: the call is cancelled after the grace, not before", async () => {
    const g = gated()
    t = makeApp({ extraTools: [g.tool], resume: { graceMs: 300 } })
    const h = await session()
    const res = await callGated(h)
    const reader = res.body!.getReader()
    await readEvents(reader, (es) => messages(es).length === 1)
    await reader.cancel()
    await Bun.sleep(100)
    expect(g.aborted()).toBe(false)
    for (let i = 0; i < 750 && !g.aborted(); i++) await Bun.sleep(20)
    expect(g.aborted()).toBe(true)
    // nothing left to resume
    expect(t.app.sessions.resumeStats().streams).toBe(0)
  })

  test("DELETE of the session gives up a dropped call at once (no wait for the grace)", async () => {
    const g = gated()
    t = makeApp({ extraTools: [g.tool] }) // default grace: 5 s
    const h = await session()
    const res = await callGated(h)
    const reader = res.body!.getReader()
    await readEvents(reader, (es) => messages(es).length === 1)
    await reader.cancel()
    expect((await t.app.request(`${BASE}/mcp`, { method: "DELETE", headers: h })).status).toBe(200)
    for (let i = 0; i < 750 && !g.aborted(); i++) await Bun.sleep(20)
    expect(g.aborted()).toBe(true)
  })
})
