/**
 * A downstream whose tool results break the MCP result shapes (QA 6a item 2): content blocks of an
 * unknown type or missing their fields, a structuredContent that is no object, an isError that is no
 * boolean, a response with both a result and an error (JSON-RPC 1.0's layout, the unused one null,
 * is read as the one it carries). Each fails its own call with BAD_RESPONSE
 * naming the server, the block and what is wrong, for the SDK v1 Client (Cursor's way) and the SDK
 * v2 Client pinned to 2026-07-28 alike; before, the result went out word for word and the client
 * threw a schema dump with no server name. A valid result with every content type goes through
 * unchanged, and a client of an older protocol gets blocks newer than it as text. Also (item 5): our
 * `server/discover` names the same versions as our -32022. Hostile server: servers/bad-content-server.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Client as ClientV2 } from "@modelcontextprotocol/client"
import { StdioClientTransport as StdioV2 } from "@modelcontextprotocol/client/stdio"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { BIN, connectBinary, ensureBuilt, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"

const SERVER = join(import.meta.dir, "servers", "bad-content-server.ts")
const dir = tempDir("mcpo-bad-content-")
const env = sandboxEnv()
const cfg = join(dir, "config.json")

/** tool → what the error must say */
const BAD: [string, RegExp][] = [
  ["video", /content\[0\] has type "video", which is no MCP content type/],
  ["no_text", /content\[1\] \(text\) has no text string: its text is missing/],
  ["image_no_mime", /content\[0\] \(image\) has no mimeType string/],
  ["resource_no_body", /content\[0\] \(resource\) has a resource with neither a text nor a blob string/],
  ["link_no_name", /content\[0\] \(resource_link\) has no name string/],
  ["structured_array", /its structuredContent is \[1,2\], not an object/],
  ["is_error_string", /its isError is "yes", not true or false/],
  ["both", /it carries both a result and an error/],
]

const FINE_CONTENT = [
  { type: "text", text: "hello" },
  { type: "image", data: "AAAA", mimeType: "image/png" },
  { type: "audio", data: "AAAA", mimeType: "audio/wav" },
  { type: "resource", resource: { uri: "file:///r", text: "body" } },
  { type: "resource", resource: { uri: "file:///b", blob: "AAAA" } },
  { type: "resource_link", uri: "file:///l", name: "linked", mimeType: "text/plain" },
]

type Call = (name: string) => Promise<CallToolResult>

/** The outcome as text: an error result's text, or the thrown JSON-RPC error's message. */
async function outcome(call: Call, name: string): Promise<{ error: boolean; text: string }> {
  try {
    const r = await call(name)
    return { error: r.isError === true, text: r.content.map((b) => (b.type === "text" ? b.text : "")).join("") }
  } catch (e) {
    return { error: true, text: (e as Error).message }
  }
}

function checks(label: string, call: () => Call): void {
  for (const [tool, expected] of BAD) {
    test(`${label}: ${tool} fails that call with BAD_RESPONSE naming server and block`, async () => {
      const r = await outcome(call(), `bad__${tool}`)
      expect(r.error).toBe(true)
      expect(r.text).toContain("server bad: its answer to tools/call is not valid MCP")
      expect(r.text).toMatch(expected)
      expect(r.text).not.toContain("invalid_union")
    }, 20_000)
  }
  test(`${label}: JSON-RPC 1.0's layout (the unused member null) is read as the result or the error it carries`, async () => {
    expect(await outcome(call(), "bad__v1_result")).toEqual({ error: false, text: "r1" })
    const failed = await outcome(call(), "bad__v1_error")
    expect(failed.error).toBe(true)
    expect(failed.text).toContain("v1 failed")
    expect(failed.text).not.toContain("both a result and an error")
  }, 20_000)
  test(`${label}: a valid result with every content type goes through unchanged`, async () => {
    const r = await call()("bad__fine")
    expect(r.content).toEqual(FINE_CONTENT as CallToolResult["content"])
    expect(r.structuredContent).toEqual({ k: 1 })
    expect(r.isError).toBe(false)
  }, 20_000)
}

beforeAll(async () => {
  await ensureBuilt()
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, warm: ["bad"], servers: { bad: { command: process.execPath, args: [SERVER] } } }))
}, 120_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("SDK v1 client", () => {
  let c: Connected
  beforeAll(async () => {
    c = await connectBinary(["serve", "--config", cfg], env)
    await c.client.listTools()
  }, 60_000)
  afterAll(async () => await c?.close())
  checks("v1", () => (name) => c.client.callTool({ name, arguments: {} }, undefined, { timeout: 10_000 }) as Promise<CallToolResult>)
})

