/**
 * @module test/plugins/contract
 * Every hook through a PluginHost: the three example plugins from plugins/, composition of several
 * plugins (order, chained routes, first deny, piped tool filters, prompt clashes), and the parser
 * override used by the Toolkit driver's real ParserRegistry on an NDJSON fixture.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ProtocolError, PluginError, silentLogger } from "../../src/core/index.ts"
import { ParserRegistry, ServerListSchema } from "../../src/docker/index.ts"
import { BUILTIN_PROMPTS, PluginHost, lazyProxyHooks } from "../../src/plugin/index.ts"
import type { ProxyHooks } from "../../src/proxy/index.ts"

const ROOT = join(import.meta.dir, "..", "..")
const EXAMPLES = join(ROOT, "plugins")
/** A route decision names the plugin with the file and line of its route hook (for the errors that blame it). */
const ROUTE_RULES = `route-rules (${join(EXAMPLES, "route-rules.ts")}:48)`
const NDJSON = readFileSync(join(ROOT, "test", "fixtures", "plugins", "server-ls.ndjson"), "utf8")
const tool = (name: string, description = "d") => ({ name, description, inputSchema: { type: "object" as const } })

let host: PluginHost
beforeAll(async () => {
  host = await PluginHost.create({ dirs: [EXAMPLES], log: silentLogger })
})
afterAll(async () => {
  await host[Symbol.asyncDispose]()
})

