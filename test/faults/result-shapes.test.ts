/**
 * A downstream's bad tool result never makes the client's call throw: it reaches the model as a tool
 * error naming the server, the tool and what was wrong (QA, tool results beyond the content blocks).
 * - structured output that misses or does not fit the tool's `outputSchema` (the SDK clients threw an
 *   McpError for it: "Structured content does not match the tool's output schema"), compact or not;
 * - content blocks of 2026-07-28 downstreams, and of large (≥ 256 KiB) results forwarded as bytes;
 * - a 2026-07-28 result with an unknown `resultType` (it was taken for a complete result).
 * - a 2026-07-28 Streamable HTTP downstream's bad answers (the SDK v2 Client we speak to it with refused
 *   them as a failed HTTP request: WRITE_FAILED with a zod dump, the connection dropped and counted
 *   against the breaker, so after a few the server's good tools were unavailable too).
 * Valid results (with and without outputSchema, a tool's own error, a result with no resultType)
 * go through unchanged. Hostile server: servers/result-shape-server.ts, legacy and 2026-07-28 on
 * stdio and 2026-07-28 on HTTP, through the compiled binary, with the SDK v1 Client (Cursor's way)
 * and the SDK v2 Client pinned to 2026-07-28.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Client as ClientV2 } from "@modelcontextprotocol/client"
import { StdioClientTransport as StdioV2 } from "@modelcontextprotocol/client/stdio"
import { CallToolResultSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { BIN, connectBinary, ensureBuilt, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"

const SERVER = join(import.meta.dir, "servers", "result-shape-server.ts")
const dir = tempDir("mcpo-result-shapes-")
const env = sandboxEnv()
const cfg = join(dir, "config.json")

type Call = (name: string) => Promise<CallToolResult>

interface Outcome {
  threw: boolean
  error: boolean
  text: string
  result?: CallToolResult
}

async function outcome(call: Call, name: string): Promise<Outcome> {
  try {
    const r = await call(name)
    return { threw: false, error: r.isError === true, text: r.content.map((b) => (b.type === "text" ? b.text : "")).join("\n"), result: r }
  } catch (e) {
    return { threw: true, error: true, text: (e as Error).message }
  }
}

/** tool → what the tool error must say (after "server <name>: its answer to tools/call is not valid MCP (tool <tool>): "). */
const REFUSED: [string, RegExp, string | undefined][] = [
  ["typed_wrong", /its structuredContent does not match the tool's outputSchema: structuredContent\/count must be number/, "three things"],
  ["typed_wrong_spaced", /its structuredContent does not match the tool's outputSchema: structuredContent\/count must be number/, "three things"],
  ["typed_missing", /it has no structuredContent, which the tool's outputSchema requires/, "forgot the structure"],
  ["video", /content\[1\] has type "video", which is no MCP content type/, undefined],
  ["no_text", /content\[0\] \(text\) has no text string/, undefined],
  ["big_video", /content\[1\] has type "video", which is no MCP content type/, undefined],
  ["big_no_mime", /content\[0\] \(image\) has no mimeType string/, undefined],
  ["big_structured_array", /its structuredContent is (?:a list|\[1,2\]), not an object/, undefined],
  ["big_typed_wrong", /its structuredContent does not match the tool's outputSchema: structuredContent\/count must be number/, undefined],
  ["pattern_wrong", /its structuredContent does not match the tool's outputSchema: structuredContent\/count must be number/, "three"],
  ["dynamic_wrong", /its structuredContent does not match the tool's outputSchema: structuredContent\/n must be number/, "tree"],
  ["pattern_named", /its structuredContent does not match the tool's outputSchema: structuredContent\/pattern must be string/, "five"],
]

function checks(label: string, server: string, call: () => Call): void {
  for (const [tool, expected, own] of REFUSED) {
    test(`${label}, ${server}: ${tool} is a tool error naming server, tool and what was wrong`, async () => {
      const r = await outcome(call(), `${server}__${tool}`)
      expect(r.threw).toBe(false)
      expect(r.error).toBe(true)
      expect(r.text).toContain(`server ${server}: its answer to tools/call is not valid MCP (tool ${tool}): `)
      expect(r.text).toMatch(expected)
      if (own !== undefined) expect(r.text).toContain(own)
      expect(r.result?.structuredContent).toBeUndefined()
    }, 20_000)
  }
  test(`${label}, ${server}: valid results go through unchanged`, async () => {
    const ok = await call()(`${server}__typed_ok`)
    expect(ok.isError ?? false).toBe(false)
    expect(ok.structuredContent).toEqual({ count: 3, label: "ok" })
    const own = await call()(`${server}__typed_error`)
    expect(own.isError).toBe(true)
    expect(own.content).toEqual([{ type: "text", text: "it failed" }])
    const plain = await call()(`${server}__plain`)
    expect(plain.structuredContent).toEqual({ anything: true })
    const big = await call()(`${server}__big_ok`)
    expect(big.isError ?? false).toBe(false)
    expect((big.content[0] as { text: string }).text.length).toBe(300 * 1024)
    const bigTyped = await call()(`${server}__big_typed_ok`)
    expect((bigTyped.structuredContent as { count: number }).count).toBe(1)
  }, 30_000)
}

function patternChecks(label: string, server: string, call: () => Call, list: () => Promise<{ tools: { name: string; outputSchema?: unknown }[] }>): void {
  test(`${label}, ${server}: output schemas reach the client without regular expressions; what they alone refused is passed on, the client does not throw`, async () => {
    const tools = (await list()).tools.filter((t) => t.name.startsWith(`${server}__`))
    const schemas = JSON.stringify(tools.map((t) => t.outputSchema ?? null))
    expect(schemas).not.toContain('"pattern":"')
    expect(schemas).not.toContain("patternProperties")
    expect(schemas).toContain('"pattern":{"type":"string"}') // a property so named is no keyword: kept
    const only = await outcome(call(), `${server}__pattern_only`)
    expect(only.threw).toBe(false)
    expect(only.error).toBe(false)
    expect(only.result?.structuredContent).toEqual({ id: "abc", count: 3 })
    const tree = await outcome(call(), `${server}__dynamic_ok`)
    expect(tree.threw).toBe(false)
    expect(tree.result?.structuredContent).toEqual({ n: 1, kids: [{ n: 2, kids: [] }] })
    const props = await outcome(call(), `${server}__pattern_props`)
    expect(props.threw).toBe(false)
    expect(props.error).toBe(false)
    expect(props.result?.structuredContent).toEqual({ x_a: 1, y: "other" })
  }, 20_000)
}

function modernChecks(label: string, server: string, call: () => Call): void {
  test(`${label}, ${server}: a 2026-07-28 result of an unknown resultType is a tool error naming it`, async () => {
    const r = await outcome(call(), `${server}__banana`)
    expect(r.threw).toBe(false)
    expect(r.error).toBe(true)
    expect(r.text).toContain(`server ${server}: its answer to tools/call is not valid MCP (tool banana): its resultType is "banana"`)
    expect(r.text).not.toContain("peel")
  }, 20_000)
}

function staysUp(label: string, call: () => Call): void {
  test(`${label}: bad answers of a 2026-07-28 HTTP server fail only their calls, the server stays up`, async () => {
    for (let i = 0; i < 6; i++) await outcome(call(), "hshapes__video")
    const ok = await call()("hshapes__typed_ok")
    expect(ok.isError ?? false).toBe(false)
    expect(ok.structuredContent).toEqual({ count: 3, label: "ok" })
  }, 30_000)
}

function noTypeIsComplete(label: string, call: () => Call): void {
  test(`${label}: a 2026-07-28 stdio result without resultType is complete`, async () => {
    const r = await call()("mshapes__no_type")
    expect(r.isError ?? false).toBe(false)
    expect(r.content).toEqual([{ type: "text", text: "untyped" }])
  }, 20_000)
}

let http: ReturnType<typeof Bun.spawn> | undefined

beforeAll(async () => {
  await ensureBuilt()
  const portFile = join(dir, "port")
  http = Bun.spawn([process.execPath, SERVER, "modern", "http", portFile], { stdin: "pipe", stdout: "ignore", stderr: "ignore" })
  while (!existsSync(portFile) || readFileSync(portFile, "utf8") === "") await Bun.sleep(20)
  const port = readFileSync(portFile, "utf8")
  writeFileSync(
    cfg,
    JSON.stringify({
      toolkit: { enabled: "off" },
      warm: ["shapes", "mshapes", "hshapes"],
      servers: {
        shapes: { command: process.execPath, args: [SERVER, "legacy"], protocol: "legacy" },
        mshapes: { command: process.execPath, args: [SERVER, "modern"], protocol: "modern" },
        hshapes: { url: `http://127.0.0.1:${port}/mcp`, protocol: "modern" },
      },
    }),
  )
}, 120_000)
afterAll(async () => {
  http?.kill()
  await http?.exited
  rmSync(dir, { recursive: true, force: true })
})

async function listedBoth(list: () => Promise<{ tools: { name: string }[] }>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const names = (await list()).tools.map((t) => t.name)
    if (names.includes("shapes__typed_wrong") && names.includes("mshapes__banana") && names.includes("hshapes__banana")) return
    await Bun.sleep(100)
  }
  throw new Error("the servers' tools were not listed")
}

describe("SDK v1 client", () => {
  let c: Connected
  beforeAll(async () => {
    c = await connectBinary(["serve", "--config", cfg], env)
    await listedBoth(() => c.client.listTools())
  }, 60_000)
  afterAll(async () => await c?.close())
  const call = () => (name: string) => c.client.callTool({ name, arguments: {} }, undefined, { timeout: 10_000 }) as Promise<CallToolResult>
  checks("v1", "shapes", call)
  checks("v1", "mshapes", call)
  checks("v1", "hshapes", call)
  for (const s of ["shapes", "mshapes", "hshapes"]) patternChecks("v1", s, call, () => c.client.listTools())
  modernChecks("v1", "mshapes", call)
  modernChecks("v1", "hshapes", call)
  staysUp("v1", call)
  test("v1: a schema's catastrophic pattern never runs in the orchestrator (it would stall every session)", async () => {
    // a plain request: the SDK client's own callTool would run the pattern itself, in this process
    const r = (await c.client.request({ method: "tools/call", params: { name: "shapes__redos", arguments: {} } }, CallToolResultSchema, { timeout: 10_000 })) as CallToolResult
    expect(r.structuredContent).toEqual({ s: `${"a".repeat(40)}!` })
    const ok = await call()("shapes__typed_ok")
    expect(ok.structuredContent).toEqual({ count: 3, label: "ok" })
  }, 30_000)
  noTypeIsComplete("v1", call)
})

describe("SDK v2 client pinned to 2026-07-28", () => {
  let client: ClientV2
  beforeAll(async () => {
    client = new ClientV2({ name: "v2-test", version: "1.0.0" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } })
    await client.connect(new StdioV2({ command: BIN, args: ["serve", "--config", cfg], env, stderr: "ignore" }))
    await listedBoth(() => client.listTools())
  }, 60_000)
  afterAll(async () => await client?.close())
  const call = () => (name: string) => client.callTool({ name, arguments: {} }, { timeout: 10_000 }) as Promise<CallToolResult>
  checks("v2", "shapes", call)
  checks("v2", "mshapes", call)
  checks("v2", "hshapes", call)
  for (const s of ["shapes", "mshapes", "hshapes"]) patternChecks("v2", s, call, () => client.listTools())
  modernChecks("v2", "mshapes", call)
  modernChecks("v2", "hshapes", call)
  staysUp("v2", call)
  noTypeIsComplete("v2", call)
})
