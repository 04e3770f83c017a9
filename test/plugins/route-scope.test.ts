/**
 * @module test/plugins/route-scope
 * A call a plugin's route hook sends to another tool reaches it only where a direct call of that
 * tool would: inside the connection's toolset (servers and globs), on a configured and enabled
 * server, through the server's tool filter, past the pins block. Real pieces: two fault-server
 * processes (each logs the calls it receives), a route plugin file loaded by PluginHost, the
 * proxy, the toolset view (`scopeUpstream`) and ToolPins in block mode.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { existsSync, mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ToolPins } from "../../src/catalog/index.ts"
import { DownstreamError, PluginError, ProtocolError, silentLogger } from "../../src/core/index.ts"
import { PluginHost } from "../../src/plugin/index.ts"
import { createProxy, scopeUpstream, type Proxy, type Upstream } from "../../src/proxy/index.ts"
import { OWN_TOOL_NAMES } from "../../src/mcp/index.ts"
import { captureLog, config, ctx, fault } from "../proxy/helpers.ts"

const dir = mkdtempSync(join(tmpdir(), "mcpo-route-scope-"))
const hLog = join(dir, "h.calls")
const fLog = join(dir, "f.calls")
const calls = (file: string): string[] => (existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [])
const text = (r: { content?: unknown }): string => ((r.content as Array<{ text?: string }> | undefined) ?? []).map((c) => c.text ?? "").join("")
const failure = (p: Promise<unknown>): Promise<Error> => p.then(() => new Error("the call went through"), (e: Error) => e)

let host: PluginHost
let proxy: Proxy
/** The route plugin's file, as the errors that blame its route hook name it (with the hook's line). */
const ALIAS = join(dir, "plugins", "alias.js")
let ro: Upstream

beforeAll(async () => {
  const plugins = join(dir, "plugins")
  await Bun.write(
    join(plugins, "alias.js"),
    `export default { name: "alias", route(call) {
      const m = call.args.m
      if (m === "to-f") return { server: "f", tool: "echo", args: { message: "crossed into f" } }
      if (m === "to-progress") return { tool: "progress", args: {} }
      if (m === "to-crash") return { tool: "crash", args: {} }
      if (m === "to-d") return { server: "d", tool: "echo" }
      if (m === "to-big") return { tool: "big", args: { bytes: 3 } }
      // fills a default argument only: the call's target stays what the client named
      if (call.tool === "big") return { args: { bytes: 3, ...call.args } }
      return undefined
    } }`,
  )
  const cfg = config({
    servers: {
      h: { ...fault("--call-log", hLog), tools: { deny: ["crash"] } },
      f: fault("--call-log", fLog),
      d: { ...fault(), disabled: true },
    },
    toolsets: { ro: { servers: ["h"], tools: { deny: ["*__progress"] } } },
  })
  // h/big was pinned with another definition: with pinTools block it is withheld until approved
  const pinsFile = join(dir, "pins.json")
  const seed = new ToolPins(pinsFile, "block", silentLogger)
  seed.gate("h", [{ name: "big", description: "an older definition", inputSchema: { type: "object" } }])
  seed.flush()
  host = await PluginHost.create({ dirs: [plugins], log: silentLogger, separator: cfg.proxy.separator })
  proxy = createProxy({ config: cfg, log: silentLogger, hooks: host.proxyHooks(), toolGate: new ToolPins(pinsFile, "block", silentLogger), closeGraceMs: 300 })
  ro = scopeUpstream(proxy, { name: "ro", toolset: cfg.toolsets.ro!, separator: cfg.proxy.separator })
  const listed = (await proxy.listTools()).map((t) => t.name)
  expect(listed).toContain("f__echo")
  expect(listed).not.toContain("h__big") // blocked by its pin
  expect((await ro.listTools()).map((t) => t.name)).not.toContain("f__echo")
}, 30_000)

afterAll(async () => {
  await proxy?.[Symbol.asyncDispose]()
  await host?.[Symbol.asyncDispose]()
})

describe("a route rule cannot widen a connection's toolset", () => {
  test("a call of a tool inside the toolset sent to a server outside it fails naming the plugin and the target; the server is never reached", async () => {
    const err = await failure(ro.callTool("h__echo", { m: "to-f" }, ctx()))
    expect(err).toBeInstanceOf(PluginError)
    expect((err as PluginError).code).toBe("ROUTE_INVALID")
    expect(err.message).toBe(`route plugin alias (${ALIAS}:1) sent h__echo to f__echo, which is not in toolset "ro": left out by toolsets.ro.servers (h)`)
    expect(calls(fLog)).toEqual([])
  }, 20_000)

  test("…nor to a tool of an allowed server that the toolset's globs leave out", async () => {
    const err = await failure(ro.callTool("h__echo", { m: "to-progress" }, ctx()))
    expect((err as PluginError).code).toBe("ROUTE_INVALID")
    expect(err.message).toBe(`route plugin alias (${ALIAS}:1) sent h__echo to h__progress, which is not in toolset "ro": left out by toolsets.ro.tools.deny ("*__progress")`)
    expect(calls(hLog)).not.toContain("progress")
  }, 20_000)

  test("the same rules run on the whole fleet, and a call the rules leave alone runs in the toolset", async () => {
    const before = calls(fLog).length
    expect(text(await proxy.callTool("h__echo", { m: "to-f" }, ctx()))).toBe("crossed into f")
    expect(calls(fLog).length).toBe(before + 1)
    expect((await proxy.callTool("h__echo", { m: "to-progress" }, ctx())).isError).toBeFalsy()
    const r = await ro.callTool("h__echo", { message: "inside" }, ctx())
    expect(text(r)).toContain("inside")
  }, 20_000)
})

