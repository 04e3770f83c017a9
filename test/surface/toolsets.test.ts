/**
 * Toolsets: one config, several surfaces. `serve --toolset NAME` and MCPO_TOOLSET over stdio,
 * `/mcp/t/<name>` over HTTP, each expose mode's tools/list, tools outside a toolset neither listed,
 * found nor callable, an unknown toolset exits 2 (HTTP: 404) naming it and the ones that exist.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { loadConfig } from "../../src/config/index.ts"
import { ConfigError } from "../../src/core/index.ts"
import { BIN, ensureBuilt, sandboxEnv, startHttpBinary } from "../helpers/binary.ts"
import { call, fleet, names, start, text, type Fleet } from "./helpers.ts"

const META_SEARCH = ["call_tool", "describe_tools", "orchestrator_status", "search_tools"]
const META_CODE = ["describe_tools", "orchestrator_status", "run_code", "search_tools"]

let f: Fleet
const toolsets = {
  mem: { servers: ["memory"] },
  readonly: { tools: { allow: ["*__read_*", "*__list_*", "*__search_*", "*__echo"] }, expose: "search" },
  coder: { servers: ["memory", "fs"], tools: { deny: ["*__delete_*"] }, expose: "code" },
}

beforeAll(async () => {
  f = await fleet()
})

describe("config checks", () => {
  const load = (cfg: unknown, env: Record<string, string> = {}) => {
    try {
      loadConfig({ inline: { text: JSON.stringify(cfg), name: "inline.json" }, env: { HOME: "/nonexistent", ...env } })
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError)
      return [...(e as ConfigError).problems]
    }
    return []
  }
  test("MCPO_TOOLSET naming no toolset names its source and the toolsets", () => {
    expect(load({ toolsets: { a: {}, b: {} } }, { MCPO_TOOLSET: "c" })).toEqual(['unknown toolset "c" (env MCPO_TOOLSET); toolsets in the config: a, b'])
    expect(load({}, { MCPO_TOOLSET: "c" })).toEqual(['unknown toolset "c" (env MCPO_TOOLSET); the config defines no toolsets'])
    expect(load({ toolsets: { a: {} } }, { MCPO_TOOLSET: "a" })).toEqual([])
  })
  test("toolset entries are checked: servers, expose, names, unknown keys", () => {
    expect(load({ servers: { memory: { command: "x" } }, toolsets: { t: { servers: ["memroy", "docker"] } } })).toEqual(['toolsets.t.servers.0 (inline.json:1): "memroy" is not a configured server; did you mean "memory"?'])
    expect(load({ toolsets: { t: { expose: "some" } } })[0]).toStartWith("toolsets.t.expose (inline.json:1): ")
    expect(load({ toolsets: { "bad name": {} } })[0]).toContain("toolset names are 1-64")
    expect(load({ toolsets: { t: { tool: {} } } })[0]).toStartWith("toolsets.t.tool (inline.json:1): ")
  })
})

describe("stdio: serve --toolset / MCPO_TOOLSET", () => {
  test("--toolset mem (expose all): only memory's tools plus the own tools; others are not callable", async () => {
    const s = await start({ servers: f.servers, toolsets }, ["--toolset", "mem"])
    try {
      const listed = await names(s.client)
      const proxied = listed.filter((n) => n.includes("__"))
      expect(proxied.length).toBeGreaterThan(5)
      for (const n of proxied) expect(n).toMatch(/^memory__/)
      for (const m of [...META_SEARCH, "run_code"]) expect(listed).toContain(m)
      const err = await s.client.callTool({ name: "everything__echo", arguments: { message: "x" } }).catch((e: Error) => e)
      expect((err as Error).message).toContain('tool everything__echo is not in toolset "mem": left out by toolsets.mem.servers (memory)')
      const via = await call(s.client, "call_tool", { name: "everything__echo", arguments: { message: "x" } })
      expect(via.isError).toBe(true)
      expect(text(via)).toContain('not in toolset "mem"')
      const found = await call(s.client, "search_tools", { query: "echo a message", limit: 50 })
      for (const t of (found.structuredContent as { tools: { name: string }[] }).tools) expect(t.name).toMatch(/^memory__/)
      const ok = await call(s.client, "memory__read_graph")
      expect(ok.isError).toBeFalsy()
      // its status shows its own servers only, and counts its own tools
      const st = (await call(s.client, "orchestrator_status")).structuredContent as { toolset?: string; servers: { name: string }[]; config: { servers: string[] }; tools: { proxied: number } }
      expect(st.toolset).toBe("mem")
      expect(st.servers.map((x) => x.name)).toEqual(["memory"])
      expect(st.config.servers).toEqual(["memory"])
      expect(st.tools.proxied).toBe(proxied.length)
      expect(JSON.stringify(st)).not.toContain("everything")
    } finally {
      await s.close()
    }
  }, 60_000)

  test("MCPO_TOOLSET=readonly (expose search): the meta-tools only; call_tool reaches allowed tools and refuses the rest", async () => {
    const s = await start({ servers: f.servers, toolsets }, [], { MCPO_TOOLSET: "readonly" })
    try {
      expect((await names(s.client)).sort()).toEqual(META_SEARCH)
      const echo = await call(s.client, "call_tool", { name: "everything__echo", arguments: { message: "hi" } })
      expect(text(echo)).toBe("Echo: hi")
      const refused = await call(s.client, "call_tool", { name: "memory__create_entities", arguments: { entities: [] } })
      expect(refused.isError).toBe(true)
      expect(text(refused)).toContain('left out by toolsets.readonly.tools.allow')
    } finally {
      await s.close()
    }
  }, 60_000)

  test("expose code: search_tools, describe_tools, run_code, orchestrator_status", async () => {
    const s = await start({ servers: f.servers, toolsets }, ["--toolset", "coder"])
    try {
      const tools = (await s.client.listTools()).tools
      expect(tools.map((t) => t.name).sort()).toEqual(META_CODE)
      // run_code's description names the toolset's tools, not the others
      const desc = tools.find((t) => t.name === "run_code")!.description ?? ""
      expect(desc).toContain("memory__read_graph")
      expect(desc).not.toContain("everything__")
      expect(desc).not.toContain("memory__delete_entities")
      // a script calling a tool the toolset leaves out is told which rule, as call_tool is
      const out = await s.client.callTool({ name: "run_code", arguments: { code: 'return await tools.everything__echo({ message: "x" })' } })
      const text = JSON.stringify(out)
      expect(text).toContain('tool \\"everything__echo\\" is not in toolset \\"coder\\": left out by toolsets.coder')
      expect(text).not.toContain("is not reachable from run_code")
    } finally {
      await s.close()
    }
  }, 60_000)

  test("proxy.expose: search without toolsets lists the meta-tools only", async () => {
    const s = await start({ servers: f.servers, proxy: { expose: "search" } })
    try {
      expect((await names(s.client)).sort()).toEqual(META_SEARCH)
      // a meta-tool this mode leaves out is named as such, not as an unknown tool or a toolset rule
      const err = await s.client.callTool({ name: "run_code", arguments: { code: "return 1" } }).catch((e: Error) => e)
      expect((err as Error).message).toContain("run_code is not offered on this connection (proxy.expose, or its toolset's expose, leaves it out)")
      // QA 13: and what to use instead, not "list the tools" (a model cannot list again mid-conversation)
      expect((err as Error).message).toEndWith('; call tools one at a time with call_tool instead ({ name: "server__tool", arguments })')
    } finally {
      await s.close()
    }
  }, 60_000)

  test("proxy.expose: code: call_tool, left out, points at run_code (QA 13)", async () => {
    const s = await start({ servers: f.servers, proxy: { expose: "code" } })
    try {
      const err = await s.client.callTool({ name: "call_tool", arguments: { name: "memory__read_graph", arguments: {} } }).catch((e: Error) => e)
      expect((err as Error).message).toBe(`MCP error -32602: call_tool is not offered on this connection (proxy.expose, or its toolset's expose, leaves it out); call tools from run_code instead (code: return await tools["server__tool"](args))`)
    } finally {
      await s.close()
    }
  }, 60_000)

  test("an unknown toolset exits 2 naming it and the toolsets that exist", async () => {
    await ensureBuilt()
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "config.json")
    writeFileSync(cfg, JSON.stringify({ servers: f.servers, toolsets, toolkit: { enabled: "off" } }))
    const p = Bun.spawn([BIN, "serve", "--config", cfg, "--toolset", "nope"], { env, cwd: env.HOME, stdin: "pipe", stdout: "pipe", stderr: "pipe" })
    p.stdin.end()
    const code = await p.exited
    const err = await new Response(p.stderr).text()
    expect(code).toBe(2)
    expect(err).toContain('unknown toolset "nope" (flag --toolset); toolsets in the config: coder, mem, readonly')
  }, 30_000)

  test("a toolset naming an unknown server is a config error (exit 2)", async () => {
    await ensureBuilt()
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "config.json")
    writeFileSync(cfg, JSON.stringify({ servers: f.servers, toolsets: { bad: { servers: ["memroy"] } }, toolkit: { enabled: "off" } }))
    const p = Bun.spawn([BIN, "serve", "--config", cfg], { env, cwd: env.HOME, stdin: "pipe", stdout: "pipe", stderr: "pipe" })
    p.stdin.end()
    expect(await p.exited).toBe(2)
    expect(await new Response(p.stderr).text()).toContain('toolsets.bad.servers.0')
  }, 30_000)
})

describe("HTTP: /mcp/t/<name>", () => {
  const TOKEN = "surface-token-" + crypto.randomUUID()
  let proc: Bun.Subprocess<"ignore", "ignore", "pipe">
  let base = ""
  const clients: Client[] = []

  beforeAll(async () => {
    await ensureBuilt()
    const env = sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN })
    const cfg = join(env.HOME!, "config.json")
    writeFileSync(cfg, JSON.stringify({ servers: f.servers, toolsets, toolkit: { enabled: "off" }, plugins: { enabled: false }, cache: { enabled: false } }))
    const started = await startHttpBinary(cfg, env)
    proc = started.proc
    const url = started.url
    base = url.replace(/\/mcp$/, "")
  }, 60_000)

  afterAll(async () => {
    for (const c of clients) await c.close().catch(() => {})
    proc?.kill("SIGTERM")
    await proc?.exited
  })

  async function connect(path: string): Promise<Client> {
    const transport = new StreamableHTTPClientTransport(new URL(base + path), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } })
    const client = new Client({ name: "surface-http", version: "1.0.0" }, { capabilities: {} })
    await client.connect(transport)
    clients.push(client)
    return client
  }

  test("each path serves its own surface from one process", async () => {
    const all = await connect("/mcp")
    const mem = await connect("/mcp/t/mem")
    const ro = await connect("/mcp/t/readonly")
    const allNames = await names(all)
    expect(allNames).toContain("everything__echo")
    expect(allNames).toContain("fs__list_directory")
    const memNames = (await names(mem)).filter((n) => n.includes("__"))
    expect(memNames.length).toBeGreaterThan(5)
    for (const n of memNames) expect(n).toMatch(/^memory__/)
    expect((await names(ro)).sort()).toEqual(META_SEARCH)
    expect(text(await call(ro, "call_tool", { name: "everything__echo", arguments: { message: "via http" } }))).toBe("Echo: via http")
  }, 60_000)

  test("an unknown toolset is a 404 naming it and the ones that exist; no token is a 401", async () => {
    const r = await fetch(`${base}/mcp/t/nope`, { method: "POST", headers: { Authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json, text/event-stream" }, body: "{}" })
    expect(r.status).toBe(404)
    expect(((await r.json()) as { message: string }).message).toBe('unknown toolset "nope"; toolsets in the config: coder, mem, readonly')
    const noAuth = await fetch(`${base}/mcp/t/mem`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })
    expect(noAuth.status).toBe(401)
  })
})
