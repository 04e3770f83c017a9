/**
 * A downstream's question (elicitation, sampling) relayed to the client of the call it serves is
 * withdrawn when the client cancels that call: the client gets `notifications/cancelled` for it (its
 * handler's signal aborts: the dialog closes), over stdio and Streamable HTTP, with the SDK v2
 * Client. server-everything does not cancel its own question when its tool call is cancelled, so
 * before, the question stayed open at the client for the server's whole timeout (here 120 s).
 * With another call in flight at that server, a stdio server's question may be that call's: it stays.
 * The same when the call ends by our timeout (qa338).
 */
import { afterEach, beforeAll, describe, expect, test } from "bun:test"
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client"
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio"
import { BIN, ensureBuilt, httpRunsStoppedAfterEach, sandboxEnv, startHttpBinary, writeConfig } from "../helpers/binary.ts"
import { EVERYTHING, until } from "../proxy/helpers.ts"

const TOKEN = "relay-withdrawn-token-0123456789"

beforeAll(ensureBuilt, 120_000)
const runs = httpRunsStoppedAfterEach()
const clients: Client[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => {})
})

interface Asked {
  method: string
  aborted: boolean
}

/** A v2 client declaring sampling and elicitation whose handlers never answer: they record the question and whether it was withdrawn. */
async function connect(transport: "stdio" | "http", maxTotalTimeout?: string): Promise<{ client: Client; asked: Asked[] }> {
  const env = sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN })
  const cfg = writeConfig(env, { toolkit: { enabled: "off" }, plugins: { enabled: false }, pool: { callTimeout: 120_000, ...(maxTotalTimeout !== undefined ? { maxTotalTimeout } : {}) }, servers: { ev: { command: "node", args: [EVERYTHING, "stdio"] } } })
  const client = new Client({ name: "withdrawn", version: "1.0.0" }, { capabilities: { sampling: {}, elicitation: { form: {} } } })
  const asked: Asked[] = []
  const pending = (method: string, signal: AbortSignal): Promise<never> => {
    const a: Asked = { method, aborted: false }
    asked.push(a)
    return new Promise<never>((_, reject) => signal.addEventListener("abort", () => ((a.aborted = true), reject(new Error("withdrawn"))), { once: true }))
  }
  client.setRequestHandler("elicitation/create", (_req, ctx) => pending("elicitation/create", ctx.mcpReq.signal))
  client.setRequestHandler("sampling/createMessage", (_req, ctx) => pending("sampling/createMessage", ctx.mcpReq.signal))
  if (transport === "stdio") await client.connect(new StdioClientTransport({ command: BIN, args: ["serve", "--config", cfg], env, stderr: "ignore", cwd: env.HOME }))
  else {
    const run = await startHttpBinary(cfg, env)
    runs.push(run)
    await client.connect(new StreamableHTTPClientTransport(new URL(run.url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }))
  }
  clients.push(client)
  // the server is up and its tools listed (a first start)
  expect(await until(async () => (await client.listTools()).tools.some((t) => t.name === "ev__trigger-elicitation-request"), 60_000, 200)).toBe(true)
  return { client, asked }
}

for (const transport of ["stdio", "http"] as const) {
  describe(`${transport}: the client cancels a call whose server asked it something`, () => {
    test("the elicitation is withdrawn at the client; the session goes on", async () => {
      const { client, asked } = await connect(transport)
      const ac = new AbortController()
      const call = client.callTool({ name: "ev__trigger-elicitation-request", arguments: {} }, { signal: ac.signal }).catch((e: unknown) => e)
      expect(await until(() => asked.length === 1, 30_000)).toBe(true)
      ac.abort("the user gave up")
      await call
      expect(await until(() => asked[0]!.aborted, 30_000)).toBe(true)
      const echo = await client.callTool({ name: "ev__echo", arguments: { message: "after" } })
      expect(JSON.stringify(echo)).toContain("Echo: after")
    }, 120_000)

    test("a sampling request too", async () => {
      const { client, asked } = await connect(transport)
      const ac = new AbortController()
      const call = client.callTool({ name: "ev__trigger-sampling-request", arguments: { prompt: "p" } }, { signal: ac.signal }).catch((e: unknown) => e)
      expect(await until(() => asked.length === 1, 30_000)).toBe(true)
      ac.abort("the user gave up")
      await call
      expect(await until(() => asked[0]!.aborted, 30_000)).toBe(true)
    }, 120_000)
  })

  describe(`${transport}: a call whose server asked its client something ends by our timeout`, () => {
    // qa338: before, only the client's cancel withdrew it; after the call's timeout the question
    // stayed open for its own (the server's timeout, 120 s here; server-everything's own: the SDK's
    // 60 s), its answer going nowhere. A call waiting on its server's question does not time out
    // (the user is answering) but for its total bound: pool.maxTotalTimeout for a call with progress
    test("the question is withdrawn at the client with the call; the session goes on", async () => {
      const { client, asked } = await connect(transport, "3s")
      const call = client.callTool({ name: "ev__trigger-elicitation-request", arguments: {} }, { onprogress: () => {} }).then(
        (r) => JSON.stringify(r),
        (e: unknown) => String(e),
      )
      expect(await until(() => asked.length === 1, 30_000)).toBe(true)
      expect(await call).toMatch(/tim(ed|e) ?out/i)
      // well within the server's own 60 s
      expect(await until(() => asked[0]!.aborted, 25_000)).toBe(true)
      const echo = await client.callTool({ name: "ev__echo", arguments: { message: "after" } })
      expect(JSON.stringify(echo)).toContain("Echo: after")
    }, 120_000)
  })
}

