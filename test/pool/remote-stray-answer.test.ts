/**
 * A remote server that answers a request on that request's own POST with something that is not its
 * answer: a JSON body or SSE event whose JSON-RPC id matches no request of ours (or another type of id:
 * "3" for 3), an empty JSON array (a batch with no response), an error with id null, only a
 * notification; or an SSE event that is not JSON (or not JSON-RPC). The SDK hands such a message on
 * and nothing is waiting for it: the call waited for its whole timeout, or (an SSE stream that then
 * closed) failed as a closed stream, WRITE_FAILED, dropping the session and counting against the
 * breaker. Now that call fails at once with BAD_RESPONSE naming what came (the id seen and the one
 * expected, the empty batch, a bounded excerpt of the bad event without secrets); the session stays.
 * Both eras: a stateful SDK v2 server (legacy Streamable HTTP) and SDK v2 `createMcpHandler`
 * (2026-07-28), each answering chosen calls with the bad answer. The calls get a 20 s timeout, the
 * test 30 s: an answer that leaves the call waiting fails the test as a TIMEOUT.
 */
import { afterAll, describe, expect, test } from "bun:test"
import type { ServerSpec } from "../../src/config/index.ts"
import { DownstreamError } from "../../src/core/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { captureLog, config } from "../proxy/helpers.ts"
import { startModernEcho } from "../fixtures/modern-echo-http.ts"
import { startStatefulHttp } from "../fixtures/stateful-http.ts"
import { downstreamFailure } from "../helpers/failure.ts"

type Msg = { id?: string | number; method?: string; params?: { name?: unknown; arguments?: { text?: unknown } } }

/** An SSE answer: these events, then the stream stays open (`open`) or ends. */
function sse(events: string[], open: boolean): Response {
  const enc = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (const e of events) c.enqueue(enc.encode(e))
      if (!open) c.close()
    },
  })
  return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } })
}

const SECRET = "sk-stray0123456789abcdefXYZ"

/** The bad answers, by the text an echo call carries (`id`: the request's). */
const BAD: Record<string, (id: string | number) => Response> = {
  wrongId: (id) => Response.json({ jsonrpc: "2.0", id: Number(id) + 1000, result: { content: [{ type: "text", text: "someone else's" }] } }),
  stringId: (id) => Response.json({ jsonrpc: "2.0", id: String(id), result: { content: [{ type: "text", text: "typed id" }] } }),
  emptyBatch: () => Response.json([]),
  nullIdError: () => Response.json({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } }),
  onlyNotification: () => Response.json({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: "hi" } }),
  sseWrongId: (id) => sse([`event: message\ndata: ${JSON.stringify({ jsonrpc: "2.0", id: Number(id) + 1000, result: { content: [] } })}\n\n`], true),
  sseBroken: (id) => sse([`data: {"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"content":[{"type":"text","text":"${SECRET} ${"x".repeat(500)}`, "\n\n"], false),
  sseBrokenOpen: (id) => sse([`data: {"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"content":[{"type":"text"\n\n`], true),
  sseNotRpc: () => sse([`data: {"hello":"world"}\n\n`], true),
  sseEmptyBatch: () => sse([`data: []\n\n`], true),
}

/** Its answer first, then something that is not (on the same stream, in the same chunk): the call has its answer. */
const answer = (id: string | number, t: string): string => `event: message\ndata: ${JSON.stringify({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: t }], resultType: "complete" } })}\n\n`
const AFTER: Record<string, (id: string | number) => Response> = {
  thenStray: (id) => sse([answer(id, "first") + answer(Number(id) + 1000, "stray")], false),
  thenSecond: (id) => sse([answer(id, "first") + answer(id, "second")], false),
  thenGarbage: (id) => sse([`${answer(id, "first")}data: {"jsonrpc":"2.0","id":${JSON.stringify(id)},"resu\n\n`], false),
}

const badFor = (m: Msg): Response | undefined => {
  const t = m.method === "tools/call" ? m.params?.arguments?.text : undefined
  return typeof t === "string" && m.id !== undefined ? (BAD[t] ?? AFTER[t])?.(m.id) : undefined
}

