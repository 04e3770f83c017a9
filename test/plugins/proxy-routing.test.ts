/**
 * @module test/plugins/proxy-routing
 * The example routing plugin wired into the real proxy (`createProxy`, hooks from PluginHost) in
 * front of a real downstream (@modelcontextprotocol/server-everything over stdio): an alias is
 * routed to the real tool, a denied tool never reaches the server, the tool list is filtered.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { ConfigSchema } from "../../src/config/index.ts"
import { PluginError, silentLogger } from "../../src/core/index.ts"
import { PluginHost } from "../../src/plugin/index.ts"
import { createProxy, type CallContext, type Proxy } from "../../src/proxy/index.ts"

const ROOT = join(import.meta.dir, "..", "..")
const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")

const ctx = (): CallContext => ({ signal: new AbortController().signal, notify: async () => {} })
const text = (r: { content?: unknown }): string => ((r.content as Array<{ type: string; text?: string }> | undefined) ?? []).map((c) => c.text ?? "").join("")

let host: PluginHost
let proxy: Proxy

beforeAll(async () => {
  const config = ConfigSchema.parse({ servers: { everything: { command: "node", args: [EVERYTHING, "stdio"] } } })
  host = await PluginHost.create({ dirs: [join(ROOT, "plugins")], log: silentLogger, separator: config.proxy.separator })
  proxy = createProxy({ config, log: silentLogger, hooks: host.proxyHooks(), closeGraceMs: 300 })
})

afterAll(async () => {
  await proxy[Symbol.asyncDispose]()
  await host[Symbol.asyncDispose]()
})

describe("routing plugin in front of a real downstream", () => {
  test("tools/list goes through the tools hook: get-env is hidden, echo and get-sum stay", async () => {
    const names = (await proxy.listTools()).map((t) => t.name)
    expect(names).toContain("everything__echo")
    expect(names).toContain("everything__get-sum")
    expect(names).not.toContain("everything__get-env")
  }, 20_000)

  test("an alias (everything__sum) is routed to the real tool get-sum", async () => {
    const r = await proxy.callTool("everything__sum", { a: 2, b: 3 }, ctx())
    expect(r.isError).toBeFalsy()
    expect(text(r)).toContain("5")
  }, 20_000)

  test("a call no rule matches passes through unchanged", async () => {
    const r = await proxy.callTool("everything__echo", { message: "through the sandbox" }, ctx())
    expect(text(r)).toContain("through the sandbox")
  }, 20_000)

  test("a denied tool fails with the plugin's reason and never reaches the server", async () => {
    const calls = proxy.status().servers.find((s) => s.name === "everything")?.calls ?? 0
    expect(calls).toBeGreaterThanOrEqual(2) // the counter does count the calls above
    const err = await proxy.callTool("everything__get-env", {}, ctx()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PluginError)
    expect((err as PluginError).message).toBe("get-env prints the server's environment, which may hold secrets [plugin route-rules]")
    expect(proxy.status().servers.find((s) => s.name === "everything")?.calls ?? 0).toBe(calls)
  }, 20_000)

  test("a call whose arguments are too large to check is refused unchecked, and the deny rule still holds after it (no fail-open)", async () => {
    const calls = proxy.status().servers.find((s) => s.name === "everything")?.calls ?? 0
    // 6 MB of JSON: decoding it in the sandbox alone outlasts the route deadline and its watchdog
    const err = await proxy.callTool("everything__get-sum", { a: 1, b: 2, x: new Array(3_000_000).fill(0) }, ctx()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PluginError)
    expect((err as PluginError).message).toMatch(/arguments are 5\.7 MiB of JSON; route plugins \(route-rules\) are given at most 1\.0 MiB \(plugins\.routeArgsLimit\)/)
    expect(host.list().find((p) => p.name === "route-rules")?.state).toBe("active")
    const env = await proxy.callTool("everything__get-env", {}, ctx()).catch((e: unknown) => e)
    expect((env as PluginError).message).toContain("[plugin route-rules]")
    expect(proxy.status().servers.find((s) => s.name === "everything")?.calls ?? 0).toBe(calls)
    // just under the limit goes through the rules and on to the server
    const r = await proxy.callTool("everything__get-sum", { a: 1, b: 2, x: "y".repeat(900_000) }, ctx())
    expect(text(r)).toContain("3")
  }, 30_000)
})

describe("a route rule that sends a call where nothing is", () => {
  test("an unknown server or a tool the server does not list fails naming the plugin, not 'Unknown tool'", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs")
    const { tmpdir } = await import("node:os")
    const dir = mkdtempSync(join(tmpdir(), "mcpo-route-bad-"))
    writeFileSync(
      join(dir, "misroute.js"),
      `export default { name: "misroute", route(c) {
        if (c.tool === "echo") return { server: "nowhere" }
        if (c.tool === "get-sum") return { tool: "no-such-tool" }
        if (c.tool === "good_alias") return { tool: "echo" }
        if (c.tool === "bad_alias") return { tool: "nothing-lists-this" }
        return undefined
      } }`,
    )
    const config = ConfigSchema.parse({ servers: { everything: { command: "node", args: [EVERYTHING, "stdio"] } } })
    await using h = await PluginHost.create({ dirs: [dir], log: silentLogger, separator: config.proxy.separator })
    await using p = createProxy({ config, log: silentLogger, hooks: h.proxyHooks(), closeGraceMs: 300 })
    await p.listTools()
    const toServer = await p.callTool("everything__echo", { message: "x" }, ctx()).catch((e: unknown) => e)
    expect(toServer).toBeInstanceOf(PluginError)
    expect((toServer as PluginError).code).toBe("ROUTE_INVALID")
    expect((toServer as PluginError).message).toBe(`route plugin misroute (${join(dir, "misroute.js")}:1) sent everything__echo to server "nowhere", which is not configured`)
    const toTool = await p.callTool("everything__get-sum", { a: 1, b: 2 }, ctx()).catch((e: unknown) => e)
    expect((toTool as PluginError).message).toBe(`route plugin misroute (${join(dir, "misroute.js")}:1) sent everything__get-sum to tool "no-such-tool" of server everything, which it does not list`)
    // a name with no server prefix that no server lists, sent on under a tool name only: the call has
    // no server (it read 'sent good_alias to server "", which is not configured')
    const noServer = await p.callTool("good_alias", { message: "x" }, ctx()).catch((e: unknown) => e)
    expect((noServer as PluginError).code).toBe("ROUTE_INVALID")
    expect((noServer as PluginError).message).toBe(`route plugin misroute (${join(dir, "misroute.js")}:1) sent good_alias to tool "echo" without naming a server: good_alias is not a listed tool, so the call has no server to keep`)
    expect((noServer as PluginError).remedy).toBe('Make the route rule name the server as well (return { server: "<server>", tool: "echo" }; a tool "echo" is listed by everything), or call a listed tool.')
    const nowhere = await p.callTool("bad_alias", {}, ctx()).catch((e: unknown) => e)
    expect((nowhere as PluginError).remedy).toContain('no server here lists a tool "nothing-lists-this"')
    // calls the rule leaves alone are not affected
    const left = await p.callTool("everything__get-tiny-image", {}, ctx())
    expect(left.isError).toBeFalsy()
  }, 30_000)
})
