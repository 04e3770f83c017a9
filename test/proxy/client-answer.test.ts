/**
 * A client's answer to a downstream's request (roots/list, sampling/createMessage,
 * elicitation/create) is checked against the request's MCP result schema before the downstream gets
 * it. Before, a malformed one (`{roots: "notarray"}`, `{bogus: true}`, `{action: "maybe"}`) went on
 * as it was, and the user saw the downstream SDK's raw zod dump as the tool's result, nothing saying
 * the client was at fault. Now the downstream gets a -32602 naming the client and the wrong field,
 * and a warning names the client. A valid answer with extra fields and `_meta` goes on untouched.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { createLogger, createLogHub, ProtocolError } from "../../src/core/index.ts"
import { createProxy, type ClientLink, type Proxy } from "../../src/proxy/index.ts"
import { relayToClient } from "../../src/proxy/relay.ts"
import { config, ctx, everythingStdio } from "./helpers.ts"

/** A client that introduces itself as `bad-client 0.1` and answers every request with `answer`. */
function answering(answer: unknown): ClientLink & { asked: string[] } {
  const asked: string[] = []
  return {
    asked,
    capabilities: () => ({ sampling: {}, elicitation: { form: {} }, roots: {} }),
    protocolVersion: () => "2025-11-25",
    clientInfo: () => ({ name: "bad-client", version: "0.1" }),
    async request(method) {
      asked.push(method)
      return typeof answer === "function" ? (answer as (m: string) => unknown)(method) : answer
    },
    async notify() {},
  }
}

const opts = { timeoutMs: 5000 }
const form = { message: "Your name?", requestedSchema: { type: "object", properties: { name: { type: "string" } } } }
const sampling = { messages: [{ role: "user", content: { type: "text", text: "hi" } }], maxTokens: 10 }

async function refusal(p: Promise<unknown>): Promise<ProtocolError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  )
  expect(e).toBeInstanceOf(ProtocolError)
  expect((e as ProtocolError).rpcCode).toBe(-32602)
  return e as ProtocolError
}

describe("relayToClient checks the client's answer", () => {
  test("roots/list answered {roots: \"notarray\"}, or a root that is no file:// URI: -32602 naming the client and the field", async () => {
    const c = answering({ roots: "notarray" })
    const e = await refusal(relayToClient("fs", "roots/list", undefined, c, c.request, opts))
    expect(e.message).toContain("(bad-client 0.1) answered roots/list with an invalid result")
    expect(e.message).toContain("roots")
    const d = answering({ roots: [{ uri: "https://x" }] })
    expect((await refusal(relayToClient("fs", "roots/list", undefined, d, d.request, opts))).message).toContain('"roots[0].uri": must be a file:// URI')
  })

  test("sampling answered {bogus: true}, elicitation answered {action: \"maybe\"}: refused, naming the fields", async () => {
    const s = answering({ bogus: true })
    const se = await refusal(relayToClient("ev", "sampling/createMessage", sampling, s, s.request, opts))
    expect(se.message).toContain('"model": missing (a string is required)')
    expect(se.message).toContain('"role"')
    const el = answering({ action: "maybe" })
    expect((await refusal(relayToClient("ev", "elicitation/create", form, el, el.request, opts))).message).toContain('"action"')
  })

  test("valid answers with extra fields and _meta go on as they came", async () => {
    const answers: Record<string, unknown> = {
      "roots/list": { roots: [{ uri: "file:///w", name: "w", extra: 1, _meta: { k: 1 } }], _meta: { a: 1 }, more: true },
      "sampling/createMessage": { role: "assistant", content: { type: "text", text: "ok", annotations: {} }, model: "m", stopReason: "provider-specific", x: 1 },
      "elicitation/create": { action: "cancel", content: null, _meta: { z: 1 } },
    }
    const c = answering((m: string) => answers[m])
    expect(await relayToClient("s", "roots/list", undefined, c, c.request, opts)).toEqual(answers["roots/list"])
    expect(await relayToClient("s", "sampling/createMessage", sampling, c, c.request, opts)).toEqual(answers["sampling/createMessage"])
    expect(await relayToClient("s", "elicitation/create", form, c, c.request, opts)).toEqual(answers["elicitation/create"])
  })
})

describe("through the proxy to server-everything", () => {
  let proxy: Proxy
  const lines: Array<Record<string, unknown>> = []
  beforeAll(async () => {
    const log = createLogger(createLogHub("debug", (l) => lines.push(JSON.parse(l) as Record<string, unknown>)), "t")
    proxy = createProxy({ config: config({ servers: { ev: everythingStdio } }), log, closeGraceMs: 500 })
    await proxy.listTools()
  })
  afterAll(() => proxy[Symbol.asyncDispose]())

  for (const [tool, method, answer, field] of [
    ["ev__trigger-sampling-request", "sampling/createMessage", { bogus: true }, '"model"'],
    ["ev__trigger-elicitation-request", "elicitation/create", { action: "maybe" }, '"action"'],
  ] as const) {
    test(`${tool}: the client's malformed answer is the user's readable error, and a warning names the client`, async () => {
      const bad = answering(answer)
      const detach = proxy.attachClient(bad)
      const c = ctx()
      c.client = bad
      let text: string
      try {
        const r = await proxy.callTool(tool, { prompt: "p" }, c)
        text = r.content.map((b) => (b.type === "text" ? b.text : "")).join("\n")
      } catch (e) {
        text = (e as Error).message
      }
      detach()
      expect(bad.asked).toContain(method)
      expect(text).toContain(`(bad-client 0.1) answered ${method} with an invalid result`)
      expect(text).toContain(field)
      const warn = lines.find((l) => l.level === "warn" && l.method === method && l.client === "bad-client 0.1")
      expect(warn).toBeDefined()
    }, 30_000)
  }
})

describe("a 2026-07-28 client's inputResponses (proxy/parked-calls)", () => {
  test("a malformed answer in the retry fails the server's question with -32602 naming the field, and is reported; a valid one goes on", async () => {
    const { ParkedCalls } = await import("../../src/proxy/parked-calls.ts")
    const parks = new ParkedCalls(() => 60_000)
    const p = parks.open("ev", { clientCapabilities: { elicitation: {}, roots: {} } })
    p.start(new Promise(() => {}))
    const turn = p.next(new AbortController().signal)
    const bad = p.ask({ method: "elicitation/create", params: { message: "name?" } }, new AbortController().signal)
    const good = p.ask({ method: "roots/list" }, new AbortController().signal)
    const t = await turn
    expect("asks" in t && Object.keys(t.asks)).toEqual(["ev-1", "ev-2"])
    parks.park(p)
    const reported = parks.take(p.id, "ev").answer({ "ev-1": { action: "maybe" }, "ev-2": { roots: [{ uri: "file:///w" }], _meta: { x: 1 } } })
    const e = await bad.then(
      () => undefined,
      (x: unknown) => x,
    )
    expect(e).toBeInstanceOf(ProtocolError)
    expect((e as ProtocolError).rpcCode).toBe(-32602)
    expect((e as Error).message).toContain('answered elicitation/create with an invalid result ("action"')
    expect(reported).toEqual([{ method: "elicitation/create", fields: ["action"] }])
    expect(await good).toEqual({ roots: [{ uri: "file:///w" }], _meta: { x: 1 } })
    parks.close(p)
  })
})
