/**
 * Configured secrets spelled with JSON escapes never reach the client: a hostile downstream
 * (servers/escaping-server.ts) writes them as `\uXXXX` escapes, with `\/` for a slash and `\u0022`
 * for a quote — valid JSON that decodes to the secret, but that a scan of the raw text for the
 * registered spellings does not see. Through the compiled binary with a real SDK v1 Client: direct
 * tools/call (small results: the stdio fast lane's raw text; a large one: its byte path), a secret
 * as a structuredContent key, an isError result, call_tool, prompts/get and completion/complete
 * (whose values were not redacted at all), and the exits that parse first (tool and prompt lists,
 * a progress notification, a JSON-RPC error); then the HTTP face in both eras (a legacy SDK client over
 * Streamable HTTP, and 2026-07-28 requests whose tool results are written as text). What the client
 * gets is checked decoded (as the model reads it), and each answer must show `[REDACTED]`, so a test
 * cannot pass because nothing was said.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { connectBinary, ensureBuilt, isAlive, listUntil, sandboxEnv, type Connected, writeConfig } from "../helpers/binary.ts"

const ESCAPING = join(import.meta.dir, "servers", "escaping-server.ts")
const uuid = (): string => crypto.randomUUID().replace(/-/g, "")
/** Letters and digits: the server writes it as `\u` escapes. */
const A = `EscTok${uuid()}`
/** Holds a slash and a quote: the server writes `\/` and `\u0022` for them. */
const B = `Sl/ash"Tok${uuid()}`
const HTTP_TOKEN = `HttpTok${uuid()}`
const REDACTED = "[REDACTED]"

/** Every string (keys too) of a decoded value, one per line: what the model reads. */
function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === "string") out.push(v)
  else if (Array.isArray(v)) for (const x of v) strings(x, out)
  else if (v !== null && typeof v === "object")
    for (const [k, x] of Object.entries(v)) {
      out.push(k)
      strings(x, out)
    }
  return out
}

