/**
 * @module test/plugins/fault-scope
 * Inputs nobody trusted cannot switch the tools off. A route fault (arguments chosen by the model)
 * fails only its own call and never counts toward disabling the plugin; a `tools`, `prompt` or
 * `parse` hook that faults 3 times in a row (a downstream's tool list, prompt arguments, Toolkit
 * output) is turned off on its own and leaves the route hook running its rules. A watchdog kill
 * turns off the hook it killed, and only that one (test/plugins/watchdog-scope.test.ts has every
 * hook). An edit of the file resets it all. The last case drives the compiled binary with a real
 * SDK Client.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PluginError, silentLogger } from "../../src/core/index.ts"
import { MAX_CONSECUTIVE_FAULTS, PluginHost, type PluginChange, type PluginInfo } from "../../src/plugin/index.ts"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv, type Connected } from "../helpers/binary.ts"

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mcpo-scope-"))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/**
 * A policy with every hook, each written carelessly: route reads `args.path` as a string, tools reads
 * `inputSchema.properties` of every tool, the prompt upper-cases an optional argument, the parser
 * expects JSON. Line numbers matter: the route fault is on line 4.
 */
const POLICY = `export default {
  name: "policy",
  route(c) {
    if (c.tool === "read" && c.args.path.startsWith("/etc")) return { deny: "not /etc" }
    if (c.tool === "secret") return { deny: "no secrets" }
    if (c.tool === "alias") return { tool: "real" }
  },
  tools(tools) {
    return tools.filter((t) => Object.keys(t.inputSchema.properties).length < 10 && t.name !== "s__secret")
  },
  prompts: [{ name: "shout", arguments: [{ name: "text" }, { name: "suffix" }], render: (a) => a.text + a.suffix.toUpperCase() }],
  parsers: { servers: (text) => JSON.parse(text).map((s) => ({ name: s.id.trim() })) },
}
`
const call = (tool: string, args: Record<string, unknown> = {}) => ({ server: "s", tool, args })
const tool = (name: string, properties?: Record<string, unknown>) => ({ name, inputSchema: { type: "object" as const, ...(properties ? { properties } : {}) } })
/** A list a well-behaved downstream sends, and one from a downstream whose tool has no `properties`. */
const GOOD = [tool("s__read", { path: { type: "string" } }), tool("s__secret", {})]
const HOSTILE = [tool("s__read", { path: { type: "string" } }), tool("s__secret", {}), tool("s__odd")]
const CTX = { version: "1", era: undefined, command: "docker mcp server ls" }

function info(host: PluginHost): PluginInfo {
  return host.list().find((p) => p.name === "policy")!
}

async function open(code = POLICY, limits = {}): Promise<PluginHost> {
  writeFileSync(join(dir, "policy.js"), code)
  const host = await PluginHost.create({ dirs: [dir], log: silentLogger, limits })
  expect(info(host).state).toBe("active")
  return host
}

/** The rules still run: a deny by rule, a rename, no opinion. */
async function expectRulesRun(host: PluginHost): Promise<void> {
  expect(await host.route(call("secret"))).toEqual({ deny: "no secrets [plugin policy]" })
  expect(await host.route(call("alias", { x: 1 }))).toEqual({ server: "s", tool: "real", args: { x: 1 }, by: expect.stringMatching(/^policy \(.+:\d+\)$/) })
  expect(await host.route(call("read", { path: "/home/a" }))).toBeUndefined()
  expect(await host.route(call("read", { path: "/etc/passwd" }))).toEqual({ deny: "not /etc [plugin policy]" })
}

describe("route faults fail only their own call", () => {
  test("arguments chosen by the model fault route 5 times on one tool: each of those calls is refused naming plugin, file:line and the fault; every other call is still routed", async () => {
    await using host = await open()
    const file = join(dir, "policy.js")
    for (let i = 0; i < 5; i++) {
      const err = await host.route(call("read", { path: 42 + i })).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(PluginError)
      expect((err as PluginError).code).toBe("PLUGIN_FAULT")
      expect((err as PluginError).message).toBe(`Plugin "policy" (${file}:4:52) failed in hook route: TypeError: not a function`)
      expect((err as PluginError).details).toMatchObject({ plugin: "policy", file, hook: "route", line: 4 })
    }
    expect(info(host)).toMatchObject({ state: "active", faults: 5, hookFaults: { route: 5 } })
    expect(info(host).hooksOff).toBeUndefined()
    // tool B is routed by the rules, and so is tool A with well-formed arguments
    await expectRulesRun(host)
    // and the other hooks were never touched
    expect(await host.filterTools(GOOD)).toEqual([GOOD[0]!])
    expect(host.hasToolsFilter).toBe(true)
  })

  test("route faults interleaved with tools faults do not add up: two tools faults and a route fault leave every hook on", async () => {
    await using host = await open()
    await host.filterTools(HOSTILE)
    await host.route(call("read", { path: 1 })).catch(() => {})
    await host.filterTools(HOSTILE)
    await host.route(call("read", { path: 2 })).catch(() => {})
    expect(info(host)).toMatchObject({ state: "active", hookFaults: { route: 2, tools: 2 } })
    expect(info(host).hooksOff).toBeUndefined()
    expect(await host.filterTools(GOOD)).toEqual([GOOD[0]!])
    await expectRulesRun(host)
  })
})

