/**
 * Odd 2026-07-28 downstreams (servers/odd-modern-http.ts, servers/odd-modern-server.ts: raw JSON-RPC)
 * next to a well-behaved SDK v2 one, through the compiled binary, with the SDK v1 Client (Cursor's
 * way) and the SDK v2 Client pinned to 2026-07-28. Each oddity costs only its own server or call,
 * and the error names the server and what it did:
 * - a Streamable HTTP server that answers `server/discover` with no DiscoverResult, or one naming
 *   only a version we do not speak (and refuses `initialize` as a modern server): the error says so
 *   (it said "is set to the 2026-07-28 protocol, which has no HTTP+SSE transport": the SSE fallback's
 *   refusal hid the real failure), and a 2099-only server reads "it supports 2099-01-01, not
 *   2026-07-28" (not the SDK's "Unsupported protocol version: 2026-07-28", as if we sent a bad one);
 * - a tool whose response stream is cut (no answer, its resumption refused) fails alone: the connection
 *   was dropped for it, failing the server's other calls in flight ("Connection closed"), and after a
 *   few such cuts every tool of the server was "[RESTARTING]" (and resumptions, paced by the floor the
 *   earlier cuts built, outlasted a call's timeout);
 * - a stdio server with garbage or huge capabilities, negative, huge or non-numeric `ttlMs`, a
 *   `public` or unknown `cacheScope` or notifications for listens it was never asked for is listed
 *   and callable in the first answer (a stdio one whose DiscoverResult is unusable is named with it);
 * - a modern-only stdio server answering `server/discover` after the probe's 1.5 s (it refuses
 *   `initialize`) is spoken to once the probe's own answer comes, on the same process (it was asked
 *   again, then started afresh and asked a third time: its slow answer paid three times);
 * - a tools/list answered `input_required` (only tools/call, prompts/get and resources/read may ask
 *   for input) is the server's failure to list, shown as one: its calls said only "it has not listed
 *   its tools yet", the server "ready" with no error; a `resultType` we do not know fails that call with BAD_RESPONSE naming it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/client"
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio"
import { BIN, connectBinary, ensureBuilt, isAlive, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { until } from "../proxy/helpers.ts"

const HTTP = join(import.meta.dir, "servers", "odd-modern-http.ts")
const ODD = join(import.meta.dir, "servers", "odd-modern-server.ts")
const MODERN = join(import.meta.dir, "..", "fixtures", "servers", "modern-server.ts")
const STDIO_ODDITIES = ["caps-garbage", "caps-huge", "caps-no-tools", "ttl-negative", "ttl-huge", "ttl-string", "scope-public", "scope-odd", "stray-notes", "call-public"]
/** stdio servers that cannot be spoken to (their DiscoverResult), each named with what it did. */
const STDIO_BROKEN = { discover_string: 'server discover_string failed to start: its answer to server/discover is not valid MCP: its result is "hello"', unknown_era: "server unknown_era failed to start: downstream supports 2099-01-01, not 2026-07-28" }
/** stdio servers whose tools/list answer is unusable: their calls say why (they said only "it has not listed its tools yet"). */
const LIST_BROKEN = { list_input: 'server list_input: its answer to tools/list is not valid MCP: its resultType is "input_required", which only tools/call, prompts/get and resources/read may answer', list_resulttype: 'server list_resulttype: its answer to tools/list is not valid MCP: its resultType is "maybe"' }
const text = (r: unknown): string => ((r as { content?: { type: string; text?: string }[] }).content ?? []).map((c) => c.text ?? "").join("")

const env = sandboxEnv()
/** The server/discover requests the slow modern server got, one line each: "discover <its pid>". */
const slowLog = join(env.HOME!, "slow-discover.log")
let cfg: string
let web: ReturnType<typeof Bun.spawn> | undefined

