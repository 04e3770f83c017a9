/**
 * First answers over the Streamable HTTP face (the compiled binary, real SDK clients), with servers
 * slow to list (their tools/list held until a file appears: nothing is timed):
 * - every HTTP session has its own first tools/list answer: orchestrator_status' `notInFirstList`
 *   tells a session what ITS first answer lacked. Before, a session opened once the slow server had
 *   listed (its tools in its list) was told they were not;
 * - `proxy.expose: search` (the first answer lists no proxied tool, its search_tools description
 *   names what is missing): `notInFirstList` was never set (only a full listing recorded it);
 * - a call of a name of a 2026-07-28 server that is up and has not answered its tools/list yet
 *   waits for that listing, then routes (before: failed at once, "unavailable", check its command,
 *   retried with backoff; then "call it again once it has listed", though the tool existed).
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { ensureBuilt, httpRunsStoppedAfterEach, sandboxEnv, startHttpBinary } from "../helpers/binary.ts"
import { BUN, ROOT } from "../proxy/helpers.ts"

const GATE_SERVER = join(ROOT, "test", "fixtures", "servers", "list-gate-server.ts")
const MODERN = join(ROOT, "test", "fixtures", "servers", "modern-server.ts")
const TOKEN = "first-list-" + crypto.randomUUID()

type Row = { name: string; tools: number; notInFirstList?: string }
type Result = { content: { type: string; text: string }[]; structuredContent?: { servers: Row[] }; isError?: boolean }

beforeAll(ensureBuilt, 120_000)

const runs = httpRunsStoppedAfterEach()

/**
 * Starts the binary serving HTTP only; `@gate@` in the servers' entries is the gate file. firstListWait:
 * a first start ever is waited for up to it, its first page of tools included (proxy/first-start), so
 * an answer given while a server is up and its list not answered comes at its end: long enough for a
 * loaded machine's start, short for the test.
 */
async function start(servers: Record<string, unknown>, expose = "all"): Promise<{ url: string; gate: string }> {
  const env = sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN })
  const gate = join(env.HOME!, "gate")
  const cfg = join(env.HOME!, "config.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, proxy: { listWait: 300, firstListWait: 8000, expose }, servers: JSON.parse(JSON.stringify(servers).replaceAll("@gate@", gate)) }))
  const run = await startHttpBinary(cfg, env)
  runs.push(run)
  return { url: run.url, gate }
}

async function session(url: string): Promise<Client> {
  const c = new Client({ name: "http-first-list", version: "1.0.0" }, { capabilities: {} })
  await c.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }))
  return c
}

async function row(c: Client, server: string): Promise<Row> {
  const st = (await c.callTool({ name: "orchestrator_status", arguments: {} })) as Result
  return st.structuredContent!.servers.find((s) => s.name === server)!
}

/** search_tools until `name` is found (the server listed); the last answer. */
async function searchUntil(c: Client, query: string, name: string): Promise<string> {
  let found = ""
  for (let i = 0; i < 400 && !found.includes(name); i++) {
    found = ((await c.callTool({ name: "search_tools", arguments: { query } })) as Result).content[0]!.text
    if (!found.includes(name)) await Bun.sleep(50)
  }
  return found
}

describe("first answers over HTTP", () => {
  test("each session's orchestrator_status tells what its own first tools/list answer lacked", async () => {
    const { url, gate } = await start({ held: { command: BUN, args: [GATE_SERVER, "--gate", "@gate@"] } })
    const a = await session(url)
    const b = await session(url)
    try {
      expect((await a.listTools()).tools.some((t) => t.name.startsWith("held__"))).toBe(false)
      expect((await row(a, "held")).notInFirstList).toContain("not in this connection's first tools/list answer (it was ready)")
      writeFileSync(gate, "")
      expect(await searchUntil(a, "first tool of the gated server", "held__held_alpha")).toContain("held__held_alpha")
      // a session whose first list comes now has held's tools: nothing is said to be missing from it
      expect((await b.listTools()).tools.map((t) => t.name)).toContain("held__echo")
      const mine = await row(b, "held")
      expect(mine.tools).toBe(5)
      expect(mine.notInFirstList).toBeUndefined()
      // the first session's answer still lacks them (its client keeps it)
      expect((await row(a, "held")).notInFirstList).toContain("not in this connection's first tools/list answer")
    } finally {
      await a.close()
      await b.close()
    }
  }, 90_000)

  test("proxy.expose: search, a 2026-07-28 server up and slow to list: named in the first answer and status, a call of its name waits for its listing and routes", async () => {
    const { url, gate } = await start({ modern: { command: BUN, args: [MODERN], protocol: "modern", env: { MODERN_LIST_GATE: "@gate@" } } }, "search")
    const c = await session(url)
    try {
      const first = (await c.listTools()).tools
      expect(first.find((t) => t.name === "search_tools")!.description).toContain("modern (up, its tool list not answered yet)")
      expect((await row(c, "modern")).notInFirstList).toContain("not in this connection's first tools/list answer (it was ready)")
      // a call made while it lists waits for that listing (within its timeout), then routes
      const early = c.callTool({ name: "call_tool", arguments: { name: "modern__echo", arguments: { text: "early" } } }) as Promise<Result>
      while (!runs[0]!.stderr().includes("call waits for its server's tools/list")) await Bun.sleep(20)
      writeFileSync(gate, "")
      const answered = await early
      expect(answered.isError).toBeFalsy()
      expect(answered.content[0]!.text).toBe("modern:early")
      expect(await searchUntil(c, "echo the text", "modern__echo")).toContain("modern__echo")
      const late = (await c.callTool({ name: "call_tool", arguments: { name: "modern__echo", arguments: { text: "late" } } })) as Result
      expect(late.content[0]!.text).toBe("modern:late")
    } finally {
      await c.close()
    }
  }, 90_000)
})