describe("example plugins", () => {
  test("all three load, in file-name order, types.d.ts skipped", () => {
    const list = host.list()
    expect(list.map((p) => [p.name, p.state])).toEqual([
      ["ndjson-servers", "active"],
      ["prompt-pack", "active"],
      ["route-rules", "active"],
    ])
    expect(list.map((p) => p.hooks)).toEqual([["parse"], ["prompt"], ["route", "tools"]])
    expect(host.hasRoute).toBe(true)
    expect(host.hasToolsFilter).toBe(true)
  })

  test("prompts/list: built-ins first, then plugin prompts", () => {
    expect(host.listPrompts().map((p) => p.name)).toEqual([...BUILTIN_PROMPTS.map((p) => p.name), "review_diff", "write_commit_message", "explain_error"])
    const commit = host.listPrompts().find((p) => p.name === "write_commit_message")
    expect(commit?.arguments).toEqual([
      { name: "summary", description: "What changed and why, in your words.", required: true },
      { name: "scope", description: "Conventional-commit scope (optional)." },
    ])
  })

  test("prompts/get renders a plugin prompt (string and message forms) as MCP GetPromptResult", async () => {
    const r = await host.getPrompt("write_commit_message", { summary: "fix the parser", scope: "docker" })
    expect(r).toEqual({
      description: "Conventional commit message for a change you summarize.",
      messages: [{ role: "user", content: { type: "text", text: expect.stringContaining("type(docker): subject") } }],
    })
    expect(r?.messages[0]?.content.text).toEndWith("fix the parser")
    const e = await host.getPrompt("explain_error", { error: "ENOENT" })
    expect(e?.messages.map((m) => m.role)).toEqual(["user", "assistant"])
  })

  test("prompts/get of a built-in prompt", async () => {
    const r = await host.getPrompt("enable_server_for_task", { task: "search GitHub issues" })
    expect(r?.messages[0]?.content.text).toStartWith("I need to: search GitHub issues\n")
    expect(r?.messages[0]?.content.text).toContain("orchestrator_status")
  })

  test("prompt arguments are validated: missing, unknown, non-string", async () => {
    const missing = await host.getPrompt("write_commit_message", {}).catch((e: unknown) => e)
    expect(missing).toBeInstanceOf(ProtocolError)
    expect((missing as ProtocolError).rpcCode).toBe(-32602)
    expect((missing as Error).message).toBe('Prompt "write_commit_message": missing required argument "summary" (What changed and why, in your words.). Arguments: summary, scope?.')
    const unknown = await host.getPrompt("find_tool", { need: "x", nede: "y" }).catch((e: unknown) => e)
    expect((unknown as Error).message).toContain('unknown argument "nede"')
    const nonString = await host.getPrompt("find_tool", { need: 5 }).catch((e: unknown) => e)
    expect((nonString as Error).message).toContain('argument "need" must be a string')
    expect(await host.getPrompt("no_such_prompt", {})).toBeUndefined()
  })

  test("route: alias, deny, default args, no opinion", async () => {
    expect(await host.route({ server: "everything", tool: "sum", args: { a: 1, b: 2 } })).toEqual({ server: "everything", tool: "get-sum", args: { a: 1, b: 2 }, by: ROUTE_RULES })
    expect(await host.route({ server: "everything", tool: "get-env", args: {} })).toEqual({ deny: "get-env prints the server's environment, which may hold secrets [plugin route-rules]" })
    expect(await host.route({ server: "memory", tool: "delete_entities", args: {} })).toEqual({ deny: "destructive tool delete_entities is disabled by policy [plugin route-rules]" })
    expect(await host.route({ server: "fs", tool: "cat", args: { path: "/a" } })).toEqual({ server: "fs", tool: "read_text_file", args: { head: 200, path: "/a" }, by: ROUTE_RULES })
    expect(await host.route({ server: "fs", tool: "read_text_file", args: { path: "/a", head: 5 } })).toBeUndefined()
    expect(await host.route({ server: "everything", tool: "echo", args: { message: "hi" } })).toBeUndefined()
  })

  test("tools filter hides denied tools and keeps the rest untouched", async () => {
    const out = await host.filterTools([tool("everything__echo"), tool("everything__get-env"), tool("memory__delete_entities"), tool("memory__read_graph")])
    expect(out).toEqual([tool("everything__echo"), tool("memory__read_graph")])
  })

  test("parser override: the NDJSON fixture parses to the driver's normalized server list", async () => {
    const ov = host.parserOverride("servers")
    expect(ov?.plugin).toBe("ndjson-servers")
    expect(host.parserOverride("catalog")).toBeUndefined()
    const ctx = { version: "v0.50.0", era: "legacy", command: "docker mcp server ls --format ndjson" }
    const value = await ov!.parseAsync(NDJSON, ctx)
    expect(ServerListSchema.parse(value)).toEqual([
      { name: "github-official", description: "Official GitHub MCP Server, by GitHub. Provides seamless integration with GitHub APIs.", secrets: "done", config: "none", oauth: "required" },
      { name: "duckduckgo", description: "A Model Context Protocol (MCP) server that provides web search capabilities through DuckDuckGo.", secrets: "none", config: "none", oauth: "none" },
      { name: "postgres", title: "PostgreSQL read-only", description: "Connect with read-only access to PostgreSQL databases.", secrets: "partial", config: "required", oauth: "none", profile: "work" },
    ])
    expect(ov!.parse(NDJSON, ctx)).toEqual(value)
  })

  test("parser override through the Toolkit ParserRegistry: NDJSON handled by the plugin, JSON falls back to the built-in parser", () => {
    const reg = new ParserRegistry()
    const ov = host.parserOverride("servers")!
    reg.setOverride("servers", ov.parse, ov.owner)
    expect(reg.parse("servers", NDJSON, { command: "docker mcp server ls --format ndjson" }).map((s) => s.name)).toEqual(["github-official", "duckduckgo", "postgres"])
    expect(reg.parse("servers", '["duckduckgo"]', { era: "legacy" }).map((s) => s.name)).toEqual(["duckduckgo"])
    const bad = (() => {
      try {
        return reg.parse("servers", '{"Name":"x"}\n{"Nope":1}\n', {})
      } catch (e) {
        return e as Error
      }
    })()
    expect(bad).toBeInstanceOf(Error)
    expect((bad as Error).message).toContain("ndjson-servers")
    expect((bad as Error).message).toContain('line 2 has no \\"Name\\"'.replace(/\\"/g, '"'))
  })
})

describe("bindParsers keeps the driver's registry in step", () => {
  test("installs the NDJSON override, follows a reload that removes it, and unbinds", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mcpo-bind-"))
    writeFileSync(join(dir, "ndjson-servers.ts"), readFileSync(join(EXAMPLES, "ndjson-servers.ts"), "utf8"))
    await using h = await PluginHost.create({ dirs: [dir], log: silentLogger })
    const reg = new ParserRegistry()
    const unbind = h.bindParsers(reg)
    expect((await reg.parseAsync("servers", NDJSON)).map((s) => s.name)).toEqual(["github-official", "duckduckgo", "postgres"])
    // the override it installs answers off this thread: a synchronous caller is told to use parseAsync
    expect(() => reg.parse("servers", NDJSON)).toThrow(/answers asynchronously; this caller needs parseAsync/)
    unlinkSync(join(dir, "ndjson-servers.ts"))
    await h.reload()
    expect(reg.parseAsync("servers", NDJSON)).rejects.toThrow(/Cannot parse the output/)
    writeFileSync(join(dir, "ndjson-servers.ts"), readFileSync(join(EXAMPLES, "ndjson-servers.ts"), "utf8"))
    await h.reload()
    expect(await reg.parseAsync("servers", NDJSON)).toHaveLength(3)
    unbind()
    expect(reg.parseAsync("servers", NDJSON)).rejects.toThrow(/Cannot parse the output/)
    rmSync(dir, { recursive: true, force: true })
  })

  test("a parser plugin that runs to its deadline does not stall this thread: timers keep firing while it parses", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mcpo-bind-slow-"))
    writeFileSync(join(dir, "slow-parser.js"), `export default { name: "slow-parser", parsers: { servers(text) { const end = Date.now() + 600; while (Date.now() < end) {} return [] } } }`)
    await using h = await PluginHost.create({ dirs: [dir], log: silentLogger })
    const reg = new ParserRegistry()
    const unbind = h.bindParsers(reg)
    let ticks = 0
    const t = setInterval(() => ticks++, 20)
    try {
      expect(await reg.parseAsync("servers", "[]")).toEqual([])
    } finally {
      clearInterval(t)
      unbind()
    }
    // a blocked thread would have run none of them until the parse returned
    expect(ticks).toBeGreaterThanOrEqual(5)
    rmSync(dir, { recursive: true, force: true })
  })
})

