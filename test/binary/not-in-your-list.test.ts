/**
 * Tools that appear after a connection's first tools/list answer (which Cursor keeps for the whole
 * session, ignoring list_changed) are named to that connection: orchestrator_status' per-server
 * `notInYourList` (bounded: 20 names and the total), its summary with how to reach them, and a
 * `notInYourList` mark on search_tools hits (call them with call_tool). A direct call of such a name
 * still routes; an unknown name gets the usual suggestion. A connection whose first list already
 * had them is told nothing. The compiled binary with the SDK's real Client over stdio and
 * Streamable HTTP; list-gate-server holds its initialize or tools/list until a file appears:
 * nothing is timed.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { connectBinary, ensureBuilt, httpRunsStoppedAfterEach, ROOT, sandboxEnv, startHttpBinary, writeConfig } from "../helpers/binary.ts"

const GATE_SERVER = join(ROOT, "test", "fixtures", "servers", "list-gate-server.ts")
const TOKEN = "not-in-list-" + crypto.randomUUID()

type Row = { name: string; tools: number; notInYourList?: { total: number; names: string[] } }
type Hit = { name: string; notInYourList?: true }
type Result = {
  content: { type: string; text: string }[]
  structuredContent?: { servers: Row[]; notInYourList?: { tools: number; reach: string }; tools: Hit[] }
  isError?: boolean
}

beforeAll(ensureBuilt, 120_000)

const runs = httpRunsStoppedAfterEach()

/** A sandbox whose one server `held` runs list-gate-server with `flags` (`@gate@`: the gate file). */
function setup(flags: string[]): { env: Record<string, string>; cfg: string; gate: string } {
  const env = sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN })
  const gate = join(env.HOME!, "gate")
  const args = [GATE_SERVER, ...flags.map((f) => (f === "@gate@" ? gate : f))]
  const cfg = writeConfig(env, configOf({ held: { command: process.execPath, args } }))
  return { env, cfg, gate }
}

const configOf = (servers: Record<string, unknown>) => ({ toolkit: { enabled: "off" }, proxy: { listWait: 300, firstListWait: 300 }, servers })

async function status(c: Client): Promise<Result> {
  return (await c.callTool({ name: "orchestrator_status", arguments: {} })) as Result
}

/** search_tools until `name` is found (its server listed; no relisting: the client keeps its first list). */
async function searchUntil(c: Client, query: string, name: string): Promise<Result> {
  for (let i = 0; ; i++) {
    const r = (await c.callTool({ name: "search_tools", arguments: { query } })) as Result
    if (r.content[0]!.text.includes(name) || i >= 400) return r
    await Bun.sleep(50)
  }
}

/**
 * orchestrator_status once `server`'s row names `total` tools (the connection's list is rebuilt when a
 * change is announced: the status follows it).
 */
async function statusUntil(c: Client, total: number, server = "held"): Promise<Result> {
  for (let i = 0; ; i++) {
    const st = await status(c)
    if (st.structuredContent!.servers.find((s) => s.name === server)?.notInYourList?.total === total || i >= 400) return st
    await Bun.sleep(50)
  }
}

async function session(url: string): Promise<Client> {
  const c = new Client({ name: "not-in-your-list", version: "1.0.0" }, { capabilities: {} })
  await c.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }))
  return c
}

