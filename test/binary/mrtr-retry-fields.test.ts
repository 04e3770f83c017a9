/**
 * The MRTR fields of a 2026-07-28 `tools/call`, `prompts/get` or `resources/read` (a retry after
 * `input_required`) through the compiled binary, raw, on both faces: `requestState` that is not a
 * string, or `inputResponses` that is not an object of result objects, is -32602 with the request's
 * id, naming the field and saying to start over. Before, such a field was dropped and the request ran
 * as a new call: the tool ran again (its side effects twice) while the call that asked stayed parked.
 * null is taken as absent (a request without a retry's fields is served).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { BIN, ensureBuilt, sandboxEnv, startHttpBinary, type HttpBinary, writeConfig } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

type Msg = { jsonrpc: string; id?: unknown; result?: Record<string, unknown>; error?: { code: number; message: string } }

const META = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": { elicitation: { form: {} } } }
const STATUS = { name: "orchestrator_status", arguments: {} }
const call = (id: number, method: string, params: Record<string, unknown>): string => JSON.stringify({ jsonrpc: "2.0", id, method, params: { ...params, _meta: META } })

const RESTART = "; send the request again without inputResponses and requestState to start over"
/** Requests refused, with the message each gets. */
const BAD: [string, Record<string, unknown>, string][] = [
  ["tools/call", { ...STATUS, requestState: 5 }, `Invalid params: tools/call params.requestState must be the string an input_required result gave, unchanged, got a number${RESTART}`],
  ["tools/call", { ...STATUS, requestState: { s: "x" } }, `Invalid params: tools/call params.requestState must be the string an input_required result gave, unchanged, got an object${RESTART}`],
  ["tools/call", { ...STATUS, inputResponses: 5 }, `Invalid params: tools/call params.inputResponses must be an object of results by the keys of the input requests, got a number${RESTART}`],
  ["tools/call", { ...STATUS, inputResponses: [] }, `Invalid params: tools/call params.inputResponses must be an object of results by the keys of the input requests, got an array${RESTART}`],
  ["tools/call", { ...STATUS, inputResponses: { ask: "yes" } }, 'Invalid params: tools/call params.inputResponses["ask"] must be a result object, got a string'],
  ["prompts/get", { name: "nope__p", requestState: true }, `Invalid params: prompts/get params.requestState must be the string an input_required result gave, unchanged, got a boolean${RESTART}`],
  ["resources/read", { uri: "nope://x", inputResponses: "x" }, `Invalid params: resources/read params.inputResponses must be an object of results by the keys of the input requests, got a string${RESTART}`],
]
/** Served: null fields are no fields. */
const GOOD: Record<string, unknown> = { ...STATUS, requestState: null, inputResponses: null }

/** No Toolkit, no plugins: the face alone (test/helpers/binary `writeConfig`). */
const config = (env: Record<string, string>): string => writeConfig(env, { toolkit: { enabled: "off" }, plugins: { enabled: false } })

describe("stdio", () => {
  test("each refused with its id, not run as a new call; null fields served", async () => {
    const env = sandboxEnv()
    const p = Bun.spawn([BIN, "serve", "--config", config(env)], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env, cwd: env.HOME })
    const out = Promise.all([new Response(p.stdout).text(), p.exited])
    p.stdin.write([...BAD.map(([method, params], i) => call(10 + i, method, params)), call(30, "tools/call", GOOD)].join("\n") + "\n")
    await p.stdin.flush()
    const killer = setTimeout(() => p.kill("SIGKILL"), 20_000)
    // the answers come before stdin ends (the served call is answered within the drain)
    await p.stdin.end()
    const [stdout, code] = await out
    clearTimeout(killer)
    expect(code).toBe(0)
    const msgs = stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l) as Msg)
    BAD.forEach(([, , message], i) => expect(msgs.filter((m) => m.id === 10 + i)).toEqual([{ jsonrpc: "2.0", id: 10 + i, error: { code: -32602, message } }]))
    expect(msgs.find((m) => m.id === 30)?.result?.resultType).toBe("complete")
  }, 30_000)
})

describe("HTTP", () => {
  let h: HttpBinary | undefined
  const TOKEN = "mrtr-retry-fields-token-01234567"
  const headers = (method: string, params: Record<string, unknown>): Record<string, string> => ({
    Authorization: `Bearer ${TOKEN}`,
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": "2026-07-28",
    "mcp-method": method,
    "mcp-name": String(params.name ?? params.uri),
  })
  beforeAll(async () => {
    const env = sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN })
    h = await startHttpBinary(config(env), env)
  }, 30_000)
  afterAll(() => {
    h?.proc.kill("SIGTERM")
  })

  test("each refused with its id (a JSON-RPC error answer), not run as a new call; null fields served", async () => {
    for (const [i, [method, params, message]] of BAD.entries()) {
      const r = await fetch(h!.url, { method: "POST", headers: headers(method, params), body: call(40 + i, method, params), signal: AbortSignal.timeout(5000) })
      const text = await r.text()
      const body = JSON.parse(text.startsWith("{") ? text : text.split("\n").find((l) => l.startsWith("data: "))!.slice(6)) as Msg
      expect(body).toEqual({ jsonrpc: "2.0", id: 40 + i, error: { code: -32602, message } })
    }
    const r = await fetch(h!.url, { method: "POST", headers: headers("tools/call", GOOD), body: call(60, "tools/call", GOOD), signal: AbortSignal.timeout(10_000) })
    const text = await r.text()
    const body = JSON.parse(text.startsWith("{") ? text : text.split("\n").find((l) => l.startsWith("data: "))!.slice(6)) as Msg
    expect(body.result?.resultType).toBe("complete")
  })
})