describe("composition of several plugins", () => {
  let dir: string
  let multi: PluginHost
  const write = (name: string, body: string) => writeFileSync(join(dir, name), body)

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mcpo-compose-"))
    write("10-rename.js", `export default { name: "rename", route(c) { return c.tool === "a" ? { tool: "b", args: { ...c.args, by: [...(c.args.by ?? []), "rename"] } } : undefined },
      tools(ts) { return ts.map((t) => ({ ...t, description: t.description + " +rename" })) },
      prompts: [{ name: "shared", description: "from rename", render: () => "rename" }] }`)
    write("20-move.ts", `export default { name: "move", route(c: { tool: string; server: string; args: Record<string, unknown> }) { return c.tool === "b" ? { server: "other", args: { ...c.args, by: [...((c.args.by as string[]) ?? []), "move"] } } : undefined },
      tools(ts: Array<{ name: string }>) { return ts.filter((t) => t.name !== "s__hidden") } }`)
    write("30-deny.js", `export default { name: "deny", route(c) { if (c.server === "other") return { deny: "no other" }; if (c.tool === "x") return { deny: "no x" } },
      prompts: [{ name: "shared", description: "from deny", render: () => "deny" }] }`)
    write("40-late.js", `export default { name: "late", route(c) { if (c.tool === "x") return { deny: "late says no" }; return { args: { ...c.args, late: true } } } }`)
    write("50-dup.js", `export default { name: "rename", prompts: [{ name: "dup", render: () => "x" }] }`)
    write("README.md", "not a plugin")
    multi = await PluginHost.create({ dirs: [dir], log: silentLogger, builtinPrompts: false })
  })
  afterAll(async () => {
    await multi[Symbol.asyncDispose]()
    rmSync(dir, { recursive: true, force: true })
  })

  test("route hooks chain in file-name order; each sees the previous rewrite", async () => {
    expect(await multi.route({ server: "s", tool: "a", args: {} })).toEqual({ deny: "no other [plugin deny]" })
    expect(await multi.route({ server: "s", tool: "q", args: { k: 1 } })).toEqual({ server: "s", tool: "q", args: { k: 1, late: true } })
  })

  test("the first deny wins and ends the chain", async () => {
    expect(await multi.route({ server: "s", tool: "x", args: {} })).toEqual({ deny: "no x [plugin deny]" })
  })

  test("tools filters are piped in order", async () => {
    const out = await multi.filterTools([tool("s__one", "one"), tool("s__hidden", "h")])
    expect(out).toEqual([tool("s__one", "one +rename")])
  })

  test("prompt name clash: the first plugin in order wins", async () => {
    expect(multi.listPrompts().map((p) => [p.name, p.description])).toEqual([["shared", "from rename"]])
    expect((await multi.getPrompt("shared"))?.messages[0]?.content.text).toBe("rename")
  })

  test("a second plugin with a taken name fails with an error naming both files", () => {
    const dup = multi.list().find((p) => p.file.endsWith("50-dup.js"))
    expect(dup?.state).toBe("failed")
    expect(dup?.lastError).toContain('plugin name "rename" is already used by')
    expect(dup?.lastError).toContain("10-rename.js")
  })

  test("a faulting route hook fails the call (fail closed) with a PluginError naming plugin and hook", async () => {
    write("05-broken.js", `export default { name: "broken", route(c) { if (c.tool === "boom") throw new TypeError("bad input") } }`)
    await multi.reload()
    const err = await multi.route({ server: "s", tool: "boom", args: {} }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PluginError)
    expect((err as PluginError).message).toBe(`Plugin "broken" (${join(dir, "05-broken.js")}:1:87) failed in hook route: TypeError: bad input`)
    expect(await multi.route({ server: "s", tool: "q", args: {} })).toEqual({ server: "s", tool: "q", args: { late: true } })
  })

  test("once the first owner of a name is gone, the duplicate loads on the next reload", async () => {
    unlinkSync(join(dir, "10-rename.js"))
    await multi.reload()
    const dup = multi.list().find((p) => p.file.endsWith("50-dup.js"))
    expect(dup?.state).toBe("active")
    expect(multi.listPrompts().map((p) => p.name)).toEqual(["shared", "dup"])
  })
})

