/**
 * A legacy (2025-era) downstream asks its client something mid-call (`elicitation/create`,
 * `sampling/createMessage`) while a 2026-07-28 client's call is in flight, through the compiled
 * binary over stdio with a real server-everything behind it. The client gets `input_required` with
 * the question (the asking server named); its retry with `inputResponses` and the `requestState`
 * hands the answer to the waiting server, and the same call's result comes back. A client that did
 * not declare the capability: the server is told so (its tool reports it). Before, every such
 * question was declined as "method not found", whatever the client declared.
 */
import { afterEach, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { BIN, ensureBuilt, httpRunsStoppedAfterEach, ROOT, sandboxEnv, startHttpBinary, writeConfig } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

type Msg = { jsonrpc: string; id?: unknown; result?: Record<string, unknown>; error?: { code: number; message: string }; method?: string; params?: Record<string, unknown> }

const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const meta = (caps: object): Record<string, unknown> => ({ "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": caps })

const PUSH = join(ROOT, "test", "fixtures", "servers", "legacy-elicit-server.ts")
const FAULT = join(ROOT, "test", "fixtures", "servers", "fault-server.ts")

/** The binary over stdio with server-everything as `ev` (and legacy-elicit-server as `push`); `send` writes one message, `answer` waits for the one with `id`. */
function start(evTimeoutMs?: number) {
  const env = sandboxEnv()
  const cfg = writeConfig(env, { toolkit: { enabled: "off" }, plugins: { enabled: false }, servers: { ev: { command: process.execPath, args: [EVERYTHING, "stdio"], ...(evTimeoutMs !== undefined ? { timeout: evTimeoutMs } : {}) }, push: { command: process.execPath, args: [PUSH] }, f: { command: process.execPath, args: [FAULT] } } })
  const p = Bun.spawn([BIN, "serve", "--config", cfg], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env, cwd: env.HOME })
  const msgs: Msg[] = []
  let err = ""
  void (async () => {
    let buf = ""
    const d = new TextDecoder()
    for await (const c of p.stdout) {
      buf += d.decode(c)
      let i
      while ((i = buf.indexOf("\n")) >= 0) {
        msgs.push(JSON.parse(buf.slice(0, i)) as Msg)
        buf = buf.slice(i + 1)
      }
    }
  })()
  void (async () => {
    const d = new TextDecoder()
    for await (const c of p.stderr) err += d.decode(c)
  })()
  return {
    p,
    msgs,
    stderr: () => err,
    send(m: object): void {
      p.stdin.write(JSON.stringify(m) + "\n")
      void p.stdin.flush()
    },
    answer: (id: unknown, ms = 20_000): Promise<Msg> => waitFor(`an answer to ${JSON.stringify(id)}`, () => msgs.find((m) => m.id === id && (m.result !== undefined || m.error !== undefined)), ms),
  }
}

let run: ReturnType<typeof start> | undefined
afterEach(async () => {
  run?.p.kill("SIGTERM")
  await run?.p.exited
  run = undefined
})

const call = (id: string, name: string, args: object, caps: object, extra: object = {}) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args, _meta: meta(caps), ...extra } })
const text = (r: Msg): string => ((r.result?.content as { text?: string }[] | undefined) ?? []).map((c) => c.text ?? "").join("\n")

