/**
 * Protocol conformance of our face, driven through the binary with raw JSON-RPC (as QA found them),
 * over stdio and Streamable HTTP, against server-everything:
 * - a downstream's request to the client (sampling) waits for the client's `notifications/initialized`;
 * - a request reusing the id of one still in progress is refused -32600 naming the id, the first keeps running;
 * - a second `initialize` is refused, the first negotiation stays;
 * - a cursor we never issued is -32602 naming it, never the first page again.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, ROOT, sandboxEnv, startHttpBinary, type HttpBinary } from "../helpers/binary.ts"

const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const TOKEN = "face-conformance-token-0123456789"
const ENVELOPE = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} }
const LISTS = ["tools/list", "prompts/list", "resources/list", "resources/templates/list"]
const SAMPLED = { role: "assistant", content: { type: "text", text: "sampled by the raw client" }, model: "m", stopReason: "endTurn" }

type Msg = { jsonrpc: "2.0"; id?: string | number | null; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: { code: number; message: string } }

beforeAll(ensureBuilt, 120_000)

function config(): { cfg: string; env: Record<string, string> } {
  const env = sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN })
  const cfg = join(env.HOME!, "c.yaml")
  writeFileSync(cfg, `toolkit:\n  enabled: "off"\nplugins:\n  enabled: false\nwarm: [ev]\nservers:\n  ev:\n    command: ${process.execPath}\n    args: ["${EVERYTHING}", "stdio"]\n`)
  return { cfg, env }
}

/** The binary over stdio, spoken to line by line: every message it writes is kept, in order. */
class RawStdio {
  readonly seen: Msg[] = []
  private err = ""
  private waiters: Array<() => void> = []
  private readonly proc: ReturnType<typeof Bun.spawn<"pipe", "pipe", "pipe">>

  constructor() {
    const { cfg, env } = config()
    this.proc = Bun.spawn([BIN, "serve", "--config", cfg], { env, cwd: env.HOME, stdin: "pipe", stdout: "pipe", stderr: "pipe" })
    void this.read(this.proc.stdout, (line) => {
      this.seen.push(JSON.parse(line) as Msg)
    })
    void this.read(this.proc.stderr, (line) => {
      this.err += line + "\n"
    })
  }

  private async read(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void): Promise<void> {
    const dec = new TextDecoder()
    let buf = ""
    for await (const chunk of stream) {
      buf += dec.decode(chunk, { stream: true })
      for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
        const line = buf.slice(0, i)
        buf = buf.slice(i + 1)
        if (line.trim()) onLine(line)
      }
      for (const w of this.waiters.splice(0)) w()
    }
  }

  send(m: Record<string, unknown>): void {
    this.lines([m])
  }

  /** Several messages in one write (read in one chunk). */
  lines(ms: Record<string, unknown>[]): void {
    this.proc.stdin.write(ms.map((m) => JSON.stringify({ jsonrpc: "2.0", ...m }) + "\n").join(""))
    this.proc.stdin.flush()
  }

  /** Resolves with the first message (from index `from`) that `pred` accepts (within 20 s). */
  async next(pred: (m: Msg) => boolean, from = 0): Promise<Msg> {
    const deadline = Date.now() + 20_000
    for (;;) {
      const m = this.seen.slice(from).find(pred)
      if (m) return m
      if (Date.now() > deadline) throw new Error(`no such message; seen: ${JSON.stringify(this.seen)}\nstderr:\n${this.err}`)
      await new Promise<void>((r) => {
        this.waiters.push(r)
        setTimeout(r, 200)
      })
    }
  }

  answerTo(id: string | number, from = 0): Promise<Msg> {
    return this.next((m) => m.id === id && m.method === undefined, from)
  }

  async ask(id: string | number, method: string, params?: Record<string, unknown>): Promise<Msg> {
    const from = this.seen.length
    this.send({ id, method, ...(params ? { params } : {}) })
    return this.answerTo(id, from)
  }

  /** Waits until stderr holds `text` (a log line). */
  async logged(text: string): Promise<void> {
    const deadline = Date.now() + 20_000
    while (!this.err.includes(text)) {
      if (Date.now() > deadline) throw new Error(`not logged: ${text}\nstderr:\n${this.err}`)
      await Bun.sleep(20)
    }
  }

  async initialize(capabilities: Record<string, unknown> = { sampling: {} }, version = "2025-11-25"): Promise<Msg> {
    return this.ask("init", "initialize", { protocolVersion: version, capabilities, clientInfo: { name: "raw", version: "1" } })
  }

  close(): void {
    this.proc.kill()
  }
}