describe("a tools, prompt or parse hook that faults 3 times in a row is turned off on its own", () => {
  test("a downstream's tool list faults the tools hook 3 times: the hook is off (change event, list unfiltered); calls are still routed by the rules, not refused", async () => {
    await using host = await open()
    const changes: PluginChange[] = []
    host.onChange((e) => void changes.push(e))
    for (let i = 0; i < MAX_CONSECUTIVE_FAULTS; i++) {
      // one fault: that list is served unfiltered, as before
      expect(await host.filterTools(HOSTILE)).toEqual(HOSTILE)
    }
    const p = info(host)
    expect(p.state).toBe("active")
    expect(p.hooksOff?.tools).toMatch(new RegExp(`^3 faults in a row; the last: Plugin "policy" \\(.*policy\\.js:9:\\d+\\) failed in hook tools: TypeError: `))
    expect(p.hooksOff?.route).toBeUndefined()
    expect(changes).toHaveLength(1)
    expect(changes[0]).toMatchObject({ tools: true, files: [join(dir, "policy.js")] })
    expect(host.hasToolsFilter).toBe(false)
    // off: not run again (no call counted), the list is served as the servers gave it
    const calls = p.calls
    expect(await host.filterTools(GOOD)).toEqual(GOOD)
    expect(info(host).calls).toBe(calls)
    // the route hook is untouched: it routes, renames and denies by its rules
    expect(host.hasRoute).toBe(true)
    await expectRulesRun(host)
    // the other hooks too
    expect((await host.getPrompt("shout", { text: "a", suffix: "b" }))?.messages[0]?.content.text).toBe("aB")
  })

  test("a good list in between resets the count: tools faults must be in a row", async () => {
    await using host = await open()
    for (let i = 0; i < 2; i++) await host.filterTools(HOSTILE)
    expect(await host.filterTools(GOOD)).toEqual([GOOD[0]!])
    for (let i = 0; i < 2; i++) await host.filterTools(HOSTILE)
    expect(info(host).hooksOff).toBeUndefined()
    expect(host.hasToolsFilter).toBe(true)
  })

  test("prompt arguments fault a render 3 times: that plugin's prompts fail with an error naming the plugin, file:line and the fault; still listed; routing goes on", async () => {
    await using host = await open()
    const file = join(dir, "policy.js")
    for (let i = 0; i < MAX_CONSECUTIVE_FAULTS; i++) {
      const err = await host.getPrompt("shout", { text: "a" }).catch((e: unknown) => e)
      expect((err as PluginError).message).toBe(`Plugin "policy" (${file}:11:113) failed in hook prompt: TypeError: cannot read property 'toUpperCase' of undefined`)
    }
    expect(info(host).state).toBe("active")
    expect(info(host).hooksOff?.prompt).toContain(`${file}:11:113) failed in hook prompt: TypeError`)
    // even well-formed arguments now get the error, until the file changes
    const err = await host.getPrompt("shout", { text: "a", suffix: "b" }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PluginError)
    expect((err as PluginError).code).toBe("PLUGIN_DISABLED")
    expect((err as PluginError).message).toBe(`Plugin "policy" (${file}:11): its prompt hook is off after 3 faults in a row, until the file changes; the last: TypeError: cannot read property 'toUpperCase' of undefined`)
    expect((err as PluginError).details).toMatchObject({ plugin: "policy", file, hook: "prompt", line: 11, off: true })
    expect(host.listPrompts().map((p) => p.name)).toContain("shout")
    await expectRulesRun(host)
    expect(await host.filterTools(GOOD)).toEqual([GOOD[0]!])
  })

  test("Toolkit output faults a parser 3 times: the parse fails naming the plugin (the override stays its); routing goes on", async () => {
    await using host = await open()
    const ov = host.parserOverride("servers")!
    expect(await ov.parseAsync(`[{"id":" a "}]`, CTX)).toEqual([{ name: "a" }])
    for (let i = 0; i < MAX_CONSECUTIVE_FAULTS; i++) {
      // (not `expect(promise).rejects`: bun:test waits for it in a nested loop that starves the worker's answer)
      const err = await ov.parseAsync(`[{"name":"b"}]`, CTX).catch((e: unknown) => e)
      expect((err as PluginError).message).toMatch(/Plugin "policy" \(.*policy\.js:12:\d+\) failed in hook parse: TypeError/)
    }
    expect(info(host).hooksOff?.parse).toContain("failed in hook parse")
    expect(host.parserOverride("servers")?.plugin).toBe("policy")
    const off = await ov.parseAsync(`[{"id":"a"}]`, CTX).catch((e: unknown) => e)
    expect((off as PluginError).message).toMatch(/Plugin "policy" \(.*policy\.js:12\): its parse hook is off after 3 faults in a row/)
    expect(() => ov.parse(`[{"id":"a"}]`, CTX)).toThrow(/its parse hook is off/)
    expect(info(host).state).toBe("active")
    await expectRulesRun(host)
  })

  test("every hook but route off at once: the plugin stays active and its route hook still decides", async () => {
    await using host = await open()
    for (let i = 0; i < MAX_CONSECUTIVE_FAULTS; i++) {
      await host.filterTools(HOSTILE)
      await host.getPrompt("shout", { text: "a" }).catch(() => {})
      await host.parserOverride("servers")!.parseAsync("not json", CTX).catch(() => {})
      await host.route(call("read", { path: i })).catch(() => {})
    }
    expect(Object.keys(info(host).hooksOff ?? {}).sort()).toEqual(["parse", "prompt", "tools"])
    expect(info(host)).toMatchObject({ state: "active", hookFaults: { route: 3, tools: 3, prompt: 3, parse: 3 }, faults: 12 })
    await expectRulesRun(host)
  })

  test("an edit of the file brings every hook back", async () => {
    await using host = await open()
    for (let i = 0; i < MAX_CONSECUTIVE_FAULTS; i++) await host.filterTools(HOSTILE)
    expect(host.hasToolsFilter).toBe(false)
    writeFileSync(join(dir, "policy.js"), POLICY.replace("< 10", "< 11"))
    await host.reload()
    expect(host.hasToolsFilter).toBe(true)
    expect(info(host)).toMatchObject({ state: "active", faults: 0 })
    expect(info(host).hooksOff).toBeUndefined()
    expect(await host.filterTools(GOOD)).toEqual([GOOD[0]!])
  })
})