describe("a legacy server's question to a 2026-07-28 client", () => {
  test("elicitation: input_required with the question, the retry's answer reaches the server, the same call's result comes back", async () => {
    run = start()
    // the first call waits for the server (its tools listed)
    run.send(call("e1", "ev__trigger-elicitation-request", {}, { elicitation: {} }))
    const first = await run.answer("e1")
    expect(first.error).toBeUndefined()
    expect(first.result!.resultType).toBe("input_required")
    const asks = first.result!.inputRequests as Record<string, { method: string; params: { message: string; requestedSchema: unknown } }>
    const keys = Object.keys(asks)
    expect(keys).toHaveLength(1)
    const ask = asks[keys[0]!]!
    expect(ask.method).toBe("elicitation/create")
    // named as the asking server, as for a legacy client
    expect(ask.params.message).toStartWith("[ev] ")
    expect((ask.params.requestedSchema as { type: string }).type).toBe("object")
    const state = first.result!.requestState as string
    expect(state).toStartWith("mcpo1.")
    // the answer, with the state, on a new request
    const content = { name: "Ada", check: true, firstLine: "x", email: "ada@example.com", homepage: "https://example.com", birthdate: "1815-12-10", integer: 42, number: 3.14, untitledSingleSelectEnum: "Option 1", titledSingleSelectEnum: "value1", legacyTitledEnum: "opt1", untitledMultipleSelectEnum: ["Option 1"], titledMultipleSelectEnum: ["value1"] }
    run.send(call("e2", "ev__trigger-elicitation-request", {}, { elicitation: {} }, { inputResponses: { [keys[0]!]: { action: "accept", content } }, requestState: state }))
    const second = await run.answer("e2")
    expect(second.error).toBeUndefined()
    expect(second.result!.resultType).toBe("complete")
    expect(text(second)).toContain("Ada")
    expect(second.result!.isError).toBeFalsy()
    // the same state again: that call is over, start over
    run.send(call("e3", "ev__trigger-elicitation-request", {}, { elicitation: {} }, { inputResponses: { [keys[0]!]: { action: "decline" } }, requestState: state }))
    const third = await run.answer("e3")
    expect(third.error?.code).toBe(-32602)
    expect(third.error?.message).toContain("requestState")
  }, 60_000)

  test("a user who takes longer than the call's timeout to answer: the parked call waits for the answer", async () => {
    // before, the downstream call's timeout ran on while it was parked: an answer brought after it
    // (a person reading the form) found the call ended
    run = start(1500)
    run.send(call("s1", "ev__trigger-elicitation-request", {}, { elicitation: {} }))
    const first = await run.answer("s1")
    expect(first.result!.resultType).toBe("input_required")
    const key = Object.keys(first.result!.inputRequests as object)[0]!
    await Bun.sleep(4000)
    run.send(call("s2", "ev__trigger-elicitation-request", {}, { elicitation: {} }, { inputResponses: { [key]: { action: "decline" } }, requestState: first.result!.requestState }))
    const second = await run.answer("s2")
    expect(second.error).toBeUndefined()
    expect(second.result!.resultType).toBe("complete")
    expect(text(second).toLowerCase()).toContain("decline")
  }, 60_000)

  test("a decline reaches the server as the client's answer", async () => {
    run = start()
    run.send(call("d1", "ev__trigger-elicitation-request", {}, { elicitation: {} }))
    const first = await run.answer("d1")
    const key = Object.keys(first.result!.inputRequests as object)[0]!
    run.send(call("d2", "ev__trigger-elicitation-request", {}, { elicitation: {} }, { inputResponses: { [key]: { action: "decline" } }, requestState: first.result!.requestState }))
    const second = await run.answer("d2")
    expect(second.result!.resultType).toBe("complete")
    expect(text(second).toLowerCase()).toContain("decline")
  }, 60_000)

  test("a client that declared neither elicitation nor sampling: the server is told so, the call completes with its tool's error", async () => {
    run = start()
    run.send(call("n1", "ev__trigger-elicitation-request", {}, {}))
    run.send(call("n2", "ev__trigger-sampling-request", { prompt: "hi" }, {}))
    for (const [id, what] of [["n1", "elicitation"], ["n2", "sampling"]] as const) {
      const r = await run.answer(id)
      expect(r.result!.resultType).toBe("complete")
      expect(text(r)).toContain(`did not declare ${what}`)
    }
  }, 60_000)

  test("sampling: input_required with the request, the retry's answer reaches the server", async () => {
    run = start()
    run.send(call("s1", "ev__trigger-sampling-request", { prompt: "hi" }, { sampling: {} }))
    const first = await run.answer("s1")
    expect(first.result!.resultType).toBe("input_required")
    const [key, ask] = Object.entries(first.result!.inputRequests as Record<string, { method: string }>)[0]!
    expect(ask.method).toBe("sampling/createMessage")
    const answer = { role: "assistant", content: { type: "text", text: "sampled-reply-7" }, model: "m" }
    run.send(call("s2", "ev__trigger-sampling-request", { prompt: "hi" }, { sampling: {} }, { inputResponses: { [key]: answer }, requestState: first.result!.requestState }))
    const second = await run.answer("s2")
    expect(second.result!.resultType).toBe("complete")
    expect(text(second)).toContain("sampled-reply-7")
  }, 60_000)
})

