/**
 * Through the compiled binary: a plugin route rule that sends a call of a tool inside a toolset to
 * a server outside it is refused on every way a call can come in (a direct tools/call, call_tool,
 * run_code, the HTTP toolset path /mcp/t/<name>), and the server outside is never reached; the
 * same rule runs on a connection without the toolset. With `proxy.separator: "_"`, a downstream
 * tool whose name would be an own tool's (`call_tool`) is listed, found and called under a
 * suffixed name. Real pieces: fault-server and named-tools-server processes, a plugin file.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { shortHash } from "../../src/catalog/index.ts"
import { connectBinary, ensureBuilt, listUntil, ROOT, sandboxEnv, startHttpBinary, type Connected, type HttpBinary } from "../helpers/binary.ts"

const FAULT = join(ROOT, "test", "fixtures", "servers", "fault-server.ts")
const NAMED = join(ROOT, "test", "fixtures", "servers", "named-tools-server.ts")
const text = (r: unknown): string => ((r as CallToolResult).content ?? []).map((c) => (c.type === "text" ? c.text : "")).join("")
// the plugin named with the file and line of its route hook (the error blames that hook)
const refusedBy = (alias: string): string => `route plugin alias (${alias}:4) sent h__echo to f__echo, which is not in toolset "ro": left out by toolsets.ro.servers (h)`

beforeAll(ensureBuilt, 120_000)

describe("a route rule cannot widen a toolset, whichever way the call comes", () => {
  const env = sandboxEnv({ MCPO_HTTP_TOKEN: `route-scope-${crypto.randomUUID()}` })
  const fLog = join(env.HOME!, "f.calls")
  const cfg = join(env.HOME!, "config.json")
  const plugins = join(env.HOME!, "plugins")
  const REFUSED = refusedBy(join(plugins, "alias.js"))
  const fCalls = (): string[] => (existsSync(fLog) ? readFileSync(fLog, "utf8").split("\n").filter(Boolean) : [])
  let c: Connected
  let http: HttpBinary | undefined
  const clients: Client[] = []

  beforeAll(async () => {
    mkdirSync(plugins)
    // the route hook on line 4: the errors that blame it name that line
    writeFileSync(join(plugins, "alias.js"), `// sends a call of h__echo to f\nexport default {\n  name: "alias",\n  route(call) { if (call.args.m === "to-f") return { server: "f", tool: "echo", args: { message: "crossed into f" } } } }`)
    writeFileSync(
      cfg,
      JSON.stringify({
        servers: { h: { command: process.execPath, args: [FAULT] }, f: { command: process.execPath, args: [FAULT, "--call-log", fLog] } },
        toolsets: { ro: { servers: ["h"] } },
        toolkit: { enabled: "off" },
        cache: { enabled: false },
      }),
    )
    c = await connectBinary(["serve", "--config", cfg, "--plugins", plugins, "--toolset", "ro"], env)
    expect(await listUntil(c.client, "h__echo")).not.toContain("f__echo")
  }, 60_000)

  afterAll(async () => {
    for (const cl of clients) await cl.close().catch(() => {})
    await c?.close()
    http?.proc.kill("SIGTERM")
    await http?.proc.exited
  })

  test("stdio --toolset ro: tools/call, call_tool and run_code are refused naming the plugin and the target", async () => {
    const direct = await c.client.callTool({ name: "h__echo", arguments: { m: "to-f" } })
    expect(direct.isError).toBe(true)
    expect(text(direct)).toContain(`[ROUTE_INVALID] ${REFUSED}`)
    const via = await c.client.callTool({ name: "call_tool", arguments: { name: "h__echo", arguments: { m: "to-f" } } })
    expect(via.isError).toBe(true)
    expect(text(via)).toContain(REFUSED)
    const code = await c.client.callTool({ name: "run_code", arguments: { code: `return await tools.h__echo({ m: "to-f" })` } })
    expect(code.isError).toBe(true)
    expect(text(code)).toContain(REFUSED)
    expect(fCalls()).toEqual([])
  }, 30_000)

  test("HTTP /mcp/t/ro: refused the same; /mcp (no toolset) runs the rule", async () => {
    http = await startHttpBinary(cfg, env, ["--plugins", plugins])
    const connect = async (path: string): Promise<Client> => {
      const t = new StreamableHTTPClientTransport(new URL(http!.url.replace(/\/mcp$/, path)), { requestInit: { headers: { Authorization: `Bearer ${env.MCPO_HTTP_TOKEN}` } } })
      const cl = new Client({ name: "route-scope", version: "1.0.0" }, { capabilities: {} })
      await cl.connect(t)
      clients.push(cl)
      return cl
    }
    const ro = await connect("/mcp/t/ro")
    await listUntil(ro, "h__echo")
    const refused = await ro.callTool({ name: "h__echo", arguments: { m: "to-f" } })
    expect(refused.isError).toBe(true)
    expect(text(refused)).toContain(REFUSED)
    expect(fCalls()).toEqual([])
    const all = await connect("/mcp")
    await listUntil(all, "f__echo")
    expect(text(await all.callTool({ name: "h__echo", arguments: { m: "to-f" } }))).toBe("crossed into f")
    expect(fCalls()).toEqual(["echo"])
  }, 60_000)
})

describe("separator _: a downstream tool named like an own tool", () => {
  test("is listed, found by search_tools and called under its suffixed name, and logged", async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "config.json")
    writeFileSync(
      cfg,
      JSON.stringify({
        servers: { call: { command: process.execPath, args: [NAMED, "--label", "call", "--tools", "tool"] }, search: { command: process.execPath, args: [NAMED, "--label", "search", "--tools", "tools"] } },
        proxy: { separator: "_" },
        toolkit: { enabled: "off" },
        cache: { enabled: false },
        plugins: { enabled: false },
      }),
    )
    // same pair, same settings, same name: `_` + 6 hex digits of the (server, tool) pair's hash
    const callTool = `call_tool_${shortHash("call\u0000tool", 1).slice(0, 6)}`
    const searchTools = `search_tools_${shortHash("search\u0000tools", 1).slice(0, 6)}`
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      const names = await listUntil(c.client, callTool)
      expect(names).toContain(callTool)
      expect(names).toContain(searchTools)
      expect(names.filter((n) => n === "call_tool" || n === "search_tools")).toEqual(["search_tools", "call_tool"])
      const found = text(await c.client.callTool({ name: "search_tools", arguments: { query: "call tool" } }))
      expect(found).toContain(callTool)
      expect(text(await c.client.callTool({ name: callTool, arguments: { x: 1 } }))).toBe('call:tool {"x":1}')
      expect(text(await c.client.callTool({ name: "call_tool", arguments: { name: searchTools, arguments: {} } }))).toBe("search:tools {}")
      expect(c.stderr()).toContain(`"msg":"tool name adjusted: it is the name of one of mcp-orchestrator's own tools","server":"call","name":"tool","exposed":"${callTool}"`)
    } finally {
      await c.close()
    }
  }, 60_000)
})