describe("tools that came after a connection's first tools/list are named to it", () => {
  test("stdio: a server that answers initialize late is named in status and search, its tools callable by name", async () => {
    const { env, cfg, gate } = setup(["--init-gate", "@gate@", "--many", "60"])
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      expect((await c.client.listTools()).tools.some((t) => t.name.startsWith("held__"))).toBe(false)
      writeFileSync(gate, "")
      const search = await searchUntil(c.client, "first tool of the gated server", "held__held_alpha")
      const hit = search.structuredContent!.tools.find((t) => t.name === "held__held_alpha")!
      expect(hit.notInYourList).toBe(true)
      expect(search.content[0]!.text).toContain("held__held_alpha() [not in your tool list: call it with call_tool]")

      const st = await statusUntil(c.client, 65)
      const row = st.structuredContent!.servers.find((s) => s.name === "held")!
      // 5 tools + 60 bulk ones, 20 named
      expect(row.notInYourList!.total).toBe(65)
      expect(row.notInYourList!.names.length).toBe(20)
      expect(row.notInYourList!.names).toContain("held__announce")
      expect(st.structuredContent!.notInYourList!.tools).toBe(65)
      expect(st.structuredContent!.notInYourList!.reach).toContain("call_tool")
      expect(st.content[0]!.text).toContain("and 45 more")

      // a direct call of a name the client was never given routes; a misspelt one gets the suggestion
      const direct = (await c.client.callTool({ name: "held__echo", arguments: { message: "direct" } })) as Result
      expect(direct.isError).toBeFalsy()
      expect(direct.content[0]!.text).toBe("direct")
      const typo = (await c.client.callTool({ name: "held__ecoh", arguments: { message: "x" } }).catch((e: Error) => ({ content: [{ type: "text", text: e.message }], isError: true }))) as Result
      expect(typo.isError).toBe(true)
      expect(typo.content[0]!.text).toContain("held__echo")

      // a second client (another process, the same user) lists once held is up: nothing is missing from its list
      const d = await connectBinary(["serve", "--config", cfg], env)
      try {
        expect((await d.client.listTools()).tools.map((t) => t.name)).toContain("held__held_alpha")
        const its = await status(d.client)
        expect(its.structuredContent!.servers.find((s) => s.name === "held")!.notInYourList).toBeUndefined()
        expect(its.structuredContent!.notInYourList).toBeUndefined()
        const again = await searchUntil(d.client, "first tool of the gated server", "held__held_alpha")
        expect(again.structuredContent!.tools.find((t) => t.name === "held__held_alpha")!.notInYourList).toBeUndefined()
      } finally {
        await d.close()
      }
    } finally {
      await c.close()
    }
  }, 90_000)

  test("status names a late server's tools as soon as search_tools finds them (not after the list is rebuilt)", async () => {
    const { env, cfg, gate } = setup(["--init-gate", "@gate@"])
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      expect((await c.client.listTools()).tools.some((t) => t.name.startsWith("held__"))).toBe(false)
      writeFileSync(gate, "")
      await searchUntil(c.client, "first tool of the gated server", "held__held_alpha")
      // at once, no polling: before, status read the client's list rebuilt after the 250 ms change window
      const row = (await status(c.client)).structuredContent!.servers.find((s) => s.name === "held")!
      expect(row.notInYourList?.names).toEqual(["held__announce", "held__crash", "held__echo", "held__held_alpha", "held__held_beta"])
    } finally {
      await c.close()
    }
  }, 90_000)

  test("a server a config reload adds is named; its tools answer by name", async () => {
    const { env, cfg } = setup([])
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      expect((await c.client.listTools()).tools.map((t) => t.name)).toContain("held__echo")
      writeConfig(env, configOf({ held: { command: process.execPath, args: [GATE_SERVER] }, added: { command: process.execPath, args: [GATE_SERVER] } }))
      const st = await statusUntil(c.client, 5, "added")
      expect(st.structuredContent!.servers.find((s) => s.name === "added")!.notInYourList!.names).toContain("added__echo")
      // held's tools were in the first list: not named
      expect(st.structuredContent!.servers.find((s) => s.name === "held")!.notInYourList).toBeUndefined()
      expect(st.structuredContent!.notInYourList!.tools).toBe(5)
      const direct = (await c.client.callTool({ name: "added__echo", arguments: { message: "added" } })) as Result
      expect(direct.content[0]!.text).toBe("added")
    } finally {
      await c.close()
    }
  }, 90_000)

  test("a tool a plugin's tools hook hides is not named", async () => {
    const { env, cfg, gate } = setup(["--init-gate", "@gate@"])
    const plugins = join(env.HOME!, "plugins")
    mkdirSync(plugins)
    writeFileSync(join(plugins, "hide.js"), "export default {\n  name: 'hide',\n  tools(tools) { return tools.filter((t) => t.name !== 'held__crash') },\n}\n")
    const c = await connectBinary(["serve", "--config", cfg, "--plugins", plugins], env)
    try {
      expect((await c.client.listTools()).tools.some((t) => t.name.startsWith("held__"))).toBe(false)
      writeFileSync(gate, "")
      const row = (await statusUntil(c.client, 4)).structuredContent!.servers.find((s) => s.name === "held")!
      expect(row.notInYourList!.names).toEqual(["held__announce", "held__echo", "held__held_alpha", "held__held_beta"])
    } finally {
      await c.close()
    }
  }, 90_000)

  test("HTTP: each session is told what its own first list lacked; thousands of late tools keep the status small", async () => {
    const { env, cfg, gate } = setup(["--gate", "@gate@", "--many", "3000"])
    const run = await startHttpBinary(cfg, env)
    runs.push(run)
    const a = await session(run.url)
    try {
      expect((await a.listTools()).tools.some((t) => t.name.startsWith("held__"))).toBe(false)
      writeFileSync(gate, "")
      const found = await searchUntil(a, "first tool of the gated server", "held__held_alpha")
      expect(found.structuredContent!.tools.find((t) => t.name === "held__held_alpha")!.notInYourList).toBe(true)
      const st = await statusUntil(a, 3005)
      const row = st.structuredContent!.servers.find((s) => s.name === "held")!
      expect(row.notInYourList!.total).toBe(3005)
      expect(row.notInYourList!.names.length).toBe(20)
      expect(JSON.stringify(st).length).toBeLessThan(20_000)
      expect(st.content[0]!.text).toContain("and 2985 more")
      const called = (await a.callTool({ name: "call_tool", arguments: { name: "held__echo", arguments: { message: "via call_tool" } } })) as Result
      expect(called.content[0]!.text).toBe("via call_tool")

      // a session opened now has held's tools in its first list: nothing is missing from it
      const b = await session(run.url)
      try {
        expect((await b.listTools()).tools.map((t) => t.name)).toContain("held__echo")
        const its = await status(b)
        expect(its.structuredContent!.servers.find((s) => s.name === "held")!.notInYourList).toBeUndefined()
        expect(its.structuredContent!.notInYourList).toBeUndefined()
      } finally {
        await b.close()
      }
      // the first session's list still lacks them
      expect((await status(a)).structuredContent!.notInYourList!.tools).toBe(3005)
    } finally {
      await a.close()
    }
  }, 120_000)
})