test("stdio: with another call in flight at that server, the question may be that call's: it stays open until no call is left", async () => {
  const { client, asked } = await connect("stdio")
  const first = new AbortController()
  const second = new AbortController()
  const a = client.callTool({ name: "ev__trigger-elicitation-request", arguments: {} }, { signal: first.signal }).catch((e: unknown) => e)
  expect(await until(() => asked.length === 1, 30_000)).toBe(true)
  const b = client.callTool({ name: "ev__trigger-sampling-request", arguments: { prompt: "p" } }, { signal: second.signal }).catch((e: unknown) => e)
  expect(await until(() => asked.length === 2, 30_000)).toBe(true)
  // the sampling question went to the latest call (b), but a stdio server's question names no call: a is still in flight
  second.abort("only this one")
  await b
  await Bun.sleep(1000)
  expect(asked.map((q) => q.aborted)).toEqual([false, false])
  first.abort("now this one")
  await a
  expect(await until(() => asked[0]!.aborted, 30_000)).toBe(true)
}, 120_000)

test("stdio: a call that ends by our timeout while another call is in flight at that server leaves the question open (it may be that call's) until that call ends too", async () => {
  const { client, asked } = await connect("stdio", "3s")
  // in flight for 12 s, no progress (so no total bound); the question below goes to the latest call
  const other = client.callTool({ name: "ev__trigger-long-running-operation", arguments: { duration: 12, steps: 2 } }).then(
    (r) => JSON.stringify(r),
    (e: unknown) => String(e),
  )
  const call = client.callTool({ name: "ev__trigger-elicitation-request", arguments: {} }, { onprogress: () => {} }).then(
    (r) => JSON.stringify(r),
    (e: unknown) => String(e),
  )
  expect(await until(() => asked.length === 1, 30_000)).toBe(true)
  expect(await call).toMatch(/tim(ed|e) ?out/i)
  await Bun.sleep(1000)
  expect(asked[0]!.aborted).toBe(false)
  // qa341: before, nothing looked again when the other call ended: the question stayed open for the server's own timeout
  expect(await other).toContain("completed")
  expect(await until(() => asked[0]!.aborted, 25_000)).toBe(true)
}, 120_000)

test("stdio: a question left open for a call beside it (its own call cancelled first) is withdrawn once that call is cancelled too", async () => {
  const { client, asked } = await connect("stdio")
  const first = new AbortController()
  const second = new AbortController()
  const a = client.callTool({ name: "ev__trigger-elicitation-request", arguments: {} }, { signal: first.signal }).catch((e: unknown) => e)
  expect(await until(() => asked.length === 1, 30_000)).toBe(true)
  const b = client.callTool({ name: "ev__trigger-sampling-request", arguments: { prompt: "p" } }, { signal: second.signal }).catch((e: unknown) => e)
  expect(await until(() => asked.length === 2, 30_000)).toBe(true)
  // a's question stays: b is in flight, and the question may be b's
  first.abort("this one first")
  await a
  await Bun.sleep(1000)
  expect(asked.map((q) => q.aborted)).toEqual([false, false])
  // no call left: both questions go (before, a's stayed open for the server's own timeout)
  second.abort("now the other")
  await b
  expect(await until(() => asked.every((q) => q.aborted), 30_000)).toBe(true)
}, 120_000)