describe("a watchdog kill turns off the killed hook alone", () => {
  test("a tools hook killed by the watchdog is off (hooksOff says so); its route hook keeps running the rules; an edit brings the hook back", async () => {
    const code = `const BIG = JSON.parse("[" + '"7","3","1","8","2","9","0","4","6","5",'.repeat(104857) + '"7"]')
export default {
  name: "policy",
  route(c) { if (c.tool === "secret") return { deny: "no secrets" } },
  tools(tools) { return BIG.slice().sort()[0] === -1 ? [] : tools },
}
`
    // one kill turns the hook off here (the default takes 3 within 5 min: test/plugins/watchdog-budget.test.ts)
    await using host = await open(code, { toolsDeadline: 1, memoryLimit: 512, watchdogKillsToOff: 1 })
    expect(await host.route(call("open"))).toBeUndefined()
    const tools = [tool("s__open")]
    // the kill: that list is served unfiltered, as for any tools fault
    expect(await host.filterTools(tools)).toEqual(tools)
    expect(info(host).state).toBe("active")
    expect(info(host).lastError).toMatch(/failed in hook tools: watchdog: no answer within \d+ ms/)
    expect(info(host).hooksOff).toEqual({ tools: expect.stringMatching(/^killed by the watchdog once, off until .* or the file changes: Plugin "policy" \(.*policy\.js:\d+\) failed in hook tools: watchdog: no answer within \d+ ms/) })
    expect(host.hasToolsFilter).toBe(false)
    // the rules still decide: no call refused for a kill in another hook
    expect(await host.route(call("open"))).toBeUndefined()
    expect(await host.route(call("secret"))).toEqual({ deny: "no secrets [plugin policy]" })
    writeFileSync(join(dir, "policy.js"), code.replace("=== -1", "=== -2"))
    await host.reload()
    expect(info(host)).toMatchObject({ state: "active", faults: 0 })
    expect(info(host).hooksOff).toBeUndefined()
    expect(host.hasToolsFilter).toBe(true)
    expect(await host.route(call("secret"))).toEqual({ deny: "no secrets [plugin policy]" })
  })
})

