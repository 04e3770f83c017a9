/**
 * The early face (src/early-face.ts) answers `initialize` before the real face exists, so its answer
 * must be the real face's answer: same negotiation, capabilities and server info, for every version
 * a client may ask. Anything it is not sure about is left to the real face. Through the binary: the
 * replayed request is answered once, and the real face knows the client's capabilities.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js"
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS, type JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js"
import { silentLogger } from "../../src/core/index.ts"
import { EARLY_LATEST, EARLY_MODERN, EARLY_SUPPORTED, earlyAnswer, earlyDiscover, isStdioServe, modernRequest } from "../../src/early-face.ts"
import { complete, judge, MODERN_VERSION } from "../../src/mcp/modern-lane.ts"
import { createMcpFace } from "../../src/mcp/index.ts"
import { BIN, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

const init = (protocolVersion: string, id: string | number = 1, capabilities: Record<string, unknown> = {}) => ({
  jsonrpc: "2.0" as const,
  id,
  method: "initialize",
  params: { protocolVersion, capabilities, clientInfo: { name: "t", version: "1" } },
})

/** What the real face answers to `msg`. */
async function realAnswer(msg: unknown): Promise<unknown> {
  const face = createMcpFace({ log: silentLogger, tools: [] })
  const [a, b] = InMemoryTransport.createLinkedPair()
  await face.server.connect(a)
  const got = new Promise<JSONRPCMessage>((r) => (b.onmessage = r))
  await b.start()
  await b.send(msg as JSONRPCMessage)
  const answer = await got
  face.dispose()
  return answer
}

describe("early face answers exactly as the real face", () => {
  test("protocol versions are the SDK's", () => {
    expect(EARLY_LATEST).toBe(LATEST_PROTOCOL_VERSION)
    expect([...EARLY_SUPPORTED]).toEqual([...SUPPORTED_PROTOCOL_VERSIONS])
  })

  for (const v of [...SUPPORTED_PROTOCOL_VERSIONS, "2099-01-01", "2026-07-28", "garbage"]) {
    test(`initialize asking ${v}`, async () => {
      const msg = init(v, 7, { roots: { listChanged: true }, elicitation: {} })
      const early = earlyAnswer(JSON.stringify(msg))
      expect(early).toBeDefined()
      expect(early!.id).toBe(7)
      expect(JSON.parse(early!.json)).toEqual(await realAnswer(msg))
    })
  }

  test("nested capability members of the wrong type: the real face refuses them naming the member, the early face leaves them to it", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ roots: { listChanged: "yes" } }, "capabilities.roots.listChanged: expected boolean, received string"],
      [{ elicitation: { form: 5 } }, "capabilities.elicitation.form: expected object, received number"],
      [{ sampling: { tools: [] } }, "capabilities.sampling.tools: expected object, received array"],
      [{ tasks: { requests: true } }, "capabilities.tasks.requests: expected object, received boolean"],
    ]
    for (const [caps, why] of cases) {
      const msg = init("2025-06-18", 8, caps)
      expect(earlyAnswer(JSON.stringify(msg))).toBeUndefined()
      expect(await realAnswer(msg)).toMatchObject({ id: 8, error: { code: -32602, message: `Invalid params for initialize: ${why}` } })
    }
  })

  test("string ids are kept", () => {
    expect(JSON.parse(earlyAnswer(JSON.stringify(init("2025-06-18", "abc")))!.json).id).toBe("abc")
  })

  test("anything unusual is left to the real face", () => {
    const bad: unknown[] = [
      "not json",
      [init("2025-06-18")],
      { ...init("2025-06-18"), jsonrpc: "1.0" },
      { ...init("2025-06-18"), id: null },
      { ...init("2025-06-18"), id: 1.5 },
      { jsonrpc: "2.0", id: 1, method: "tools/list" },
      { jsonrpc: "2.0", id: 1, method: "initialize" },
      { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: 5, capabilities: {}, clientInfo: { name: "t", version: "1" } } },
      { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t" } } },
      { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: { roots: true }, clientInfo: { name: "t", version: "1" } } },
      // nested members the real face refuses (mcp/face-params CAPABILITY_CHECKS, qa351)
      ...[{ roots: { listChanged: "yes" } }, { elicitation: { form: 5 } }, { elicitation: { url: true } }, { sampling: { tools: 5 } }, { tasks: { requests: 5 } }].map((capabilities) => ({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities, clientInfo: { name: "t", version: "1" } } })),
      { jsonrpc: "2.0", method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } },
    ]
    for (const m of bad) expect(earlyAnswer(typeof m === "string" ? m : JSON.stringify(m))).toBeUndefined()
  })

  test("a 2026-07-28 probe is answered as the modern lane answers it; an envelope it would refuse is left to it", () => {
    expect(EARLY_MODERN).toBe(MODERN_VERSION)
    const meta = { "io.modelcontextprotocol/protocolVersion": MODERN_VERSION, "io.modelcontextprotocol/clientCapabilities": {}, "io.modelcontextprotocol/clientInfo": { name: "t", version: "1" } }
    const probe = { jsonrpc: "2.0", id: "p", method: "server/discover", params: { _meta: meta } }
    const early = earlyDiscover(JSON.stringify(probe))
    expect(JSON.parse(early!.json)).toEqual({ jsonrpc: "2.0", id: "p", result: (judge("server/discover", meta) as { result: unknown }).result })
    // the list hint the early face adds is the lane's
    expect(complete("tools/list", { tools: [] })).toEqual({ tools: [], resultType: "complete", ttlMs: 0, cacheScope: "private" })
    const bad: unknown[] = [
      { ...probe, params: { _meta: { ...meta, "io.modelcontextprotocol/protocolVersion": "2025-11-25" } } },
      { ...probe, params: { _meta: { ...meta, "io.modelcontextprotocol/clientCapabilities": [] } } },
      { ...probe, params: { _meta: { "io.modelcontextprotocol/protocolVersion": MODERN_VERSION } } },
      { ...probe, params: { _meta: { ...meta, "io.modelcontextprotocol/somethingNew": 1 } } },
      // capabilities and client info `judge` refuses, as `initialize` does (qa351)
      { ...probe, params: { _meta: { ...meta, "io.modelcontextprotocol/clientCapabilities": { elicitation: 5 } } } },
      { ...probe, params: { _meta: { ...meta, "io.modelcontextprotocol/clientCapabilities": { roots: true } } } },
      { ...probe, params: { _meta: { ...meta, "io.modelcontextprotocol/clientCapabilities": { elicitation: { form: 5 } } } } },
      { ...probe, params: { _meta: { ...meta, "io.modelcontextprotocol/clientInfo": 5 } } },
      { ...probe, params: { _meta: { ...meta, "io.modelcontextprotocol/clientInfo": { name: "t" } } } },
      { ...probe, params: { _meta: meta, cursor: "x" } },
      { ...probe, params: { _meta: null } },
      { ...probe, id: null },
      { ...probe, method: "tools/list" },
    ]
    for (const m of bad) expect(earlyDiscover(JSON.stringify(m))).toBeUndefined()
    expect(modernRequest(JSON.stringify({ ...probe, method: "tools/list", id: 3 }), "tools/list")).toEqual({ id: 3 })
    expect(modernRequest(JSON.stringify({ ...probe, method: "tools/list", params: { _meta: meta, cursor: "c" } }), "tools/list")).toBeUndefined()
  })

  test("only a stdio serve gets the early face", () => {
    const argv = (...a: string[]) => ["bun", "mcp-orchestrator", ...a]
    expect(isStdioServe(argv())).toBe(true)
    expect(isStdioServe(argv("serve"))).toBe(true)
    expect(isStdioServe(argv("--config", "doctor", "serve"))).toBe(true)
    expect(isStdioServe(argv("-c", "cfg.yaml", "serve"))).toBe(true)
    expect(isStdioServe(argv("-c", "serve", "doctor"))).toBe(false)
    expect(isStdioServe(argv("serve", "--http", "8080"))).toBe(true)
    expect(isStdioServe(argv("--log-level=debug", "serve"))).toBe(true)
    expect(isStdioServe(argv("serve", "--no-stdio", "--http", "8080"))).toBe(false)
    expect(isStdioServe(argv("doctor"))).toBe(false)
    expect(isStdioServe(argv("--config", "serve", "doctor"))).toBe(false)
    expect(isStdioServe(argv("serve", "--help"))).toBe(false)
    expect(isStdioServe(argv("--version"))).toBe(false)
    expect(isStdioServe(argv("plugins", "list"))).toBe(false)
  })
})