const toolText = (m: Msg): string => JSON.stringify(m.result?.content ?? m.error ?? m)

describe("stdio", () => {
  let c: RawStdio | undefined
  afterEach(() => {
    c?.close()
    c = undefined
  })

  test("a downstream's sampling request waits for notifications/initialized, then goes out; the call completes", async () => {
    c = new RawStdio()
    expect((await c.initialize()).result?.protocolVersion).toBe("2025-11-25")
    // no notifications/initialized yet: a call (which a server may serve) makes the downstream ask for sampling
    c.send({ id: 1, method: "tools/call", params: { name: "ev__trigger-sampling-request", arguments: { prompt: "hello" } } })
    await c.logged("server request relayed to the client")
    // a ping answered after the relay was asked for: nothing of the relay before it
    const pong = await c.ask(2, "ping")
    expect(pong.result).toEqual({})
    expect(c.seen.filter((m) => m.method === "sampling/createMessage")).toEqual([])
    const at = c.seen.length
    c.send({ method: "notifications/initialized" })
    const asked = await c.next((m) => m.method === "sampling/createMessage", at)
    expect(JSON.stringify(asked.params)).toContain("hello")
    c.send({ id: asked.id, result: SAMPLED })
    expect(toolText(await c.answerTo(1))).toContain("sampled by the raw client")
  }, 60_000)

  test("a request reusing the id of one in progress is refused -32600 naming the id; the first is answered once", async () => {
    c = new RawStdio()
    await c.initialize()
    c.send({ method: "notifications/initialized" })
    c.send({ id: 7, method: "tools/call", params: { name: "ev__trigger-sampling-request", arguments: { prompt: "first" } } })
    // the call is in progress for sure: its downstream waits on our answer
    const asked = await c.next((m) => m.method === "sampling/createMessage")
    const from = c.seen.length
    // the fast lane (tools/call), the SDK dispatch (prompts/list) and a 2026-07-28 request alike
    c.send({ id: 7, method: "tools/call", params: { name: "ev__echo", arguments: { message: "second" } } })
    c.send({ id: 7, method: "prompts/list" })
    c.send({ id: 7, method: "tools/list", params: { _meta: ENVELOPE } })
    await c.ask("after", "ping")
    const refusals = c.seen.slice(from).filter((m) => m.id === 7)
    expect(refusals).toHaveLength(3)
    for (const r of refusals) {
      expect(r.error?.code).toBe(-32600)
      expect(r.error?.message).toContain("id 7 is already in use")
    }
    expect(c.seen.filter((m) => m.method === "sampling/createMessage")).toHaveLength(1)
    // the first keeps running and gets its answer
    c.send({ id: asked.id, result: SAMPLED })
    const answer = await c.next((m) => m.id === 7 && m.result !== undefined)
    expect(toolText(answer)).toContain("sampled by the raw client")
    // once answered, the id is free again (a new request, answered normally)
    const again = await c.ask(7, "tools/call", { name: "ev__echo", arguments: { message: "third" } })
    expect(toolText(again)).toContain("third")
  }, 60_000)

  test("a cancelled request's id is free again at once (no answer comes for the cancelled one)", async () => {
    c = new RawStdio()
    await c.initialize()
    c.send({ method: "notifications/initialized" })
    c.send({ id: 11, method: "tools/call", params: { name: "ev__trigger-sampling-request", arguments: { prompt: "cancel me" } } })
    await c.next((m) => m.method === "sampling/createMessage")
    c.send({ method: "notifications/cancelled", params: { requestId: 11, reason: "changed my mind" } })
    const again = await c.ask(11, "tools/call", { name: "ev__echo", arguments: { message: "reused" } })
    expect(again.error).toBeUndefined()
    expect(toolText(again)).toContain("reused")
  }, 60_000)

  test("odd message shapes never leave a request unanswered: _meta null, a request named notifications/cancelled (it cancels nothing)", async () => {
    c = new RawStdio()
    await c.initialize()
    c.send({ method: "notifications/initialized" })
    // `_meta: null` is taken as absent, any other non-object is -32602 naming it: the fast lane
    // (tools/call) and the protocol dispatch (tools/list) alike
    const call = await c.ask("m1", "tools/call", { name: "ev__echo", arguments: { message: "odd meta" }, _meta: null })
    expect(toolText(call)).toContain("odd meta")
    const list = await c.ask("m2", "tools/list", { _meta: null })
    expect(list.error).toBeUndefined()
    expect(Array.isArray(list.result?.tools)).toBe(true)
    for (const [i, meta] of (["x", 5, [1], true] as unknown[]).entries()) {
      for (const [method, params] of [["tools/call", { name: "ev__echo", arguments: { message: "m" } }], ["tools/list", {}]] as const) {
        const bad = await c.ask(`bad-${method}-${i}`, method, { ...params, _meta: meta })
        expect(bad.error?.code).toBe(-32602)
        expect(bad.error?.message).toContain("_meta: expected object")
      }
    }
    // a call in progress (its downstream waits on our sampling request)
    c.send({ id: 21, method: "tools/call", params: { name: "ev__trigger-sampling-request", arguments: { prompt: "keep going" } } })
    const asked = await c.next((m) => m.method === "sampling/createMessage")
    // a cancellation is a notification: sent as a request (with an id) it is Method not found, and the call runs on
    const named = await c.ask("c1", "notifications/cancelled", { requestId: 21 })
    expect(named.error?.code).toBe(-32601)
    c.send({ id: asked.id, result: SAMPLED })
    expect(toolText(await c.answerTo(21))).toContain("sampled by the raw client")
  }, 60_000)

  test("arguments null is no arguments (fast lane, protocol dispatch, 2026-07-28 lane); an array, a string or a number is -32602 saying what came", async () => {
    c = new RawStdio()
    await c.initialize()
    c.send({ method: "notifications/initialized" })
    const img = await c.ask("a1", "tools/call", { name: "ev__get-tiny-image", arguments: null })
    expect(img.error).toBeUndefined()
    expect(JSON.stringify(img.result?.content)).toContain('"image"')
    const prompt = await c.ask("a2", "prompts/get", { name: "ev__simple-prompt", arguments: null })
    expect(prompt.error).toBeUndefined()
    expect(JSON.stringify(prompt.result)).toContain("messages")
    const modern = await c.ask("a3", "tools/call", { name: "ev__get-tiny-image", arguments: null, _meta: ENVELOPE })
    expect(modern.error).toBeUndefined()
    expect(JSON.stringify(modern.result?.content)).toContain('"image"')
    let n = 0
    for (const [args, shown] of [[[1], "an array"], ["x", "a string"], [5, "5"]] as const) {
      for (const params of [{ name: "ev__echo", arguments: args }, { name: "ev__echo", arguments: args, _meta: ENVELOPE }]) {
        const bad = await c.ask(`b${++n}`, "tools/call", params)
        expect(bad.error?.code).toBe(-32602)
        expect(bad.error?.message).toContain(`params.arguments must be an object (the arguments by name, e.g. {"path": "a.txt"}), got ${shown}`)
      }
    }
  }, 60_000)

  test("a 2026-07-28 request's _meta logLevel that is no LoggingLevel is -32602 naming it (it was passed on as the downstream envelope); a valid one serves", async () => {
    c = new RawStdio()
    let n = 0
    for (const level of ["LOUD", "warn", 3, ["debug"]] as unknown[]) {
      for (const [method, params] of [["tools/call", { name: "ev__echo", arguments: { message: "m" } }], ["tools/list", {}]] as const) {
        const a = await c.ask(`l${++n}`, method, { ...params, _meta: { ...ENVELOPE, "io.modelcontextprotocol/logLevel": level } })
        expect(a.error?.code).toBe(-32602)
        expect(a.error?.message).toContain('_meta["io.modelcontextprotocol/logLevel"] must be one of debug, info, notice, warning')
        expect(a.error?.message).toContain(typeof level === "string" ? `got "${level}"` : "got a")
      }
    }
    const ok = await c.ask("ok", "tools/call", { name: "ev__echo", arguments: { message: "leveled" }, _meta: { ...ENVELOPE, "io.modelcontextprotocol/logLevel": "warning" } })
    expect(toolText(ok)).toContain("leveled")
  }, 60_000)

  test("a cancelled 2026-07-28 request's id reused by a legacy request gets a legacy answer (no resultType of the cancelled one)", async () => {
    c = new RawStdio()
    await c.initialize()
    c.send({ method: "notifications/initialized" })
    // in one chunk: the cancellation is read before the list is answered
    c.lines([{ id: 5, method: "prompts/list", params: { _meta: ENVELOPE } }, { method: "notifications/cancelled", params: { requestId: 5 } }])
    await c.ask("after", "ping")
    const pong = await c.ask(5, "ping")
    expect(pong).toEqual({ jsonrpc: "2.0", id: 5, result: {} })
    expect(c.seen.filter((m) => m.id === 5)).toHaveLength(1)
  }, 60_000)

  test("a second initialize is refused; the first negotiation (version, capabilities) stays", async () => {
    c = new RawStdio()
    await c.initialize({ sampling: {} }, "2025-11-25")
    c.send({ method: "notifications/initialized" })
    const second = await c.ask("init2", "initialize", { protocolVersion: "2024-11-05", capabilities: {}, clientInfo: { name: "other", version: "2" } })
    expect(second.result).toBeUndefined()
    expect(second.error?.code).toBe(-32600)
    expect(second.error?.message).toContain("already initialized (protocol version 2025-11-25)")
    // the capabilities of the first initialize still hold: sampling is relayed to this client
    c.send({ id: 3, method: "tools/call", params: { name: "ev__trigger-sampling-request", arguments: { prompt: "still" } } })
    const asked = await c.next((m) => m.method === "sampling/createMessage")
    c.send({ id: asked.id, result: SAMPLED })
    expect(toolText(await c.answerTo(3))).toContain("sampled by the raw client")
  }, 60_000)

  test("a cursor we never issued is -32602 naming it, on every list, legacy and 2026-07-28; no cursor lists as before", async () => {
    c = new RawStdio()
    await c.initialize()
    c.send({ method: "notifications/initialized" })
    let n = 0
    for (const method of LISTS) {
      const plain = await c.ask(++n, method)
      expect(plain.error).toBeUndefined()
      expect(plain.result?.nextCursor).toBeUndefined()
      for (const params of [{ cursor: "bogus-cursor-1" }, { cursor: "bogus-cursor-1", _meta: ENVELOPE }]) {
        const a = await c.ask(++n, method, params)
        expect(a.result).toBeUndefined()
        expect(a.error?.code).toBe(-32602)
        expect(a.error?.message).toContain('"bogus-cursor-1"')
      }
    }
  }, 60_000)
})