/** Text with the escapes it still shows (JSON text carried in a string: `\u0045`, `\/`, `\"`) read as the model reads them. */
const unescaped = (t: string): string => t.replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))).replace(/\\([/"])/g, "$1")

/** The secrets found in a decoded value, also spelled with the escapes a string still shows (should be none). */
function leaked(v: unknown): string[] {
  const text = strings(v).join("\n")
  return [A, B].filter((s) => text.includes(s) || unescaped(text).includes(s))
}

/** The JSON-RPC messages of an HTTP answer body (JSON, or the data lines of an SSE stream), decoded. */
function messages(body: string): Record<string, unknown>[] {
  const t = body.trimStart()
  if (t.startsWith("{") || t.startsWith("[")) return [JSON.parse(t)].flat()
  return t
    .split("\n")
    .filter((l) => l.startsWith("data:"))
    .map((l) => l.slice(5).trim())
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
}

let env: Record<string, string>
let configPath: string

beforeAll(async () => {
  await ensureBuilt()
  env = sandboxEnv()
  const config = {
    log: { level: "debug" },
    http: { token: HTTP_TOKEN },
    toolkit: { enabled: "off" },
    warm: ["esc"],
    servers: { esc: { command: process.execPath, args: [ESCAPING], env: { ESC_SECRET_TOKEN: A, ESC_SLASH_TOKEN: B } } },
  }
  configPath = writeConfig(env, config)
})

let c: Connected | undefined
afterAll(async () => {
  if (!c) return
  await c.close()
  const pid = c.pid
  for (let i = 0; pid !== undefined && i < 100 && isAlive(pid); i++) await Bun.sleep(100)
})

/** Starts the binary once (stdio and HTTP) for both tests. */
async function binary(): Promise<Connected> {
  if (c) return c
  c = await connectBinary(["serve", "--config", configPath, "--http", "127.0.0.1:0"], env)
  expect(await listUntil(c.client, "esc__uesc")).toContain("esc__uesc")
  return c
}

async function httpUrl(b: Connected): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const m = /"url":"(http:\/\/127\.0\.0\.1:\d+\/mcp)"/.exec(b.stderr())
    if (m) return m[1]!
    await Bun.sleep(50)
  }
  throw new Error(`no HTTP URL in the log:\n${b.stderr()}`)
}

/**
 * Per exit, what is wrong with its decoded answer: the secrets it shows, or that it shows no
 * redaction at all. Asserted empty once every exit was tried, so a failure names all leaky exits.
 */
function checker(): { clean(what: string, v: unknown): void; problems(): Record<string, string[]> } {
  const found: Record<string, string[]> = {}
  return {
    clean(what, v) {
      const p = leaked(v).map((s) => `leaks ${s}`)
      if (!strings(v).some((s) => s.includes(REDACTED))) p.push("no [REDACTED]")
      if (p.length) found[what] = p
    },
    problems: () => found,
  }
}

const TOOLS = ["uesc", "slash", "quote", "key", "error", "big", "nested"]

describe("secrets spelled with JSON escapes", () => {
  test("stdio: tool results (fast lane, large byte path, a key, isError), call_tool, prompts/get and completion/complete", async () => {
    const { client } = await binary()
    const { clean, problems } = checker()
    const got: Record<string, Awaited<ReturnType<typeof client.callTool>>> = {}
    for (const name of TOOLS) clean(name, (got[name] = await client.callTool({ name: `esc__${name}`, arguments: {} })))
    // the same result through call_tool
    clean("call_tool", await client.callTool({ name: "call_tool", arguments: { name: "esc__uesc", arguments: {} } }))
    clean("call_tool big", await client.callTool({ name: "call_tool", arguments: { name: "esc__big", arguments: {} } }))
    // escapes without a secret: decoded and intact
    const plain = await client.callTool({ name: "esc__clean", arguments: {} })
    expect(plain.content).toEqual([{ type: "text", text: 'café /path "quoted" not a secret' }])
    clean("prompts/get", await client.getPrompt({ name: "esc__p", arguments: { a: "x" } }))
    // list answers (definitions reach the model), a progress notification and a JSON-RPC error
    const listed = (await client.listTools()).tools
    clean("tools/list", listed.find((t) => t.name === "esc__uesc"))
    clean("tools/list nested", listed.find((t) => t.name === "esc__nested"))
    clean("prompts/list", (await client.listPrompts()).prompts.find((p) => p.name === "esc__p"))
    const progress: unknown[] = []
    await client.callTool({ name: "esc__progress", arguments: {} }, undefined, { onprogress: (p) => void progress.push(p) })
    clean("notifications/progress", progress)
    clean("rpc error", await client.callTool({ name: "esc__rpc_error", arguments: {} }).then((r) => r, (e: { message?: string; data?: unknown }) => ({ message: e.message, data: e.data })))
    // completion values were relayed unredacted (raw and escaped)
    const done = await client.complete({ ref: { type: "ref/prompt", name: "esc__p" }, argument: { name: "a", value: "" } })
    clean("completion/complete", done)
    expect(problems()).toEqual({})
    expect(done.completion.values).toContain("plain")
    for (const name of TOOLS) expect({ name, isError: got[name]!.isError === true }).toEqual({ name, isError: name === "error" })
    expect(JSON.stringify(got.big).length).toBeGreaterThan(256 * 1024)
    // a key that decodes to the secret is scrubbed in place; the other key and its escaped value decoded intact
    expect(got.key!.structuredContent).toEqual({ [REDACTED]: 1, ok: "fine" })
    // JSON text carried in a text: each secret's escaped run masked, the rest of it (its escapes too) as it came
    expect(got.nested!.content).toEqual([{ type: "text", text: `json: {"k":"${REDACTED}","p":"${REDACTED}","ok":"caf\\u00e9"}` }])
  }, 60_000)

  test("HTTP face: a legacy SDK client, and 2026-07-28 requests (results written as text)", async () => {
    const b = await binary()
    const url = await httpUrl(b)
    const auth = { Authorization: `Bearer ${HTTP_TOKEN}` }
    const { clean, problems } = checker()
    const http = new Client({ name: "escaped-secrets-test", version: "1.0.0" })
    await http.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: auth } }))
    try {
      await listUntil(http, "esc__uesc")
      for (const name of TOOLS) clean(`legacy ${name}`, await http.callTool({ name: `esc__${name}`, arguments: {} }))
      clean("legacy call_tool", await http.callTool({ name: "call_tool", arguments: { name: "esc__uesc", arguments: {} } }))
      clean("legacy completion/complete", await http.complete({ ref: { type: "ref/prompt", name: "esc__p" }, argument: { name: "a", value: "" } }))
    } finally {
      await http.close()
    }

    const V = "2026-07-28"
    const envelope = { "io.modelcontextprotocol/protocolVersion": V, "io.modelcontextprotocol/clientCapabilities": {} }
    let id = 0
    const modern = async (method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> => {
      const name = (params.name ?? params.uri) as string | undefined
      const res = await fetch(url, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": V, "mcp-method": method, ...(name ? { "mcp-name": name } : {}) },
        body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params: { ...params, _meta: envelope } }),
      })
      const answer = messages(await res.text()).find((m) => m.id === id)
      expect(answer?.result).toBeDefined()
      return answer!
    }
    for (const name of TOOLS) {
      const a = await modern("tools/call", { name: `esc__${name}`, arguments: {} })
      clean(`modern ${name}`, a)
      expect((a.result as { resultType?: string }).resultType).toBe("complete")
    }
    clean("modern call_tool", await modern("tools/call", { name: "call_tool", arguments: { name: "esc__big", arguments: {} } }))
    clean("modern prompts/get", await modern("prompts/get", { name: "esc__p", arguments: { a: "x" } }))
    clean("modern completion/complete", await modern("completion/complete", { ref: { type: "ref/prompt", name: "esc__p" }, argument: { name: "a", value: "" } }))
    const plain = await modern("tools/call", { name: "esc__clean", arguments: {} })
    expect((plain.result as { content: unknown }).content).toEqual([{ type: "text", text: 'café /path "quoted" not a secret' }])
    expect(problems()).toEqual({})
  }, 60_000)

  test("the log carries no secret either", async () => {
    const b = await binary()
    expect(b.stderr()).toContain("esc")
    expect([A, B, JSON.stringify(B).slice(1, -1)].filter((s) => b.stderr().includes(s))).toEqual([])
  })
})