describe("through the compiled binary", () => {
  const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
  /** Route rules over server-everything: get-sum reads `a` as a number; an alias; a deny. */
  const RULES = `  route(c) {
    if (c.tool === "get-sum" && c.args.a.toFixed(0) === "13") return { deny: "unlucky" }
    if (c.tool === "say") return { tool: "echo" }
    if (c.tool === "get-env") return { deny: "no secrets" }
  },`
  /** The same, plus a tools filter written for servers whose every tool takes a "message". */
  const WITH_FILTER = `${RULES}
  tools(tools) { return tools.filter((t) => t.inputSchema.properties.message.type === "string" && !t.name.endsWith("get-env")) },`
  let c: Connected
  let pluginDir: string

  beforeAll(async () => {
    await ensureBuilt()
    const env = sandboxEnv()
    pluginDir = join(env.HOME!, "plugins")
    mkdirSync(pluginDir)
    writeFileSync(join(pluginDir, "policy.js"), `export default {\n  name: "policy",\n${RULES}\n}\n`)
    const cfg = join(env.HOME!, "config.yaml")
    writeFileSync(cfg, `toolkit:\n  enabled: "off"\nservers:\n  everything:\n    command: ${process.execPath}\n    args: ["${EVERYTHING}", "stdio"]\nwarm: [everything]\n`)
    c = await connectBinary(["serve", "--config", cfg, "--plugins", pluginDir], env)
  }, 120_000)
  afterAll(() => c?.close())

  const text = (r: unknown): string => JSON.stringify((r as { content?: unknown }).content)
  async function status(): Promise<PluginInfo> {
    const r = await c.client.callTool({ name: "orchestrator_status", arguments: {} })
    return (r.structuredContent as { plugins: PluginInfo[] }).plugins.find((p) => p.name === "policy")!
  }
  /** A call refused or failed: an error result or a JSON-RPC error, as text. */
  async function refusal(name: string, args: Record<string, unknown>): Promise<string> {
    try {
      const r = await c.client.callTool({ name, arguments: args })
      expect(r.isError).toBe(true)
      return text(r)
    } catch (e) {
      return (e as Error).message
    }
  }

  test("the model faults the route hook 5 times on get-sum: those calls are refused naming the plugin and line; say (routed to echo), get-sum and the deny rule keep working", async () => {
    expect(await refusal("everything__get-env", {})).toContain("no secrets [plugin policy]")
    for (let i = 0; i < 5; i++) {
      const why = await refusal("everything__get-sum", { a: "thirteen", b: 1 })
      expect(why).toMatch(/Plugin \\?"policy\\?" \(.*policy\.js:4:\d+\) failed in hook route: TypeError/)
    }
    const said = await c.client.callTool({ name: "everything__say", arguments: { message: "still routed" } })
    expect(said.isError).toBeFalsy()
    expect(text(said)).toContain("still routed")
    const sum = await c.client.callTool({ name: "everything__get-sum", arguments: { a: 2, b: 3 } })
    expect(sum.isError).toBeFalsy()
    expect(text(sum)).toContain("5")
    expect(await refusal("everything__get-env", {})).toContain("no secrets [plugin policy]")
    expect(await status()).toMatchObject({ state: "active", hookFaults: { route: 5 } })
  }, 60_000)

  test("a downstream's tool list faults the tools hook 3 times: the hook is off, tools/list is unfiltered, and calls are still routed by the rules, not refused", async () => {
    writeFileSync(join(pluginDir, "policy.js"), `export default {\n  name: "policy",\n${WITH_FILTER}\n}\n`)
    for (let i = 0; i < 100 && !(await status()).hooks.includes("tools"); i++) await Bun.sleep(50)
    expect((await status()).hooks).toEqual(["route", "tools"])
    for (let i = 0; i < 3 && !(await status()).hooksOff?.tools; i++) {
      const names = (await c.client.listTools()).tools.map((t) => t.name)
      expect(names).toContain("everything__get-env") // a faulting filter is skipped for that list
    }
    const p = await status()
    expect(p.state).toBe("active")
    expect(p.hooksOff?.tools).toMatch(/^3 faults in a row; the last: Plugin "policy" \(.*policy\.js:\d+:\d+\) failed in hook tools: TypeError/)
    expect(p.hooksOff?.route).toBeUndefined()
    const said = await c.client.callTool({ name: "everything__say", arguments: { message: "routed after the filter broke" } })
    expect(said.isError).toBeFalsy()
    expect(text(said)).toContain("routed after the filter broke")
    expect(await refusal("everything__get-env", {})).toContain("no secrets [plugin policy]")
    const echo = await c.client.callTool({ name: "everything__echo", arguments: { message: "plain" } })
    expect(echo.isError).toBeFalsy()
  }, 60_000)
})