const legacy = startStatefulHttp()
legacy.refuse(badFor)

/** Our own per-request headers that reached the server (they are taken out before sending). */
const leaked: string[] = []

const modern = startModernEcho((m) => badFor(m as Msg), (req) => {
  for (const h of req.headers.keys()) if (h.startsWith("x-mcpo-")) leaked.push(h)
})

afterAll(async () => {
  await legacy.stop()
  await modern.stop()
})

function pool(spec: ServerSpec): { p: Pool; log: ReturnType<typeof captureLog> } {
  const log = captureLog()
  // a restart would wait a minute: a call after a dropped session fails with RESTARTING
  const p = new Pool({ config: config({ pool: { restartDelay: 60_000, callTimeout: 20_000 } }), log: log.log })
  p.add({ name: "web", source: "config", spec })
  return { p, log }
}

const echo = (p: Pool, text: string) => p.call("web", "tools/call", { name: "echo", arguments: { text } }, {})
const text = (r: unknown) => (r as { content: { text: string }[] }).content[0]!.text

const eras = [
  { era: "legacy", spec: () => ({ url: legacy.url, protocol: "legacy" }) as ServerSpec },
  { era: "2026-07-28", spec: () => ({ url: modern.url, protocol: "modern" }) as ServerSpec },
]

/** The case, and what the error must say. */
const CASES: [string, (string | RegExp)[]][] = [
  ["wrongId", [/with id 10\d\d, not \d+ \(the id of this request\)/]],
  ["stringId", [/with id "\d+", not \d+ \(the id of this request\)/]],
  ["emptyBatch", ["an empty JSON array (a batch with no response in it)"]],
  ["nullIdError", ["an error for no request (id null): -32700 Parse error"]],
  ["onlyNotification", ["no response, only notifications/message"]],
  ["sseWrongId", [/an answer on its response stream came with id 10\d\d, not \d+ \(the id of this request\)/]],
  ["sseBroken", ["an event on its response stream is not JSON", 'data: {\\"jsonrpc\\":\\"2.0\\"']],
  ["sseBrokenOpen", ["an event on its response stream is not JSON"]],
  ["sseNotRpc", ['an event on its response stream is not a JSON-RPC message (missing "jsonrpc": "2.0")']],
  ["sseEmptyBatch", ["an event on its response stream is an empty JSON array (a batch with no response in it)"]],
]

describe.each(eras)("remote server ($era) answering a call on its own POST with something that is not its answer", ({ spec }) => {
  test.each(CASES)("%s: that call fails at once with BAD_RESPONSE saying what came; the session stays", async (bad, says) => {
    const { p, log } = pool(spec())
    await using _ = p
    expect(text(await echo(p, "a"))).toBe("echo:a")
    const e = await downstreamFailure(echo(p, bad))
    expect(e).toBeInstanceOf(DownstreamError)
    expect({ code: e.code, message: e.message }).toMatchObject({ code: "BAD_RESPONSE" })
    expect(e.message).toContain("tools/call")
    for (const s of says) {
      if (typeof s === "string") expect(e.message).toContain(s)
      else expect(e.message).toMatch(s)
    }
    // a bounded excerpt, without secrets
    expect(e.message.length).toBeLessThan(600)
    expect(e.message).not.toContain(SECRET)
    expect(JSON.stringify(log.records)).not.toContain(SECRET)
    expect(text(await echo(p, "b"))).toBe("echo:b")
    expect(p.get("web")!.failures).toBe(0)
    expect(leaked).toEqual([])
  })
})

describe.each(eras)("remote server ($era) answering a call, then sending something else on that stream", ({ spec }) => {
  test.each(Object.keys(AFTER))("%s: the call has its answer (before, what followed in the same chunk failed it)", async (what) => {
    const { p } = pool(spec())
    await using _ = p
    expect(text(await echo(p, what))).toBe("first")
    expect(text(await echo(p, "b"))).toBe("echo:b")
    expect(p.get("web")!.failures).toBe(0)
  })
})