describe("SDK v2 client pinned to 2026-07-28", () => {
  let client: ClientV2
  beforeAll(async () => {
    client = new ClientV2({ name: "v2-test", version: "1.0.0" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } })
    await client.connect(new StdioV2({ command: BIN, args: ["serve", "--config", cfg], env, stderr: "ignore" }))
    await client.listTools()
  }, 60_000)
  afterAll(async () => await client?.close())
  checks("v2", () => (name) => client.callTool({ name, arguments: {} }, { timeout: 10_000 }) as Promise<CallToolResult>)
})

/** A raw stdio client: `request` writes one message and waits for its answer. */
async function rawSession(): Promise<{ request(method: string, params?: object): Promise<Record<string, unknown>>; close(): Promise<void> }> {
  const p = Bun.spawn([BIN, "serve", "--config", cfg], { env, stdin: "pipe", stdout: "pipe", stderr: "ignore" })
  const waiting = new Map<number, (m: Record<string, unknown>) => void>()
  let next = 1
  void (async () => {
    let buf = ""
    for await (const chunk of p.stdout) {
      buf += new TextDecoder().decode(chunk)
      let nl: number
      while ((nl = buf.indexOf("\n")) >= 0) {
        const m = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>
        buf = buf.slice(nl + 1)
        if (typeof m.id === "number" && m.method === undefined) waiting.get(m.id)?.(m)
      }
    }
  })()
  return {
    request(method, params) {
      const id = next++
      const answered = new Promise<Record<string, unknown>>((resolve) => waiting.set(id, resolve))
      p.stdin.write(JSON.stringify({ jsonrpc: "2.0", id, method, ...(params ? { params } : {}) }) + "\n")
      void p.stdin.flush()
      return answered
    },
    async close() {
      p.stdin.end()
      p.kill()
      await p.exited
    },
  }
}

for (const [version, expected] of [
  ["2024-11-05", [FINE_CONTENT[0], FINE_CONTENT[1], { type: "text", text: "[audio (audio/wav, 4 base64 characters) left out: protocol 2024-11-05 has no audio content]" }, FINE_CONTENT[3], FINE_CONTENT[4], { type: "text", text: "[resource link] linked: file:///l (text/plain)" }]],
  ["2025-03-26", [...FINE_CONTENT.slice(0, 5), { type: "text", text: "[resource link] linked: file:///l (text/plain)" }]],
  ["2025-06-18", FINE_CONTENT],
] as const) {
  test(`a ${version} client gets content types newer than its protocol as text blocks`, async () => {
    const s = await rawSession()
    try {
      const init = await s.request("initialize", { protocolVersion: version, capabilities: {}, clientInfo: { name: "old", version: "1" } })
      expect((init.result as { protocolVersion: string }).protocolVersion).toBe(version)
      await s.request("tools/list")
      const r = (await s.request("tools/call", { name: "bad__fine", arguments: {} })).result as CallToolResult
      expect(r.content).toEqual(expected as unknown as CallToolResult["content"])
      // a large result (kept as its bytes) is rewritten the same way: before, it went on as it came
      const large = (await s.request("tools/call", { name: "bad__fine_large", arguments: {} })).result as CallToolResult
      expect(large.content).toEqual([{ type: "text", text: "x".repeat(300 * 1024) }, ...expected] as unknown as CallToolResult["content"])
    } finally {
      await s.close()
    }
  }, 30_000)
}

test("server/discover advertises the versions the envelope accepts, the same list a -32022 names", async () => {
  const s = await rawSession()
  try {
    const envelope = (v: string) => ({ _meta: { "io.modelcontextprotocol/protocolVersion": v, "io.modelcontextprotocol/clientCapabilities": {} } })
    const discover = (await s.request("server/discover", envelope("2026-07-28"))).result as { supportedVersions: string[] }
    const refused = (await s.request("tools/list", envelope("2025-11-25"))).error as { code: number; data: { supported: string[] } }
    expect(refused.code).toBe(-32022)
    expect(discover.supportedVersions).toEqual(refused.data.supported)
    // every advertised version is one the envelope path takes
    for (const v of discover.supportedVersions) expect((await s.request("tools/list", envelope(v))).error).toBeUndefined()
  } finally {
    await s.close()
  }
}, 30_000)
