/**
 * The HTTP face (in process: createHttpApp over real faces) never writes a configured secret that a
 * downstream spelled with JSON escapes: its tool results are written as the text they came in
 * (legacy sessions: `resultAnswer`; 2026-07-28: `modernResultAnswer`, `"resultType"` spliced in),
 * so a result whose raw text hides the secret behind `\u` escapes or `\/` must be decided on its
 * decoded strings, small or large (bytes, the escape across a chunk seam). Completion values are a
 * downstream's data too and are redacted on both eras.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { JsonBytes, RawJson, registerSecret, secrets, silentLogger } from "../../src/core/index.ts"
import { createMcpFace, statusTool, type ToolDef } from "../../src/mcp/index.ts"
import type { Upstream } from "../../src/proxy/index.ts"
import { authHeaders, fakeStatus, INIT, makeApp, post, type TestApp } from "./helpers.ts"

const GROUP = "test-http-escapes"
const SECRET = `HttpEsc${crypto.randomUUID().replace(/-/g, "")}`
const SLASHED = `Sl/ash${crypto.randomUUID().replace(/-/g, "")}`
const REDACTED = "[REDACTED]"
const uesc = (s: string): string => [...s].map((c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0")).join("")
const text = (body: string): string => `{"content":[{"type":"text","text":"${body}"}]}`

/** A downstream's results as the pool hands them over: their exact text (or bytes, when large). */
function result(name: string): RawJson {
  if (name === "uesc") return new RawJson(undefined, text(`here: ${uesc(SECRET)}`))
  if (name === "slash") return new RawJson(undefined, text(`here: ${SLASHED.replace("/", "\\/")}`))
  if (name === "clean") return new RawJson(undefined, text("caf\\u00e9 \\/x"))
  const json = text(`${"x".repeat(300_000)} ${uesc(SECRET)} ${"y".repeat(10)}`)
  const bytes = new TextEncoder().encode(json)
  const cut = json.indexOf("\\u") + 1 // the seam right after the escape's backslash
  return new RawJson(undefined, new JsonBytes([bytes.subarray(0, cut), bytes.subarray(cut)], bytes.byteLength, false))
}

const upstream = {
  onListChanged: () => () => {},
  listTools: async () => ["uesc", "slash", "big", "clean"].map((name) => ({ name: `esc__${name}`, inputSchema: { type: "object" } })),
  listPrompts: async () => [{ name: "esc__p" }],
  listResources: async () => [],
  listResourceTemplates: async () => [],
  callTool: async (name: string) => result(name.slice("esc__".length)),
  complete: async () => ({ completion: { values: [`c-${SECRET}`, `d-${SLASHED}`, "plain"], hasMore: false } }),
  status: () => ({ servers: [] }),
} as unknown as Upstream

let t: TestApp | undefined
afterEach(async () => {
  await t?.app[Symbol.asyncDispose]()
  t = undefined
  secrets.delete(GROUP)
})

function app(): TestApp {
  registerSecret(SECRET, GROUP)
  registerSecret(SLASHED, GROUP)
  const tools = [statusTool(async () => fakeStatus()) as ToolDef]
  return makeApp({ createFace: () => createMcpFace({ log: silentLogger, tools, upstream }) })
}

/** Every string of an answer body (JSON, or an SSE stream's data lines), decoded, keys too. */
function decoded(body: string): string {
  const out: string[] = []
  const walk = (v: unknown): void => {
    if (typeof v === "string") out.push(v)
    else if (Array.isArray(v)) v.forEach(walk)
    else if (v && typeof v === "object")
      for (const [k, x] of Object.entries(v)) {
        out.push(k)
        walk(x)
      }
  }
  const t = body.trimStart()
  if (t.startsWith("{")) walk(JSON.parse(t))
  else for (const l of t.split("\n")) if (l.startsWith("data:") && l.slice(5).trim().startsWith("{")) walk(JSON.parse(l.slice(5)))
  return out.join("\n")
}

/** What is wrong with each answer: a secret in it, or no redaction shown. */
function problems(answers: Record<string, string>): Record<string, string[]> {
  const found: Record<string, string[]> = {}
  for (const [what, body] of Object.entries(answers)) {
    const d = decoded(body)
    const p = [SECRET, SLASHED].filter((s) => d.includes(s)).map((s) => `leaks ${s}`)
    if (!d.includes(REDACTED)) p.push("no [REDACTED]")
    if (p.length) found[what] = p
  }
  return found
}

const COMPLETE = { ref: { type: "ref/prompt", name: "esc__p" }, argument: { name: "a", value: "" } }

describe("secrets spelled with JSON escapes, over HTTP", () => {
  test("legacy session: tool results written as their text (small, large bytes) and completion values", async () => {
    t = app()
    const init = await post(t.app, INIT)
    const h = authHeaders({ "mcp-session-id": init.headers.get("mcp-session-id")!, "mcp-protocol-version": "2025-06-18" })
    await init.text()
    await (await post(t.app, { jsonrpc: "2.0", method: "notifications/initialized" }, h)).text()
    const answers: Record<string, string> = {}
    let id = 1
    for (const name of ["uesc", "slash", "big"]) answers[name] = await (await post(t.app, { jsonrpc: "2.0", id: ++id, method: "tools/call", params: { name: `esc__${name}`, arguments: {} } }, h)).text()
    answers.complete = await (await post(t.app, { jsonrpc: "2.0", id: ++id, method: "completion/complete", params: COMPLETE }, h)).text()
    expect(problems(answers)).toEqual({})
    expect(decoded(answers.complete)).toContain("plain")
    const clean = await (await post(t.app, { jsonrpc: "2.0", id: ++id, method: "tools/call", params: { name: "esc__clean", arguments: {} } }, h)).text()
    expect(clean).toContain("caf\\u00e9 \\/x") // escapes without a secret: the text as it came
  })

  test("2026-07-28: tool results spliced with resultType (small, large bytes) and completion values", async () => {
    t = app()
    const V = "2026-07-28"
    const envelope = { "io.modelcontextprotocol/protocolVersion": V, "io.modelcontextprotocol/clientCapabilities": {} }
    const modern = async (id: number, method: string, params: Record<string, unknown>): Promise<string> => {
      const name = params.name as string | undefined
      const res = await post(t!.app, { jsonrpc: "2.0", id, method, params: { ...params, _meta: envelope } }, authHeaders({ "mcp-protocol-version": V, "mcp-method": method, ...(name ? { "mcp-name": name } : {}) }))
      return await res.text()
    }
    const answers: Record<string, string> = {}
    let id = 0
    for (const name of ["uesc", "slash", "big"]) answers[name] = await modern(++id, "tools/call", { name: `esc__${name}`, arguments: {} })
    answers.complete = await modern(++id, "completion/complete", COMPLETE)
    expect(problems(answers)).toEqual({})
    expect(decoded(answers.uesc!)).toContain("complete") // resultType
    const clean = await modern(++id, "tools/call", { name: "esc__clean", arguments: {} })
    expect(decoded(clean)).toContain("café /x")
  })
})