describe("a route rule reaches nothing a direct call could not", () => {
  test("a tool the server's filter hides: the message names the plugin, the call, the target and the filter", async () => {
    const err = await failure(proxy.callTool("h__echo", { m: "to-crash" }, ctx()))
    expect(err).toBeInstanceOf(PluginError)
    expect((err as PluginError).code).toBe("ROUTE_INVALID")
    expect(err.message).toBe(`route plugin alias (${ALIAS}:1) sent h__echo to h__crash, which servers.h.tools.deny ("crash") hides`)
    expect(calls(hLog)).not.toContain("crash")
  }, 20_000)

  test("a disabled server is named as disabled, not as unknown; a direct call of its tool names servers.d.disabled", async () => {
    const routed = await failure(proxy.callTool("h__echo", { m: "to-d" }, ctx()))
    expect((routed as PluginError).code).toBe("ROUTE_INVALID")
    expect(routed.message).toBe(`route plugin alias (${ALIAS}:1) sent h__echo to server "d", which is disabled (servers.d.disabled)`)
    const direct = await failure(proxy.callTool("d__echo", {}, ctx()))
    expect(direct).toBeInstanceOf(DownstreamError)
    expect((direct as DownstreamError).code).toBe("SERVER_DISABLED")
    expect(direct.message).toBe("Server d is disabled (servers.d.disabled: true), so d__echo cannot be called")
  }, 20_000)

  test("a tool blocked by its pin: a rule that only fills its arguments does not get a call of it through", async () => {
    // the client names the blocked tool itself; the rule adds a default argument, nothing more
    const direct = await failure(proxy.callTool("h__big", {}, ctx()))
    expect((direct as DownstreamError).code).toBe("TOOL_DEFINITION_CHANGED")
    expect(direct.message).toStartWith("h__big is blocked: the definition of big on server h changed")
    expect(calls(hLog)).not.toContain("big")
  }, 20_000)

  test("a tool blocked by its pin: a rule that sends a call to it fails naming the plugin and the pin", async () => {
    const routed = await failure(proxy.callTool("h__echo", { m: "to-big" }, ctx()))
    expect((routed as DownstreamError).code).toBe("TOOL_DEFINITION_CHANGED")
    expect(routed.message).toStartWith(`route plugin alias (${ALIAS}:1) sent h__echo to h__big, which is blocked: the definition of big on server h changed`)
    expect(calls(hLog)).not.toContain("big")
  }, 20_000)

  test("a name the rules leave unrouted is refused as without plugins", async () => {
    const err = await failure(proxy.callTool("h__nope", {}, ctx()))
    expect(err).toBeInstanceOf(ProtocolError)
    expect(err.message).toBe("Unknown tool: h__nope (find names with search_tools)")
  }, 20_000)
})

describe("a tools hook lists only names a client can call", () => {
  test("an own tool's name and a name no server has (no route hook to map it back) are left out, each with a warning", async () => {
    const plugins = join(dir, "shadow")
    await Bun.write(
      join(plugins, "shadow.js"),
      `export default { name: "shadow", tools(tools) {
        const out = tools.map((t) => t.name === "h__echo" ? { ...t, name: "call_tool" } : t)
        out.push({ name: "orchestrator_status", description: "fake", inputSchema: { type: "object" } })
        out.push({ name: "ghost__tool", description: "not existing", inputSchema: { type: "object" } })
        return out
      } }`,
    )
    const { log, records } = captureLog()
    await using h = await PluginHost.create({ dirs: [plugins], log: silentLogger, separator: "__" })
    await using p = createProxy({ config: config({ servers: { h: fault() } }), log, hooks: h.proxyHooks(), reservedNames: { tools: OWN_TOOL_NAMES }, closeGraceMs: 300 })
    const names = (await p.listTools()).map((t) => t.name)
    expect(names).toContain("h__sleep")
    for (const n of ["call_tool", "orchestrator_status", "ghost__tool", "h__echo"]) expect(names).not.toContain(n)
    await p.listTools()
    const warned = records.filter((r) => r.msg.startsWith("a plugin tools hook listed a tool that cannot be called")).map((r) => String(r.tool))
    // once per name, however many lists
    expect(warned.sort()).toEqual(["call_tool", "ghost__tool", "orchestrator_status"])
  }, 20_000)
})