describe("progress of a parked call", () => {
  test("goes to the request waiting on it (the retry's own token), never to the one answered input_required", async () => {
    run = start()
    run.send(call("p1", "push__confirm", {}, { elicitation: {} }, { _meta: { ...meta({ elicitation: {} }), progressToken: "first" } }))
    const first = await run.answer("p1")
    expect(first.result!.resultType).toBe("input_required")
    const at = run.msgs.indexOf(first)
    const key = Object.keys(first.result!.inputRequests as object)[0]!
    run.send(call("p2", "push__confirm", {}, { elicitation: {} }, { inputResponses: { [key]: { action: "accept", content: { ok: true } } }, requestState: first.result!.requestState, _meta: { ...meta({ elicitation: {} }), progressToken: "second" } }))
    const second = await run.answer("p2")
    expect(text(second)).toBe('elicited:{"action":"accept","content":{"ok":true}}')
    const progress = (token: string) => run!.msgs.filter((m) => m.method === "notifications/progress" && m.params?.progressToken === token)
    // before its answer: the first request's progress (1 of 2)
    expect(progress("first").map((m) => m.params!.progress)).toEqual([1])
    expect(run.msgs.indexOf(progress("first")[0]!)).toBeLessThan(at)
    // once answered, the retry's (2 of 2), before its own answer
    expect(progress("second").map((m) => m.params!.progress)).toEqual([2])
    expect(run.msgs.indexOf(progress("second")[0]!)).toBeLessThan(run.msgs.indexOf(second))
  }, 60_000)
})

describe("calls in flight together", () => {
  test("two calls in flight on one stdio server, each asking one question: each request gets one input_required and each retry completes its own call", async () => {
    run = start()
    // the server up first: then the two calls reach it together
    run.send(call("w0", "push__caps", {}, { elicitation: {} }))
    await run.answer("w0")
    run.send(call("c1", "push__confirm", {}, { elicitation: {} }))
    run.send(call("c2", "push__confirm", {}, { elicitation: {} }))
    // before, both questions went to the latest call: c1 got nothing to show until c2's retry
    const [r1, r2] = await Promise.all([run.answer("c1"), run.answer("c2")])
    for (const r of [r1, r2]) {
      expect(r.result!.resultType).toBe("input_required")
      expect(Object.keys(r.result!.inputRequests as object)).toHaveLength(1)
    }
    const retry = (id: string, r: Msg, ok: boolean) => {
      const key = Object.keys(r.result!.inputRequests as object)[0]!
      run!.send(call(id, "push__confirm", {}, { elicitation: {} }, { inputResponses: { [key]: { action: "accept", content: { ok } } }, requestState: r.result!.requestState }))
    }
    retry("c1r", r1, true)
    retry("c2r", r2, false)
    const done = await Promise.all([run.answer("c1r"), run.answer("c2r")])
    expect(done.map((d) => d.result!.resultType)).toEqual(["complete", "complete"])
    // each server handler got one of the answers (which one asked which is not on the wire of a stdio server)
    expect(done.map(text).sort()).toEqual(['elicited:{"action":"accept","content":{"ok":false}}', 'elicited:{"action":"accept","content":{"ok":true}}'])
  }, 60_000)
})

