/**
 * HTTP clients get an answer from a stopping orchestrator however it stops (through the compiled
 * binary): on a second signal (exit at once) the requests in flight are still answered with
 * SHUTTING_DOWN before the process ends, and the listener stays up until the end of the shutdown,
 * so a request that comes while the downstreams are being closed gets SHUTTING_DOWN (a request with
 * an id: its JSON-RPC answer; anything else on the MCP endpoint: 503 with a JSON-RPC error body),
 * not a refused connection.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { ensureBuilt, startHttpBinary, tempDir, sandboxEnv } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const SLOW = join(import.meta.dir, "servers", "slow-answers-server.ts")
const STUBBORN = join(import.meta.dir, "servers", "stubborn-server.ts")
const TOKEN = "shutdown-late-" + crypto.randomUUID()
const MODERN = "2026-07-28"
const ENVELOPE = { "io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": {} }

const rpc = (m: Record<string, unknown>): string => JSON.stringify({ jsonrpc: "2.0", ...m })
const INIT = rpc({ id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "late", version: "1" } } })
const INITIALIZED = rpc({ method: "notifications/initialized" })
const SLEEP = (id: number, meta?: Record<string, unknown>): string => rpc({ id, method: "tools/call", params: { name: "slow__sleep", arguments: { ms: 10_000 }, ...(meta ? { _meta: meta } : {}) } })

interface Answer {
  id?: unknown
  result?: { isError?: boolean; content?: { text?: string }[]; resultType?: string }
  error?: { code: number; message: string }
}

/** A reply's answers: JSON, or the events of an SSE stream. */
const parse = (t: string): Answer[] => (t.startsWith("{") ? [JSON.parse(t) as Answer] : [...t.matchAll(/^data: (\{.*\})$/gm)].map((m) => JSON.parse(m[1]!) as Answer))

function expectToolStopped(answers: Answer[], id: number, fate: RegExp): void {
  const a = answers.filter((x) => x.id === id)
  expect(a.length).toBe(1)
  expect(a[0]!.result?.isError).toBe(true)
  const text = a[0]!.result?.content?.[0]?.text ?? ""
  expect(text).toStartWith("[SHUTTING_DOWN] the orchestrator is stopping (")
  expect(text).toMatch(fate)
}

function config(dir: string, server: string): string {
  const file = join(dir, "config.yaml")
  writeFileSync(file, ["servers:", `  ${server}`, "toolkit: { enabled: \"off\" }", "plugins: { enabled: false }", ""].join("\n"))
  return file
}

const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [])

async function until(pred: () => boolean): Promise<boolean> {
  for (let i = 0; i < 3000 && !pred(); i++) await Bun.sleep(5)
  return pred()
}

const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json, text/event-stream" }

