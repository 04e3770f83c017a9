/**
 * Our stdio face in both eras, on the same compiled binary: the SDK v2 Client pinned to 2026-07-28
 * and in `auto` negotiation (how Claude Code with MCP_PROTOCOL_NEGOTIATION=auto, Copilot CLI and
 * Python SDK v2 probe), with the legacy npm reference server and a modern-only v2 fixture behind it;
 * the spec's envelope errors on the raw wire; and the SDK v1 Client (Cursor's way) still served.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/client"
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio"
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport as V1HttpTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { BIN, childrenOf, connectBinary, ensureBuilt, listUntil, sandboxEnv, startHttpBinary, tempDir } from "../helpers/binary.ts"
import { BUN, EVERYTHING, ROOT, until } from "../proxy/helpers.ts"

const MODERN = join(ROOT, "test", "fixtures", "servers", "modern-server.ts")
const V = "2026-07-28"
const ENVELOPE = { "io.modelcontextprotocol/protocolVersion": V, "io.modelcontextprotocol/clientCapabilities": {} }

function text(r: unknown): string {
  return ((r as { content: { type: string; text?: string }[] }).content[0]?.text ?? "") as string
}

async function v2Client(cfg: string, env: Record<string, string>, mode: "auto" | { pin: string }): Promise<{ client: Client; stderr: () => string; close: () => Promise<void> }> {
  const client = new Client({ name: "v2-test", version: "1.0.0" }, { versionNegotiation: { mode, probe: { timeoutMs: 10_000 } } })
  const transport = new StdioClientTransport({ command: BIN, args: ["serve", "--config", cfg], env, stderr: "pipe" })
  let err = ""
  transport.stderr?.on("data", (d: Buffer) => void (err += d.toString()))
  await client.connect(transport)
  return { client, stderr: () => err, close: () => client.close() }
}

/** Raw JSON-RPC lines to a fresh binary; returns the answers by id. */
async function raw(cfg: string, env: Record<string, string>, lines: object[]): Promise<Map<unknown, Record<string, unknown>>> {
  const p = Bun.spawn([BIN, "serve", "--config", cfg], { env, stdin: "pipe", stdout: "pipe", stderr: "ignore" })
  for (const l of lines) p.stdin.write(JSON.stringify(l) + "\n")
  await p.stdin.flush()
  const want = lines.filter((l) => "id" in l).length
  const answers = new Map<unknown, Record<string, unknown>>()
  const reader = p.stdout.getReader()
  let buf = ""
  while (answers.size < want) {
    const r = await reader.read()
    if (r.done) break
    buf += new TextDecoder().decode(r.value)
    let nl: number
    while ((nl = buf.indexOf("\n")) >= 0) {
      const m = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>
      buf = buf.slice(nl + 1)
      if (m.id !== undefined) answers.set(m.id, m)
    }
  }
  p.stdin.end()
  p.kill()
  await p.exited
  return answers
}

