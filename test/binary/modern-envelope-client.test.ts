/**
 * The client capabilities and client info of a 2026-07-28 request (`_meta` envelope) through the
 * compiled binary, raw, on both faces: checked as `initialize` checks the same values on the legacy
 * face. A known capability that is not an object (`"elicitation": 5`, `"roots": true`) and client
 * info that is not an object of string `name` and `version` are -32602 with the request's id,
 * naming the member (HTTP 400). Before, the modern lane took them as they came: `{"elicitation": 5}`
 * counted as elicitation declared, and the same client's `initialize` would have been refused.
 * A capability we do not know stays free (a later revision's), and a valid envelope is served.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { BIN, ensureBuilt, sandboxEnv, startHttpBinary, type HttpBinary, writeConfig } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

type Msg = { jsonrpc: string; id?: unknown; result?: Record<string, unknown>; error?: { code: number; message: string } }

const CAPS = "io.modelcontextprotocol/clientCapabilities"
const INFO = "io.modelcontextprotocol/clientInfo"
const meta = (extra: Record<string, unknown>): Record<string, unknown> => ({ "io.modelcontextprotocol/protocolVersion": "2026-07-28", [CAPS]: {}, ...extra })
const discover = (id: number, extra: Record<string, unknown>): string => JSON.stringify({ jsonrpc: "2.0", id, method: "server/discover", params: { _meta: meta(extra) } })

/** Envelopes refused, with the message each gets. */
const BAD: [Record<string, unknown>, string][] = [
  [{ [CAPS]: { elicitation: 5 } }, `Invalid params: _meta["${CAPS}"].elicitation: expected object, received number`],
  [{ [CAPS]: { roots: true } }, `Invalid params: _meta["${CAPS}"].roots: expected object, received boolean`],
  [{ [CAPS]: { sampling: null } }, `Invalid params: _meta["${CAPS}"].sampling: expected object, received null`],
  [{ [CAPS]: { elicitation: { form: 5 } } }, `Invalid params: _meta["${CAPS}"].elicitation.form: expected object, received number`],
  [{ [CAPS]: { roots: { listChanged: "yes" } } }, `Invalid params: _meta["${CAPS}"].roots.listChanged: expected boolean, received string`],
  [{ [INFO]: 5 }, `Invalid params: _meta["${INFO}"]: expected object, received number`],
  [{ [INFO]: { name: "x" } }, `Invalid params: _meta["${INFO}"].version: expected string, received undefined`],
]
/** Envelopes served. */
const GOOD: Record<string, unknown>[] = [{ [CAPS]: { elicitation: { form: {} }, laterThing: 5 } }, { [INFO]: { name: "x", version: "1", title: "X" } }]

/** No Toolkit, no plugins: the face alone (test/helpers/binary `writeConfig`). */
const config = (env: Record<string, string>): string => writeConfig(env, { toolkit: { enabled: "off" }, plugins: { enabled: false } })

describe("stdio", () => {
  test("each refused with its id and the member named; the valid ones served", async () => {
    const env = sandboxEnv()
    const p = Bun.spawn([BIN, "serve", "--config", config(env)], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env, cwd: env.HOME })
    const out = Promise.all([new Response(p.stdout).text(), p.exited])
    // one per line, the first on its own (the early face reads the first line alone)
    p.stdin.write([...BAD.map(([m], i) => discover(10 + i, m)), ...GOOD.map((m, i) => discover(20 + i, m))].join("\n") + "\n")
    await p.stdin.flush()
    await p.stdin.end()
    const killer = setTimeout(() => p.kill("SIGKILL"), 20_000)
    const [stdout, code] = await out
    clearTimeout(killer)
    expect(code).toBe(0)
    const msgs = stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l) as Msg)
    BAD.forEach(([, message], i) => expect(msgs.filter((m) => m.id === 10 + i)).toEqual([{ jsonrpc: "2.0", id: 10 + i, error: { code: -32602, message } }]))
    GOOD.forEach((_, i) => expect(msgs.find((m) => m.id === 20 + i)?.result?.supportedVersions).toEqual(["2026-07-28"]))
  }, 30_000)
})

describe("stdio, legacy initialize: nested members the same way", () => {
  test("-32602 naming the member; no question relayed on the strength of it", async () => {
    const env = sandboxEnv()
    const p = Bun.spawn([BIN, "serve", "--config", config(env)], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env, cwd: env.HOME })
    const out = Promise.all([new Response(p.stdout).text(), p.exited])
    p.stdin.write(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: { elicitation: { form: 5 } }, clientInfo: { name: "raw", version: "1" } } }) + "\n")
    await p.stdin.flush()
    await p.stdin.end()
    const killer = setTimeout(() => p.kill("SIGKILL"), 20_000)
    const [stdout, code] = await out
    clearTimeout(killer)
    expect(code).toBe(0)
    expect(stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l) as Msg)).toEqual([
      { jsonrpc: "2.0", id: 1, error: { code: -32602, message: "Invalid params for initialize: capabilities.elicitation.form: expected object, received number" } },
    ])
  }, 30_000)
})

describe("HTTP", () => {
  let h: HttpBinary | undefined
  const TOKEN = "modern-envelope-token-0123456789"
  const headers = { Authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2026-07-28", "mcp-method": "server/discover" }
  beforeAll(async () => {
    const env = sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN })
    h = await startHttpBinary(config(env), env)
  }, 30_000)
  afterAll(() => {
    h?.proc.kill("SIGTERM")
  })

  test("400, -32602 with the request's id; the valid ones served", async () => {
    for (const [i, [m, message]] of BAD.entries()) {
      const r = await fetch(h!.url, { method: "POST", headers, body: discover(30 + i, m), signal: AbortSignal.timeout(5000) })
      expect(r.status).toBe(400)
      expect(await r.json()).toEqual({ jsonrpc: "2.0", id: 30 + i, error: { code: -32602, message } })
    }
    for (const [i, m] of GOOD.entries()) {
      const r = await fetch(h!.url, { method: "POST", headers, body: discover(40 + i, m), signal: AbortSignal.timeout(5000) })
      expect(r.status).toBe(200)
      expect(((await r.json()) as Msg).result?.supportedVersions).toEqual(["2026-07-28"])
    }
  })
})