beforeAll(async () => {
  await ensureBuilt()
  const portFile = join(env.HOME!, "port")
  web = Bun.spawn([process.execPath, HTTP, portFile], { stdio: ["ignore", "ignore", "inherit"] })
  expect(await until(() => existsSync(portFile) && readFileSync(portFile, "utf8").length > 0, 10_000)).toBe(true)
  const base = `http://127.0.0.1:${readFileSync(portFile, "utf8")}`
  const servers: Record<string, unknown> = {
    web: { url: `${base}/mcp` },
    garb: { url: `${base}/garbage` },
    unk: { url: `${base}/unknown` },
    good: { command: process.execPath, args: [MODERN] },
  }
  servers.slow_discover = { command: process.execPath, args: [ODD], env: { ODD: "slow-discover", ODD_DELAY: "2000", ODD_LOG: slowLog } }
  for (const m of [...STDIO_ODDITIES, ...Object.keys(STDIO_BROKEN), ...Object.keys(LIST_BROKEN)]) servers[m.replace(/-/g, "_")] = { command: process.execPath, args: [ODD], env: { ODD: m.replace(/_/g, "-") } }
  cfg = join(env.HOME!, "config.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, servers }))
}, 60_000)
afterAll(() => void web?.kill())

interface Driver {
  listTools(): Promise<{ tools: { name: string }[] }>
  callTool(p: { name: string; arguments: Record<string, unknown> }): Promise<unknown>
}

function oddities(name: string, open: () => Promise<{ client: Driver; close(): Promise<void> }>): void {
  describe(`odd 2026-07-28 downstreams, ${name}`, () => {
    let c: { client: Driver; close(): Promise<void> }
    beforeAll(async () => void (c = await open()), 60_000)
    afterAll(() => c?.close())

    test("the first tools/list holds the tools of every server that works", async () => {
      const names = (await c.client.listTools()).tools.map((t) => t.name)
      for (const n of ["good__echo", "web__ok", ...STDIO_ODDITIES.map((m) => `${m.replace(/-/g, "_")}__ok`)]) expect(names).toContain(n)
    }, 60_000)

    test("a server whose DiscoverResult (no MCP, only a version we do not speak) or tools/list answer is unusable is named with what it did", async () => {
      const garb = text(await c.client.callTool({ name: "garb__ok", arguments: {} }))
      expect(garb).toContain("server garb failed the 2026-07-28 connect")
      expect(garb).toContain("is not MCP")
      expect(garb).not.toContain("HTTP+SSE")
      const unk = text(await c.client.callTool({ name: "unk__ok", arguments: {} }))
      expect(unk).toContain("it supports 2099-01-01, not 2026-07-28")
      expect(unk).not.toContain("HTTP+SSE")
      expect(text(await c.client.callTool({ name: "web__ok", arguments: {} }))).toBe("fine")
      for (const [server, did] of Object.entries({ ...STDIO_BROKEN, ...LIST_BROKEN })) expect(text(await c.client.callTool({ name: `${server}__ok`, arguments: {} }))).toContain(did)
    }, 60_000)

    test("a modern server slower than the era probe is spoken to on its first process, asked server/discover once", async () => {
      expect((await c.client.listTools()).tools.map((t) => t.name)).toContain("slow_discover__ok")
      expect(text(await c.client.callTool({ name: "slow_discover__ok", arguments: {} }))).toBe("fine")
      // the first run probes (the second finds the verdict stored): one process, one question
      if (name.includes("v1")) expect(readFileSync(slowLog, "utf8").trim().split("\n")).toHaveLength(1)
    }, 60_000)

    test("a tool whose response stream the server cuts fails alone: the server's other calls, in flight or later, go on", async () => {
      const slow = c.client.callTool({ name: "web__slow", arguments: {} })
      for (let i = 0; i < 6; i++) {
        const cut = await c.client.callTool({ name: "web__cut", arguments: {} })
        expect(text(cut)).toContain("server web closed the response stream of tools/call before answering")
      }
      expect(text(await slow)).toBe("slow fine")
      expect(text(await c.client.callTool({ name: "web__ok", arguments: {} }))).toBe("fine")
    }, 60_000)

    test("odd capabilities and cache hints leave the tools callable; an unknown resultType fails only its call", async () => {
      for (const m of STDIO_ODDITIES) expect(text(await c.client.callTool({ name: `${m.replace(/-/g, "_")}__ok`, arguments: {} }))).toBe("fine")
      const weird = (await c.client.callTool({ name: "caps_garbage__weird", arguments: {} })) as { isError?: boolean }
      expect(weird.isError).toBe(true)
      expect(text(weird)).toContain('server caps_garbage: its answer to tools/call is not valid MCP (tool weird): its resultType is "deferred"')
      expect(text(await c.client.callTool({ name: "good__echo", arguments: { text: "hi" } }))).toBe("modern:hi")
    }, 60_000)
  })
}

oddities("SDK v1 Client (2025-11-25)", async () => {
  const c: Connected = await connectBinary(["--config", cfg], env)
  return { client: c.client, close: () => c.close() }
})

oddities("SDK v2 Client pinned to 2026-07-28", async () => {
  const client = new Client({ name: "v2-test", version: "1.0.0" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } })
  const transport = new StdioClientTransport({ command: BIN, args: ["serve", "--config", cfg], env, stderr: "ignore" })
  await client.connect(transport)
  return {
    client: client as unknown as Driver,
    close: async () => {
      const pid = transport.pid
      await client.close()
      if (pid !== null) expect(await until(() => !isAlive(pid), 10_000)).toBe(true)
    },
  }
})