describe("stdio face, modern (2026-07-28) and legacy clients on one binary", () => {
  const dir = tempDir("mcpo-face-modern-")
  const env = sandboxEnv()
  let cfg: string

  beforeAll(async () => {
    await ensureBuilt()
    cfg = join(dir, "config.json")
    writeFileSync(
      cfg,
      JSON.stringify({
        servers: {
          modern: { command: BUN, args: [MODERN, "stdio"] },
          ev: { command: "node", args: [EVERYTHING, "stdio"] },
        },
        toolkit: { enabled: "off" },
      }),
    )
  }, 180_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  for (const mode of [{ pin: V }, "auto"] as const) {
    test(`SDK v2 client (${typeof mode === "string" ? mode : "pinned"}): discover, list, calls on both downstreams, a tool error`, async () => {
      const c = await v2Client(cfg, env, mode)
      try {
        expect(c.client.getProtocolEra()).toBe("modern")
        expect(c.client.getNegotiatedProtocolVersion()).toBe(V)
        const d = c.client.getDiscoverResult()!
        expect(d.supportedVersions).toEqual([V]) // the envelope's versions: legacy ones are reached by initialize
        expect(d.capabilities.tools).toBeDefined()
        expect(c.client.getServerVersion()?.name).toBe("mcp-orchestrator")
        const names = (await c.client.listTools()).tools.map((t) => t.name)
        for (const n of ["modern__echo", "ev__echo", "orchestrator_status"]) expect(names).toContain(n)
        expect(text(await c.client.callTool({ name: "modern__echo", arguments: { text: "m" } }))).toBe("modern:m")
        expect(text(await c.client.callTool({ name: "ev__echo", arguments: { message: "e" } }))).toContain("e")
        const fail = await c.client.callTool({ name: "modern__fail", arguments: {} })
        expect(fail.isError).toBe(true)
        expect(text(fail)).toBe("modern failure")
        // prompts and resources of the reference server come through too
        expect((await c.client.listPrompts()).prompts.length).toBeGreaterThan(0)
        const res = (await c.client.listResources()).resources
        expect(res.length).toBeGreaterThan(0)
        const read = await c.client.readResource({ uri: res[0]!.uri })
        expect(read.contents.length).toBeGreaterThan(0)
      } finally {
        await c.close()
      }
    }, 90_000)
  }

  test("SDK v2 client: a downstream's list change arrives through subscriptions/listen", async () => {
    const c = await v2Client(cfg, env, { pin: V })
    try {
      let changes = 0
      c.client.setNotificationHandler("notifications/tools/list_changed", () => void changes++)
      const sub = await c.client.listen({ toolsListChanged: true, resourceSubscriptions: ["file:///x"] })
      expect(sub.honoredFilter.toolsListChanged).toBe(true)
      expect(sub.honoredFilter.resourceSubscriptions).toBeUndefined()
      expect((await c.client.listTools()).tools.map((t) => t.name)).not.toContain("modern__added")
      await c.client.callTool({ name: "modern__add_tool", arguments: { name: "added" } })
      expect(await until(() => changes > 0, 15_000)).toBe(true)
      // another downstream may announce a change first (server-everything re-lists after its start): the
      // added tool is listed once a change has been announced after it
      expect(await until(async () => (await c.client.listTools()).tools.some((t) => t.name === "modern__added"), 15_000, 200)).toBe(true)
      await sub.close()
    } finally {
      await c.close()
    }
  }, 90_000)

  test("SDK v2 client: a legacy downstream lists the same tools as for a legacy client (what it is told does not depend on who came first)", async () => {
    // the decline of a pushed request itself is in mrtr.test.ts; the list stored for later runs: first-client-capabilities.test.ts
    const c = await v2Client(cfg, env, { pin: V })
    try {
      const names = (await c.client.listTools()).tools.map((t) => t.name)
      expect(names).toContain("ev__echo")
      // server-everything offers this tool only to clients that declared elicitation: we always relay it
      expect(names).toContain("ev__trigger-elicitation-request")
    } finally {
      await c.close()
    }
  }, 90_000)

  test("a probe alone (server/discover) starts no downstream; the first modern request does", async () => {
    // a fresh state: with a catalog cached by an earlier start, servers start only when called
    const p = Bun.spawn([BIN, "serve", "--config", cfg], { env: sandboxEnv(), stdin: "pipe", stdout: "pipe", stderr: "ignore" })
    try {
      const reader = p.stdout.getReader()
      const next = async (): Promise<string> => {
        let buf = ""
        while (!buf.includes("\n")) {
          const r = await reader.read()
          if (r.done) break
          buf += new TextDecoder().decode(r.value)
        }
        return buf
      }
      p.stdin.write(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "server/discover", params: { _meta: ENVELOPE } }) + "\n")
      await p.stdin.flush()
      expect(await next()).toContain("supportedVersions")
      // keep reading, as a client does (a full pipe would hold our answers, and the load behind them)
      void (async () => {
        while (!(await reader.read()).done);
      })().catch(() => {})
      // what a probing client's sibling process sees: nothing spawned while it waits
      expect(await until(() => childrenOf(p.pid).length > 0, 1500)).toBe(false)
      p.stdin.write(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list", params: { _meta: ENVELOPE } }) + "\n")
      await p.stdin.flush()
      expect(await until(() => childrenOf(p.pid).length > 0, 15_000)).toBe(true)
    } finally {
      p.kill()
      await p.exited
    }
  }, 60_000)

  test("raw wire: discover shape, result hints, envelope errors, removed methods", async () => {
    const a = await raw(cfg, env, [
      { jsonrpc: "2.0", id: 1, method: "server/discover", params: { _meta: ENVELOPE } },
      { jsonrpc: "2.0", id: 2, method: "tools/list", params: { _meta: ENVELOPE } },
      { jsonrpc: "2.0", id: 3, method: "tools/list", params: { _meta: { "io.modelcontextprotocol/protocolVersion": V } } },
      { jsonrpc: "2.0", id: 4, method: "tools/list", params: { _meta: { ...ENVELOPE, "io.modelcontextprotocol/protocolVersion": "2099-01-01" } } },
      { jsonrpc: "2.0", id: 5, method: "ping", params: { _meta: ENVELOPE } },
      { jsonrpc: "2.0", id: 6, method: "logging/setLevel", params: { _meta: ENVELOPE, level: "debug" } },
      { jsonrpc: "2.0", id: 7, method: "tools/call", params: { _meta: ENVELOPE, name: "modern__echo", arguments: { text: "x" } } },
      { jsonrpc: "2.0", id: 8, method: "server/discover", params: {} },
    ])
    const d = a.get(1)!.result as Record<string, unknown>
    expect(d.resultType).toBe("complete")
    expect(d.ttlMs).toBe(0)
    expect(d.cacheScope).toBe("private")
    expect((d._meta as Record<string, { name: string }>)["io.modelcontextprotocol/serverInfo"]!.name).toBe("mcp-orchestrator")
    const list = a.get(2)!.result as Record<string, unknown>
    expect(list).toMatchObject({ resultType: "complete", ttlMs: 0, cacheScope: "private" })
    expect((a.get(3)!.error as { code: number }).code).toBe(-32602)
    expect(a.get(4)!.error).toMatchObject({ code: -32022, data: { supported: [V], requested: "2099-01-01" } })
    expect((a.get(5)!.error as { code: number }).code).toBe(-32601)
    expect((a.get(6)!.error as { code: number }).code).toBe(-32601)
    expect(a.get(7)!.result).toMatchObject({ resultType: "complete", content: [{ type: "text", text: "modern:x" }] })
    expect((a.get(8)!.error as { code: number }).code).toBe(-32602)
  }, 60_000)

  test("SDK v1 client (legacy initialize) on the same binary: no modern fields", async () => {
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      expect(c.client.getServerVersion()?.name).toBe("mcp-orchestrator")
      const list = (await c.client.listTools()) as Record<string, unknown>
      expect(list.resultType).toBeUndefined()
      expect(list.ttlMs).toBeUndefined()
      const r = (await c.client.callTool({ name: "modern__echo", arguments: { text: "l" } })) as Record<string, unknown>
      expect(text(r)).toBe("modern:l")
      expect(r.resultType).toBeUndefined()
    } finally {
      await c.close()
    }
  }, 90_000)
})