describe("zero cost without route or tools hooks", () => {
  test("a host with only prompt plugins reports hasRoute/hasToolsFilter false and passes lists through", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mcpo-noroute-"))
    writeFileSync(join(dir, "p.js"), `export default { name: "p", prompts: [{ name: "hello", render: () => "hi" }] }`)
    await using h = await PluginHost.create({ dirs: [dir, join(dir, "missing")], log: silentLogger })
    expect(h.hasRoute).toBe(false)
    expect(h.hasToolsFilter).toBe(false)
    const tools = [tool("a__b")]
    expect(await h.filterTools(tools)).toBe(tools)
    expect(await h.route({ server: "a", tool: "b", args: {} })).toBeUndefined()
    // the proxy's seam: hooks read as undefined, so its fast path stays on
    const hooks: ProxyHooks = h.proxyHooks()
    expect(hooks.route).toBeUndefined()
    expect(hooks.filterTools).toBeUndefined()
    rmSync(dir, { recursive: true, force: true })
  })

  test("proxyHooks follow hot changes: present while a route plugin is active", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mcpo-hooks-"))
    await using h = await PluginHost.create({ dirs: [dir], log: silentLogger })
    const hooks: ProxyHooks = h.proxyHooks()
    expect(hooks.route).toBeUndefined()
    writeFileSync(join(dir, "r.js"), `export default { name: "r", route(c) { return { deny: "no " + c.tool } }, tools(ts) { return ts.slice(1) } }`)
    await h.reload()
    expect(await hooks.route!({ server: "s", tool: "t", args: {} })).toEqual({ deny: "no t [plugin r]" })
    expect(await hooks.filterTools!([tool("a__x"), tool("a__y")])).toEqual([tool("a__y")])
    rmSync(dir, { recursive: true, force: true })
  })
})

describe("open, then load in the background", () => {
  test("built-in prompts at once; plugin prompts and hooks after reload, announced by a change event", async () => {
    await using h = PluginHost.open({ dirs: [EXAMPLES], log: silentLogger })
    expect(h.listPrompts().map((p) => p.name)).toEqual(BUILTIN_PROMPTS.map((p) => p.name))
    expect(h.hasRoute).toBe(false)
    const events: Array<{ prompts: boolean; route: boolean }> = []
    h.onChange((e) => events.push({ prompts: e.prompts, route: e.route }))
    await h.reload()
    expect(events).toEqual([{ prompts: true, route: true }])
    expect(h.hasRoute).toBe(true)
    expect(h.listPrompts()).toHaveLength(BUILTIN_PROMPTS.length + 3)
  })
})

describe("lazy hooks (the host loads after the proxy exists)", () => {
  test("undefined until the host is there, then the host's hooks", async () => {
    let late: PluginHost | undefined
    const hooks: ProxyHooks = lazyProxyHooks(() => late)
    expect(hooks.route).toBeUndefined()
    expect(hooks.filterTools).toBeUndefined()
    late = host
    expect(await hooks.route!({ server: "everything", tool: "get-env", args: {} })).toEqual({ deny: expect.stringContaining("get-env") })
    expect((await hooks.filterTools!([tool("everything__get-env")])).length).toBe(0)
  })
})

describe("names the proxy could not resolve", () => {
  test("with the separator set, an unresolved exposed name is split for the route hooks (aliases)", async () => {
    await using h = await PluginHost.create({ dirs: [EXAMPLES], log: silentLogger, separator: "__" })
    expect(await h.route({ server: "", tool: "everything__sum", args: { a: 1, b: 2 } })).toEqual({ server: "everything", tool: "get-sum", args: { a: 1, b: 2 }, by: ROUTE_RULES })
    expect(await h.route({ server: "", tool: "everything__nothing", args: {} })).toBeUndefined()
  })
})
