/**
 * The filter of a 2026-07-28 `subscriptions/listen` through the compiled binary, raw, on both faces
 * (stdio and Streamable HTTP): a list-change member that is not a boolean (`"yes"`, `1`, `"true"`,
 * an object) is -32602 Invalid params with the request's id, naming the member, as the schema
 * (`toolsListChanged?: boolean`) and the SDK's server say. Before, it was acknowledged as a filter
 * without it: the client that asked for list changes got none, and no error told it why.
 * null is taken as absent; a key we do not know (a later revision's) is left out of the ack; a
 * valid filter is acknowledged as before.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { BIN, ensureBuilt, sandboxEnv, startHttpBinary, type HttpBinary, writeConfig } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

type Msg = { jsonrpc: string; id?: unknown; result?: unknown; error?: { code: number; message: string }; method?: string; params?: { notifications?: unknown; _meta?: Record<string, unknown> } }

const META = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} }
const listen = (id: number, notifications: unknown): string => JSON.stringify({ jsonrpc: "2.0", id, method: "subscriptions/listen", params: { notifications, _meta: META } })

/** Filters refused, with the member and what the message says it got. */
const BAD: [Record<string, unknown>, string, string][] = [
  [{ toolsListChanged: "yes" }, "toolsListChanged", 'the string "yes"'],
  [{ toolsListChanged: 1 }, "toolsListChanged", "1"],
  [{ promptsListChanged: "true" }, "promptsListChanged", 'the string "true"'],
  [{ toolsListChanged: true, resourcesListChanged: {} }, "resourcesListChanged", "an object"],
  [{ resourcesListChanged: [true] }, "resourcesListChanged", "an array"],
]

/** No Toolkit, no plugins: the face alone (test/helpers/binary `writeConfig`). */
const config = (env: Record<string, string>): string => writeConfig(env, { toolkit: { enabled: "off" }, plugins: { enabled: false } })

describe("stdio: a listen filter member that is not a boolean", () => {
  test("-32602 with the request's id naming the member; null and unknown keys are no error; a valid filter is acknowledged", async () => {
    const env = sandboxEnv()
    const p = Bun.spawn([BIN, "serve", "--config", config(env)], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env, cwd: env.HOME })
    const out = Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
    const lines = BAD.map(([f], i) => listen(10 + i, f))
    lines.push(listen(20, { toolsListChanged: null, promptsListChanged: true, someLaterKind: true }))
    p.stdin.write(lines.join("\n") + "\n")
    await p.stdin.flush()
    // the ack of the valid one (id 20) comes before stdin ends, so the refusals were all written too
    const killer = setTimeout(() => p.kill("SIGKILL"), 20_000)
    await p.stdin.end()
    const [stdout, , code] = await out
    clearTimeout(killer)
    expect(code).toBe(0)
    const msgs = stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l) as Msg)
    BAD.forEach(([, key, got], i) => {
      const answers = msgs.filter((m) => m.id === 10 + i)
      expect(answers).toEqual([{ jsonrpc: "2.0", id: 10 + i, error: { code: -32602, message: `Invalid params: notifications.${key} must be a boolean (true to get those list changes), got ${got}` } }])
    })
    const acks = msgs.filter((m) => m.method === "notifications/subscriptions/acknowledged")
    // only the valid listen is acknowledged, with what is honored: not the null, not the unknown key
    expect(acks.map((a) => a.params?._meta?.["io.modelcontextprotocol/subscriptionId"])).toEqual([20])
    expect(acks[0]!.params!.notifications).toEqual({ promptsListChanged: true })
  }, 30_000)
})

describe("HTTP: the same filter rules", () => {
  let h: HttpBinary | undefined
  const TOKEN = "listen-filter-token-0123456789ab"
  const headers = { Authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2026-07-28", "mcp-method": "subscriptions/listen" }
  beforeAll(async () => {
    const env = sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN })
    h = await startHttpBinary(config(env), env)
  }, 30_000)
  afterAll(() => {
    h?.proc.kill("SIGTERM")
  })

  test("400, -32602 with the request's id naming the member", async () => {
    for (const [i, [f, key, got]] of BAD.entries()) {
      const r = await fetch(h!.url, { method: "POST", headers, body: listen(30 + i, f), signal: AbortSignal.timeout(5000) })
      expect(r.status).toBe(400)
      expect(await r.json()).toEqual({ jsonrpc: "2.0", id: 30 + i, error: { code: -32602, message: `Invalid params: notifications.${key} must be a boolean (true to get those list changes), got ${got}` } })
    }
  })

  test("a valid filter (null taken as absent, an unknown key left out) opens the stream with its ack", async () => {
    const ac = new AbortController()
    const r = await fetch(h!.url, { method: "POST", headers, body: listen(40, { toolsListChanged: true, promptsListChanged: null, someLaterKind: true }), signal: ac.signal })
    expect(r.status).toBe(200)
    expect(r.headers.get("content-type")).toContain("text/event-stream")
    const reader = r.body!.getReader()
    let text = ""
    while (!text.includes("notifications/subscriptions/acknowledged")) {
      const { value, done } = await reader.read()
      if (done) break
      text += new TextDecoder().decode(value)
    }
    ac.abort()
    const data = text.split("\n").find((l) => l.startsWith("data: ") && l.includes("acknowledged"))!
    expect((JSON.parse(data.slice(6)) as Msg).params!.notifications).toEqual({ toolsListChanged: true })
  })
})