describe("HTTP: answers from a stopping process, to the end", () => {
  test("a second SIGTERM with requests in flight (a legacy session's call, a 2026-07-28 call) and a GET stream open: each call still answered with SHUTTING_DOWN, the stream ended, before the exit", async () => {
    const dir = tempDir("mcpo-late-")
    const log = join(dir, "downstream.log")
    const cfg = config(dir, `slow: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(SLOW)}, "--log", ${JSON.stringify(log)}] }\nwarm: [slow]`)
    const h = await startHttpBinary(cfg, sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN }))
    const post = (body: string, extra: Record<string, string> = {}): Promise<Response> => fetch(h.url, { method: "POST", headers: { ...headers, ...extra }, body })
    const init = await post(INIT)
    const sid = init.headers.get("mcp-session-id")!
    await init.text()
    const session = { "mcp-session-id": sid, "mcp-protocol-version": "2025-06-18" }
    expect((await post(INITIALIZED, session)).status).toBe(202)
    // the session's GET stream stays open
    const stream = await fetch(h.url, { headers: { ...headers, ...session, accept: "text/event-stream" } })
    expect(stream.status).toBe(200)
    const streamText = stream.text().catch((e: unknown) => `failed: ${String(e)}`)
    const replies = [
      post(SLEEP(2), session).then((r) => r.text()),
      post(SLEEP(3, ENVELOPE), { "mcp-protocol-version": MODERN, "mcp-method": "tools/call", "mcp-name": "slow__sleep" }).then((r) => r.text()),
    ].map((p) => p.catch((e: unknown) => `failed: ${String(e)}`))
    expect(await until(() => lines(log).filter((l) => l.startsWith("tools/call")).length === 2)).toBe(true)
    h.proc.kill("SIGTERM")
    // the calls in flight hold the graceful shutdown for its 1 s grace; the second signal cuts it
    // short (sent once the first is handled: two pending SIGTERMs are delivered as one)
    await waitFor("the first signal handled", () => h.stderr().includes('"shutting down"'), 30_000)
    h.proc.kill("SIGTERM")
    await h.proc.exited
    expect(h.stderr()).toContain('"reason":"SIGTERM while shutting down"')
    const [legacy, modern] = await Promise.all(replies)
    expect(legacy).not.toStartWith("failed:")
    expect(modern).not.toStartWith("failed:")
    expectToolStopped(parse(legacy!), 2, /the call was cancelled downstream/)
    expectToolStopped(parse(modern!), 3, /the call was cancelled downstream/)
    expect(parse(modern!)[0]!.result!.resultType).toBe("complete")
    // the GET stream was ended, not cut off
    expect(await streamText).not.toStartWith("failed:")
  }, 30_000)

  test("while the downstreams close (after the sessions ended): a request gets SHUTTING_DOWN, a GET or a notification 503 with a JSON-RPC error — no refused connection", async () => {
    const dir = tempDir("mcpo-late-")
    const signals = join(dir, "signals")
    // ignores stdin EOF and SIGTERM: closing it takes both 250 ms graces, then SIGKILL
    const cfg = config(dir, `stubborn: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(STUBBORN)}, "--signals", ${JSON.stringify(signals)}] }\nwarm: [stubborn]`)
    const h = await startHttpBinary(cfg, sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN }))
    const post = (body: string, extra: Record<string, string> = {}): Promise<Response> => fetch(h.url, { method: "POST", headers: { ...headers, ...extra }, body })
    const init = await post(INIT)
    const sid = init.headers.get("mcp-session-id")!
    await init.text()
    const session = { "mcp-session-id": sid, "mcp-protocol-version": "2025-06-18" }
    expect((await post(INITIALIZED, session)).status).toBe(202)
    // the server is up once its tool is listed
    for (let i = 0; i < 200; i++) {
      const r = await post(rpc({ id: 100 + i, method: "tools/list" }), session)
      if ((await r.text()).includes("stubborn__hang")) break
      await Bun.sleep(25)
    }
    h.proc.kill("SIGTERM")
    // the downstream got SIGTERM: it ignored stdin EOF for 250 ms; the sessions were closed long before
    expect(await until(() => lines(signals).includes("SIGTERM"))).toBe(true)
    const attempt = (p: Promise<Response>): Promise<Response | string> => p.catch((e: unknown) => `failed: ${String(e)}`)
    const [call, get, note] = await Promise.all([
      attempt(post(rpc({ id: 9, method: "tools/call", params: { name: "stubborn__hang", arguments: {} } }), session)),
      attempt(fetch(h.url, { headers: { ...headers, ...session, accept: "text/event-stream" } })),
      attempt(post(rpc({ method: "notifications/cancelled", params: { requestId: 5 } }), session)),
    ])
    await h.proc.exited
    expect(h.proc.exitCode).toBe(0)
    expect(typeof call, String(call)).toBe("object")
    expect(typeof get, String(get)).toBe("object")
    expect(typeof note, String(note)).toBe("object")
    expectToolStopped([(await (call as Response).json()) as Answer], 9, /the call arrived after shutdown began and was not served/)
    for (const r of [get, note] as Response[]) {
      expect(r.status).toBe(503)
      const body = (await r.json()) as Answer
      expect(body.error?.code).toBe(-32603)
      expect(body.error?.message).toStartWith("[SHUTTING_DOWN] the orchestrator is stopping (SIGTERM)")
    }
  }, 30_000)
})