describe("a legacy downstream that writes 2026-07-28 keys in its results (it fell back to legacy at the era probe)", () => {
  const dir = tempDir("mcpo-face-keys-")
  const env = sandboxEnv()
  const cfg = join(dir, "config.json")
  const LEAKY = join(ROOT, "test", "fixtures", "servers", "modern-keys-legacy-server.ts")
  /** tools/call, prompts/get, resources/read of the leaky server, ids 11–13, with `meta` as their `_meta`. */
  const calls = (meta?: object): object[] =>
    [
      ["tools/call", { name: "leaky__t", arguments: {} }],
      ["prompts/get", { name: "leaky__p" }],
      ["resources/read", { uri: "leak://r" }],
    ].map(([method, params], i) => ({ jsonrpc: "2.0", id: 11 + i, method, params: { ...(params as object), ...(meta ? { _meta: meta } : {}) } }))

  beforeAll(async () => {
    await ensureBuilt()
    writeFileSync(cfg, JSON.stringify({ servers: { leaky: { command: BUN, args: [LEAKY] } }, toolkit: { enabled: "off" } }))
  }, 180_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test("a legacy client gets none of them (resultType, ttlMs, cacheScope)", async () => {
    const a = await raw(cfg, env, [
      { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } } },
      { jsonrpc: "2.0", method: "notifications/initialized" },
      ...calls(),
    ])
    expect(a.get(11)!.result).toMatchObject({ content: [{ type: "text", text: "from t" }] })
    expect(a.get(12)!.result).toMatchObject({ messages: [{ content: { text: "from p" } }] })
    expect(a.get(13)!.result).toMatchObject({ contents: [{ text: "from r" }] })
    for (const id of [11, 12, 13]) for (const k of ["resultType", "ttlMs", "cacheScope"]) expect(a.get(id)!.result as object).not.toHaveProperty(k)
  }, 60_000)

  test("a modern client gets resultType, and our cache hints only (never the downstream's `public`)", async () => {
    const a = await raw(cfg, env, calls(ENVELOPE))
    for (const id of [11, 12, 13]) {
      const r = a.get(id)!.result as Record<string, unknown>
      expect(r.resultType).toBe("complete")
      expect(r.cacheScope).not.toBe("public")
    }
    // hints belong on resources/read (ours: 0, private), not on tools/call or prompts/get
    expect(a.get(13)!.result).toMatchObject({ ttlMs: 0, cacheScope: "private" })
    for (const id of [11, 12]) expect(a.get(id)!.result as object).not.toHaveProperty("ttlMs")
  }, 60_000)

  // the same downstream bytes give the same answer on every path: a large result (≥ 256 KiB) is
  // forwarded as its bytes, and used to carry the keys a small one lost (on the hot path: a client
  // that listed, so the server is known to speak legacy)
  const LEGACY_KEYS = ["resultType", "ttlMs", "cacheScope"]
  const bigText = (r: unknown): number => ((r as { content: { text: string }[] }).content[0]?.text ?? "").length
  const small = (r: unknown): string => (r as { content: { text: string }[] }).content[0]?.text ?? ""
  type Call = (name: string) => Promise<Record<string, unknown>>

  /** Each client calls `leaky__t` and `leaky__big` after listing them; both answers have no 2026-07-28 key (modern: the client reads `resultType` itself; no downstream hints). */
  async function sameAnswers(call: Call, modern = false): Promise<void> {
    const t = await call("leaky__t")
    const b = await call("leaky__big")
    expect(small(t)).toBe("from t")
    expect(bigText(b)).toBe(300 * 1024)
    for (const r of [t, b]) {
      for (const k of modern ? ["ttlMs", "cacheScope"] : LEGACY_KEYS) expect(r).not.toHaveProperty(k)
    }
    expect(Object.keys(b).sort()).toEqual(Object.keys(t).sort())
  }

  test("a large result (kept as its bytes) answers as a small one: stdio SDK v1 client", async () => {
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      await listUntil(c.client as never, "leaky__big")
      await sameAnswers((name) => c.client.callTool({ name, arguments: {} }) as Promise<Record<string, unknown>>)
      // a large resources/read (not forwarded as bytes: parsed from them) too
      const small = (await c.client.readResource({ uri: "leak://r" })) as Record<string, unknown>
      const large = (await c.client.readResource({ uri: "leak://big" })) as Record<string, unknown>
      expect((large.contents as { text: string }[])[0]!.text.length).toBe(300 * 1024)
      for (const k of LEGACY_KEYS) expect(large).not.toHaveProperty(k)
      expect(Object.keys(large).sort()).toEqual(Object.keys(small).sort())
    } finally {
      await c.close()
    }
  }, 60_000)

  test("… stdio SDK v2 client pinned to 2026-07-28", async () => {
    const c = await v2Client(cfg, env, { pin: V })
    try {
      await until(async () => (await c.client.listTools()).tools.some((t) => t.name === "leaky__big"), 20_000)
      await sameAnswers((name) => c.client.callTool({ name, arguments: {} }) as Promise<Record<string, unknown>>, true)
    } finally {
      await c.close()
    }
  }, 60_000)

  test("… the HTTP face (SDK v1 client), and run_code's tools (the parsed path)", async () => {
    const token = "keys-" + crypto.randomUUID()
    const http = await startHttpBinary(cfg, { ...env, MCPO_HTTP_TOKEN: token })
    const client = new V1Client({ name: "legacy-http", version: "1" }, { capabilities: {} })
    try {
      await client.connect(new V1HttpTransport(new URL(http.url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }))
      await until(async () => (await client.listTools()).tools.some((t) => t.name === "leaky__big"), 20_000)
      await sameAnswers((name) => client.callTool({ name, arguments: {} }) as Promise<Record<string, unknown>>)
      const code = (await client.callTool({ name: "run_code", arguments: { code: 'const r = await tools["leaky__big"]({}); return typeof r === "string" ? r.length : Object.keys(r)' } })) as Record<string, unknown>
      expect((code.structuredContent as { result: unknown }).result).toBe(300 * 1024)
    } finally {
      await client.close()
      http.proc.kill("SIGTERM")
      await http.proc.exited
    }
  }, 90_000)
})