describe("Streamable HTTP", () => {
  let h: HttpBinary
  beforeAll(async () => {
    const { cfg, env } = config()
    h = await startHttpBinary(cfg, env)
  }, 60_000)
  afterAll(() => h?.proc.kill())

  const headers = (sid?: string, extra: Record<string, string> = {}): Record<string, string> => ({
    authorization: `Bearer ${TOKEN}`,
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    ...(sid ? { "mcp-session-id": sid, "mcp-protocol-version": "2025-11-25" } : {}),
    ...extra,
  })
  const post = (body: unknown, sid?: string, extra?: Record<string, string>): Promise<Response> => fetch(h.url, { method: "POST", headers: headers(sid, extra), body: JSON.stringify(body) })

  /** Reads JSON-RPC messages off a response (JSON or SSE) as they come. */
  async function* messages(res: Response): AsyncGenerator<Msg> {
    if ((res.headers.get("content-type") ?? "").includes("application/json")) {
      yield (await res.json()) as Msg
      return
    }
    const dec = new TextDecoder()
    let buf = ""
    for await (const chunk of res.body!) {
      buf += dec.decode(chunk, { stream: true })
      for (let i = buf.indexOf("\n\n"); i >= 0; i = buf.indexOf("\n\n")) {
        const event = buf.slice(0, i)
        buf = buf.slice(i + 2)
        const data = event
          .split("\n")
          .filter((l) => l.startsWith("data:"))
          .map((l) => l.slice(5).trim())
          .join("")
        if (data) yield JSON.parse(data) as Msg
      }
    }
  }

  async function session(capabilities: Record<string, unknown> = { sampling: {} }): Promise<string> {
    const res = await post({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities, clientInfo: { name: "raw", version: "1" } } })
    const text = await res.text()
    const sid = res.headers.get("mcp-session-id")!
    expect(`${res.status} ${sid ? "session" : text}`).toBe("200 session")
    const ok = await post({ jsonrpc: "2.0", method: "notifications/initialized" }, sid)
    expect(`${ok.status} ${await ok.text()}`).toBe("202 ")
    return sid
  }

  test("a request reusing the id of one in progress in the session is refused -32600 naming the id; the first is answered", async () => {
    const sid = await session()
    const call = await post({ jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "ev__trigger-sampling-request", arguments: { prompt: "first" } } }, sid)
    const stream = messages(call)
    const asked = (await stream.next()).value as Msg
    expect(asked.method).toBe("sampling/createMessage")
    for (const body of [
      { jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "ev__echo", arguments: { message: "second" } } },
      { jsonrpc: "2.0", id: 9, method: "prompts/list" },
    ]) {
      const dup = await post(body, sid)
      expect(dup.status).toBe(400)
      const a = (await dup.json()) as Msg
      expect(a.id).toBe(9)
      expect(a.error?.code).toBe(-32600)
      expect(a.error?.message).toContain("id 9 is already in use")
    }
    // another session's id 9 is its own
    const other = await session()
    const echo = (await (await post({ jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "ev__echo", arguments: { message: "other" } } }, other)).json()) as Msg
    expect(toolText(echo)).toContain("other")
    expect((await post({ jsonrpc: "2.0", id: asked.id, result: SAMPLED }, sid)).status).toBe(202)
    let answer: Msg | undefined
    for await (const m of stream) if (m.id === 9) answer = m
    expect(toolText(answer!)).toContain("sampled by the raw client")
  }, 60_000)

  test("a request named notifications/cancelled (it has an id) in a batch with a notification cancels nothing", async () => {
    const sid = await session()
    const call = await post({ jsonrpc: "2.0", id: 31, method: "tools/call", params: { name: "ev__trigger-sampling-request", arguments: { prompt: "keep going" } } }, sid)
    const stream = messages(call)
    const asked = (await stream.next()).value as Msg
    expect(asked.method).toBe("sampling/createMessage")
    const batch = await post([{ jsonrpc: "2.0", id: "c1", method: "notifications/cancelled", params: { requestId: 31 } }, { jsonrpc: "2.0", method: "notifications/roots/list_changed" }], sid)
    const answers: Msg[] = []
    for await (const m of messages(batch)) answers.push(m)
    expect(answers.flat().map((m) => [m.id, m.error?.code])).toEqual([["c1", -32601]])
    expect((await post({ jsonrpc: "2.0", id: asked.id, result: SAMPLED }, sid)).status).toBe(202)
    let answer: Msg | undefined
    for await (const m of stream) if (m.id === 31) answer = m
    expect(toolText(answer!)).toContain("sampled by the raw client")
  }, 60_000)

  test("_meta null is taken as absent; any other non-object is -32602 naming it (the HTTP lane and the protocol dispatch)", async () => {
    const sid = await session()
    const call = (await (await post({ jsonrpc: "2.0", id: "n1", method: "tools/call", params: { name: "ev__echo", arguments: { message: "null meta" }, _meta: null } }, sid)).json()) as Msg
    expect(toolText(call)).toContain("null meta")
    let n = 0
    for (const meta of ["x", 5, [1]] as unknown[]) {
      for (const [method, params] of [["tools/call", { name: "ev__echo", arguments: { message: "m" } }], ["tools/list", {}]] as const) {
        const a = (await (await post({ jsonrpc: "2.0", id: `m${++n}`, method, params: { ...params, _meta: meta } }, sid)).json()) as Msg
        expect(a.error?.code).toBe(-32602)
        expect(a.error?.message).toContain("_meta: expected object")
      }
    }
  })

  test("arguments null is no arguments, in a session and on a 2026-07-28 request; an array is -32602 saying so", async () => {
    const sid = await session()
    const img = (await (await post({ jsonrpc: "2.0", id: "a1", method: "tools/call", params: { name: "ev__get-tiny-image", arguments: null } }, sid)).json()) as Msg
    expect(img.error).toBeUndefined()
    expect(toolText(img)).toContain('"image"')
    const prompt = (await (await post({ jsonrpc: "2.0", id: "a2", method: "prompts/get", params: { name: "ev__simple-prompt", arguments: null } }, sid)).json()) as Msg
    expect(prompt.error).toBeUndefined()
    const modernHeaders = { "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/call", "mcp-name": "ev__get-tiny-image" }
    const modern = (await (await post({ jsonrpc: "2.0", id: "a3", method: "tools/call", params: { name: "ev__get-tiny-image", arguments: null, _meta: ENVELOPE } }, undefined, modernHeaders)).json()) as Msg
    expect(modern.error).toBeUndefined()
    expect(toolText(modern)).toContain('"image"')
    const bad = (await (await post({ jsonrpc: "2.0", id: "a4", method: "tools/call", params: { name: "ev__echo", arguments: [1] } }, sid)).json()) as Msg
    expect(bad.error?.code).toBe(-32602)
    expect(bad.error?.message).toContain("params.arguments must be an object (the arguments by name")
    expect(bad.error?.message).toContain("got an array")
  })

  test("a 2026-07-28 request's _meta logLevel that is no LoggingLevel is 400 -32602 naming it; a valid one serves", async () => {
    const modernHeaders = { "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/call", "mcp-name": "ev__echo" }
    const call = (level: unknown) => post({ jsonrpc: "2.0", id: "lv", method: "tools/call", params: { name: "ev__echo", arguments: { message: "leveled" }, _meta: { ...ENVELOPE, "io.modelcontextprotocol/logLevel": level } } }, undefined, modernHeaders)
    const bad = await call("LOUD")
    expect(bad.status).toBe(400)
    const e = (await bad.json()) as Msg
    expect(e.id).toBe("lv")
    expect(e.error?.code).toBe(-32602)
    expect(e.error?.message).toContain('must be one of debug, info, notice, warning, error, critical, alert, emergency (or absent: no logs), got "LOUD"')
    // with a level the answer may come on a stream (the call's logs before it)
    let ok: Msg | undefined
    for await (const m of messages(await call("debug"))) if (m.id === "lv") ok = m
    expect(toolText(ok!)).toContain("leveled")
  })

  test("initialize with the session's id is refused; the session keeps working", async () => {
    const sid = await session()
    const res = await post({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2024-11-05", capabilities: {}, clientInfo: { name: "x", version: "1" } } }, sid)
    expect(res.status).toBe(400)
    expect(((await res.json()) as Msg).error?.code).toBe(-32600)
    const list = (await (await post({ jsonrpc: "2.0", id: 2, method: "tools/list" }, sid)).json()) as Msg
    expect(list.error).toBeUndefined()
  })

  test("a cursor we never issued is -32602 naming it, in a session and on a 2026-07-28 request", async () => {
    const sid = await session()
    let n = 0
    for (const method of LISTS) {
      const a = (await (await post({ jsonrpc: "2.0", id: ++n, method, params: { cursor: "bogus-cursor-2" } }, sid)).json()) as Msg
      expect(a.error?.code).toBe(-32602)
      expect(a.error?.message).toContain('"bogus-cursor-2"')
      const modern = (await (await post({ jsonrpc: "2.0", id: ++n, method, params: { cursor: "bogus-cursor-3", _meta: ENVELOPE } }, undefined, { "mcp-protocol-version": "2026-07-28", "mcp-method": method })).json()) as Msg
      expect(modern.error?.code).toBe(-32602)
      expect(modern.error?.message).toContain('"bogus-cursor-3"')
      const plain = (await (await post({ jsonrpc: "2.0", id: ++n, method }, sid)).json()) as Msg
      expect(plain.error).toBeUndefined()
    }
  })
})