describe("through the binary", () => {
  beforeAll(ensureBuilt, 120_000)

  test("initialize, initialized and tools/list in one write: each request answered once, in order", async () => {
    const p = Bun.spawn([BIN, "serve"], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env: sandboxEnv() })
    const lines = [init("2025-06-18", 1), { jsonrpc: "2.0", method: "notifications/initialized" }, { jsonrpc: "2.0", id: 2, method: "tools/list" }]
    p.stdin.write(lines.map((l) => JSON.stringify(l) + "\n").join(""))
    p.stdin.flush()
    const got: Array<{ id?: unknown }> = []
    const reader = p.stdout.getReader()
    let buf = ""
    while (!got.some((m) => m.id === 2)) {
      const { value, done } = await reader.read()
      if (done) break
      buf += new TextDecoder().decode(value)
      for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
        got.push(JSON.parse(buf.slice(0, nl)))
        buf = buf.slice(nl + 1)
      }
    }
    p.stdin.end()
    await p.exited
    const ids = got.filter((m) => m.id !== undefined).map((m) => m.id)
    expect(ids).toEqual([1, 2])
  }, 20_000)

  test("a first line that is not initialize goes to the real face (it answers; nothing is lost)", async () => {
    const p = Bun.spawn([BIN, "serve"], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env: sandboxEnv() })
    p.stdin.write('{"jsonrpc":"2.0","id":9,"method":"ping"}\n')
    p.stdin.write(JSON.stringify(init("2025-06-18", 10)) + "\n")
    p.stdin.flush()
    const reader = p.stdout.getReader()
    let buf = ""
    while ((buf.match(/\n/g) ?? []).length < 2) {
      const { value, done } = await reader.read()
      if (done) break
      buf += new TextDecoder().decode(value)
    }
    p.stdin.end()
    await p.exited
    const msgs = buf.trim().split("\n").map((l) => JSON.parse(l) as { id: number; result?: { serverInfo?: unknown } })
    expect(msgs.map((m) => m.id).sort((a, b) => a - b)).toEqual([9, 10])
    expect(msgs.find((m) => m.id === 10)?.result?.serverInfo).toBeDefined()
  }, 20_000)
})