describe("a task run for a 2026-07-28 client", () => {
  test("its question never goes to another call of the client in flight: declined to the server saying why, and the other call goes on untouched", async () => {
    run = start()
    // the server up first
    run.send(call("t0", "ev__echo", { message: "up" }, {}))
    await run.answer("t0")
    // another call of the same client, in flight (open, no question: before, the task's question took it)
    run.send(call("l1", "ev__trigger-long-running-operation", { duration: 3, steps: 3 }, { elicitation: {} }))
    // a task-required tool (run as a task by us) whose task asks the user (related-task on the question)
    run.send(call("r1", "ev__simulate-research-query", { topic: "python", ambiguous: true }, { elicitation: {} }))
    const [other, task] = await Promise.all([run.answer("l1", 30_000), run.answer("r1", 30_000)])
    // before: l1 was answered input_required with the research task's question, and the task waited on an answer that never came to it
    expect(other.result?.resultType).not.toBe("input_required")
    expect(text(other)).toContain("Long running operation completed")
    expect(task.result?.resultType).not.toBe("input_required")
    expect(text(task)).toContain("elicitation unavailable")
    expect(run.stderr()).toContain("a task's question")
    expect(run.stderr()).toContain('"method":"elicitation/create"')
  }, 60_000)
})

describe("a flood of questions", () => {
  test("is bounded as toward a legacy client: at most 8 wait at once (so at most 8 in one input_required), the rest are refused to the server at once", async () => {
    run = start()
    run.send(call("f0", "f__flood", { count: 100 }, { elicitation: {} }))
    let r = await run.answer("f0")
    let asked = 0
    // questions that came after a turn ended go out with the next one: answer until the call completes
    for (let round = 1; r.result?.resultType === "input_required" && round < 30; round++) {
      const keys = Object.keys(r.result.inputRequests as object)
      expect(keys.length).toBeGreaterThan(0)
      expect(keys.length).toBeLessThanOrEqual(8)
      asked += keys.length
      const answers = Object.fromEntries(keys.map((k) => [k, { action: "decline" }]))
      run.send(call(`f${round}`, "f__flood", { count: 100 }, { elicitation: {} }, { inputResponses: answers, requestState: r.result.requestState }))
      r = await run.answer(`f${round}`)
    }
    expect(r.result!.resultType).toBe("complete")
    expect(asked).toBeLessThan(100)
    expect(text(r)).toContain(`answered ${asked}, refused ${100 - asked}`)
    expect(text(r)).toContain("refused, not queued")
  }, 60_000)
})

describe("over Streamable HTTP", () => {
  const runs = httpRunsStoppedAfterEach()
  const TOKEN = "legacy-ask-modern-0123456789"

  test("a 2026-07-28 POST gets input_required; its retry POST gets the same call's result", async () => {
    const env = sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN })
    const cfg = writeConfig(env, { toolkit: { enabled: "off" }, plugins: { enabled: false }, servers: { ev: { command: process.execPath, args: [EVERYTHING, "stdio"] } } })
    const h = await startHttpBinary(cfg, env)
    runs.push(h)
    const headers = { Authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/call", "mcp-name": "ev__trigger-elicitation-request" }
    const post = async (m: object): Promise<Msg> => {
      const r = await fetch(h.url, { method: "POST", headers, body: JSON.stringify(m), signal: AbortSignal.timeout(25_000) })
      const body = await r.text()
      const data = body.startsWith("{") ? body : body.split("\n").filter((l) => l.startsWith("data: ") && l.includes('"id"')).pop()!.slice(6)
      return JSON.parse(data) as Msg
    }
    const first = await post(call("h1", "ev__trigger-elicitation-request", {}, { elicitation: {} }))
    expect(first.result?.resultType).toBe("input_required")
    const [key, ask] = Object.entries(first.result!.inputRequests as Record<string, { method: string }>)[0]!
    expect(ask.method).toBe("elicitation/create")
    const second = await post(call("h2", "ev__trigger-elicitation-request", {}, { elicitation: {} }, { inputResponses: { [key]: { action: "decline" } }, requestState: first.result!.requestState }))
    expect(second.result?.resultType).toBe("complete")
    expect(text(second).toLowerCase()).toContain("decline")
  }, 60_000)
})
