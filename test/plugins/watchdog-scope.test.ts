/**
 * @module test/plugins/watchdog-scope
 * A watchdog kill (a hook stuck in one native call past its deadline + grace) turns off the hook
 * that was killed, and only that one: the plugin's other hooks run on (its route hook above all,
 * which lives in a sandbox of its own on the route lane), and `hooksOff` says which hook is off and
 * why. Each kill is brought about by a single hostile input from whoever supplies that hook's input
 * (a downstream's tool list, a client's prompt arguments, the Toolkit's output, the model's
 * arguments), through test/fixtures/plugins/spin-on-cue.js. A killed route hook still fails closed:
 * every call is refused, naming the kill. The last case drives the compiled binary with a real SDK
 * Client, a real downstream (server-everything) and a hostile one (rug-server).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test"
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PluginError, createLogHub, createLogger, type LogRecord } from "../../src/core/index.ts"
import { PluginHost, type HookName, type PluginChange, type PluginInfo, type PluginLimits } from "../../src/plugin/index.ts"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv, type Connected } from "../helpers/binary.ts"

const SPINNER = join(import.meta.dir, "..", "fixtures", "plugins", "spin-on-cue.js")
/**
 * ≈ 0.8 s of native sort (more under load) against 50 ms + 250 ms grace: a kill every time; an
 * ordinary call takes well under 1 ms. The spinner needs far more than the default 32 MiB (its sort allocates a string per comparison).
 */
// one kill turns a hook off here (the default takes 3 within 5 min: test/plugins/watchdog-budget.test.ts)
const LIMITS: Partial<PluginLimits> = { routeDeadline: 50, toolsDeadline: 50, renderDeadline: 50, parseDeadline: 50, memoryLimit: 512, watchdogKillsToOff: 1 }
const CTX = { version: "1", era: undefined, command: "docker mcp server ls" }
const KILLED = /^killed by the watchdog once, off until \d{4}-[\dT:.-]+Z \(tried again then\) or the file changes: Plugin "spinner" \(.*\.js:\d+\) failed in hook (\w+): watchdog: no answer within \d+ ms \+ 250 ms grace; worker killed( \(after \d+ ms in all: the wait was extended while the worker had had less CPU time than a stuck one would, a busy machine\))?$/

const records: LogRecord[] = []
const hub = createLogHub("warn", () => {})
hub.sinks.add((r) => void records.push(r))
const log = createLogger(hub, "test")
const kills = (): number => records.filter((r) => r.msg === "sandbox watchdog killed the worker").length

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mcpo-kill-"))
  records.length = 0
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const call = (tool: string, args: Record<string, unknown> = {}) => ({ server: "s", tool, args })
const tool = (name: string, description?: string) => ({ name, ...(description ? { description } : {}), inputSchema: { type: "object" as const } })
const GOOD = [tool("s__read", "Reads a file."), tool("s__secret", "Prints the environment.")]
/** A downstream's list with one tool whose description is the cue. */
const HOSTILE = [...GOOD, tool("evil__x", "SPIN this")]

/** The spinner, plus a plain plugin after it on the same worker threads. */
async function open(): Promise<PluginHost> {
  copyFileSync(SPINNER, join(dir, "a-spinner.js"))
  writeFileSync(
    join(dir, "b-other.js"),
    `export default { name: "other", route(c) { if (c.tool === "other") return { deny: "other says no" } }, tools: (ts) => ts.filter((t) => t.name !== "s__read"), prompts: [{ name: "hello", render: () => "hello" }] }`,
  )
  const host = await PluginHost.create({ dirs: [dir], log, limits: LIMITS })
  expect(host.list().map((p) => `${p.name}:${p.state}`)).toEqual(["spinner:active", "other:active"])
  return host
}

function spinner(host: PluginHost): PluginInfo {
  return host.list().find((p) => p.name === "spinner")!
}

const said = async (host: PluginHost, name: string, args: Record<string, string> = {}): Promise<string | undefined> => {
  const r = await host.getPrompt(name, args)
  return r?.messages[0]?.content.type === "text" ? r.messages[0].content.text : undefined
}

/** Every hook but `except` of the spinner does its job, and so does the other plugin. */
async function expectOthersRun(host: PluginHost, except: HookName | "none"): Promise<void> {
  if (except !== "route") {
    expect(await host.route(call("secret"))).toEqual({ deny: "no secrets [plugin spinner]" })
    expect(await host.route(call("alias", { x: 1 }))).toEqual({ server: "s", tool: "real", args: { x: 1 }, by: expect.stringMatching(/^spinner \(.+:\d+\)$/) })
    expect(await host.route(call("open"))).toBeUndefined()
    expect(await host.route(call("other"))).toEqual({ deny: "other says no [plugin other]" })
  }
  if (except !== "tools") expect((await host.filterTools(GOOD)).map((t) => t.name)).toEqual([])
  else expect((await host.filterTools(GOOD)).map((t) => t.name)).toEqual(["s__secret"]) // the other plugin's filter only
  if (except !== "prompt") expect(await said(host, "say", { text: "hi" })).toBe("said: hi")
  expect(await said(host, "hello")).toBe("hello")
  if (except !== "parse") expect(await host.parserOverride("servers")!.parseAsync("a\nb\n", CTX)).toEqual([{ name: "a" }, { name: "b" }])
}

/** The hook is off because the watchdog killed it; the plugin stays active with every other hook on. */
function expectOnlyOff(host: PluginHost, hook: HookName): void {
  const p = spinner(host)
  expect(p.state).toBe("active")
  expect(Object.keys(p.hooksOff ?? {})).toEqual([hook])
  expect(p.hooksOff?.[hook]).toMatch(KILLED)
  expect(KILLED.exec(p.hooksOff?.[hook] ?? "")?.[1]).toBe(hook)
  expect(p.hookFaults).toEqual({ [hook]: 1 })
}

describe("a watchdog kill turns off the killed hook alone", () => {
  test("a downstream's tool list gets the tools hook killed: that list is served unfiltered, the tools hook is off (change event); route rules, prompt and parser run on", async () => {
    await using host = await open()
    const changes: PluginChange[] = []
    host.onChange((e) => void changes.push(e))
    // the kill: the spinner's filter is skipped for that list; the other plugin's filter still applies
    expect((await host.filterTools(HOSTILE)).map((t) => t.name)).toEqual(["s__secret", "evil__x"])
    expect(kills()).toBe(1)
    expectOnlyOff(host, "tools")
    expect(changes).toHaveLength(1)
    expect(changes[0]).toMatchObject({ tools: true, files: [join(dir, "a-spinner.js")] })
    // off: not run again, whatever the list (no second kill)
    expect((await host.filterTools(HOSTILE)).map((t) => t.name)).toEqual(["s__secret", "evil__x"])
    expect(kills()).toBe(1)
    await expectOthersRun(host, "tools")
    expect(host.hasToolsFilter).toBe(true) // the other plugin's
  }, 30_000)

  test("a client's prompt arguments get a render killed: the prompt hook is off (still listed, PLUGIN_DISABLED naming the kill); route rules, tools and parser run on", async () => {
    await using host = await open()
    const file = join(dir, "a-spinner.js")
    const err = await host.getPrompt("say", { text: "spin" }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PluginError)
    expect((err as PluginError).message).toMatch(/^Plugin "spinner" \(.*a-spinner\.js:\d+\) failed in hook prompt: watchdog: no answer within/)
    expectOnlyOff(host, "prompt")
    expect(host.listPrompts().map((p) => p.name)).toContain("say")
    const off = await host.getPrompt("say", { text: "hi" }).catch((e: unknown) => e)
    expect((off as PluginError).code).toBe("PLUGIN_DISABLED")
    expect((off as PluginError).message).toMatch(new RegExp(`^Plugin "spinner" \\(${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:\\d+\\): its prompt hook is off \\(killed by the watchdog once, off until \\d{4}-[\\dT:.-]+Z \\(tried again then\\) or the file changes\\); the fault: watchdog: no answer within`))
    expect((off as PluginError).details).toMatchObject({ plugin: "spinner", hook: "prompt", off: true, killed: true })
    await expectOthersRun(host, "prompt")
  }, 30_000)

  test("Toolkit output gets the parser killed (parseAsync, on the main lane): the parse hook is off (the kind stays the plugin's, parses fail naming it); route rules, tools and prompt run on", async () => {
    await using host = await open()
    const ov = host.parserOverride("servers")!
    const err = await ov.parseAsync("a\nSPIN\n", CTX).catch((e: unknown) => e)
    expect((err as PluginError).message).toMatch(/failed in hook parse: watchdog/)
    expectOnlyOff(host, "parse")
    expect(host.parserOverride("servers")?.plugin).toBe("spinner")
    const off = await ov.parseAsync("a\n", CTX).catch((e: unknown) => e)
    expect((off as PluginError).message).toMatch(/its parse hook is off \(killed by the watchdog once, off until/)
    await expectOthersRun(host, "parse")
  }, 30_000)

  test("Toolkit output gets the parser killed in the synchronous lane (parseSync): the parse hook is off; the rest runs on", async () => {
    await using host = await open()
    const ov = host.parserOverride("servers")!
    expect(ov.parse("a\n", CTX)).toEqual([{ name: "a" }])
    expect(() => ov.parse("SPIN\n", CTX)).toThrow(/failed in hook parse: watchdog/)
    expectOnlyOff(host, "parse")
    expect(() => ov.parse("a\n", CTX)).toThrow(/its parse hook is off \(killed by the watchdog once, off until/)
    await expectOthersRun(host, "parse")
  }, 30_000)

  test("calls queued behind the killed one are refused as off, not run into the same spin", async () => {
    await using host = await open()
    const renders = await Promise.all([1, 2, 3].map(() => host.getPrompt("say", { text: "spin" }).catch((e: unknown) => e as PluginError)))
    expect(renders[0]?.message).toMatch(/failed in hook prompt: watchdog/)
    for (const r of renders.slice(1)) expect(r).toMatchObject({ code: "PLUGIN_DISABLED", message: expect.stringContaining("its prompt hook is off (killed by the watchdog once") })
    expect(kills()).toBe(1)
    expectOnlyOff(host, "prompt")
    await expectOthersRun(host, "prompt")
  }, 30_000)
})

describe("a watchdog kill of the route hook still fails closed", () => {
  test("arguments that get the route hook killed: every call is refused naming the plugin and the kill, until the file changes; tools, prompt and parser run on; the other plugin too", async () => {
    await using host = await open()
    const file = join(dir, "a-spinner.js")
    const err = await host.route(call("open", { spin: true })).catch((e: unknown) => e)
    expect((err as PluginError).message).toMatch(/^Plugin "spinner" \(.*a-spinner\.js:\d+\) failed in hook route: watchdog: no answer within/)
    expectOnlyOff(host, "route")
    expect(host.hasRoute).toBe(true)
    for (const t of ["open", "secret", "alias", "other"]) {
      const deny = ((await host.route(call(t))) as { deny: string }).deny
      expect(deny).toStartWith(`the route rules of plugin "spinner" (${file}) cannot run (its route hook is off: killed by the watchdog once, off until `)
      expect(deny).toContain(`or the file changes: Plugin "spinner" (${file}:20) failed in hook route: watchdog: no answer within`)
      // (the kill's own text may end with the busy-machine note: KILLED)
      expect(deny).toMatch(/; worker killed( \(after \d+ ms in all: [^)]*\))?\), so calls are refused until the file is fixed \(it reloads when saved\) or removed, or until \S+ when the hook is tried again$/)
    }
    expect(kills()).toBe(1)
    await expectOthersRun(host, "route")
    // saving the file brings the rules back
    writeFileSync(file, readFileSync(SPINNER, "utf8") + "\n// edited\n")
    await host.reload()
    expect(spinner(host)).toMatchObject({ state: "active", faults: 0 })
    expect(spinner(host).hooksOff).toBeUndefined()
    expect(await host.route(call("secret"))).toEqual({ deny: "no secrets [plugin spinner]" })
    expect(await host.route(call("open"))).toBeUndefined()
  }, 30_000)

  test("every hook killed one after the other: the plugin ends disabled, its rules refusing every call; an edit brings it all back", async () => {
    await using host = await open()
    await host.filterTools(HOSTILE)
    await host.getPrompt("say", { text: "spin" }).catch(() => {})
    await host.parserOverride("servers")!.parseAsync("SPIN", CTX).catch(() => {})
    expect(spinner(host).state).toBe("active")
    expect(await host.route(call("secret"))).toEqual({ deny: "no secrets [plugin spinner]" })
    await host.route(call("open", { spin: true })).catch(() => {})
    expect(kills()).toBe(4)
    const p = spinner(host)
    expect(p.state).toBe("disabled")
    expect(Object.keys(p.hooksOff ?? {}).sort()).toEqual(["parse", "prompt", "route", "tools"])
    for (const why of Object.values(p.hooksOff ?? {})) expect(why).toMatch(KILLED)
    expect(await host.route(call("open"))).toMatchObject({ deny: expect.stringMatching(/cannot run \(it is disabled: killed by the watchdog once, off until .* or the file changes: Plugin "spinner" \(.*\) failed in hook route: watchdog/) })
    // as with one hook off: its prompt stays listed and its parser keeps the kind, each failing with why
    expect(host.listPrompts().map((x) => x.name)).toContain("say")
    expect(((await host.getPrompt("say", { text: "hi" }).catch((e: unknown) => e)) as PluginError).message).toContain("its prompt hook is off (killed by the watchdog once")
    expect(host.parserOverride("servers")?.plugin).toBe("spinner")
    // the other plugin is untouched
    expect((await host.filterTools(GOOD)).map((t) => t.name)).toEqual(["s__secret"])
    expect(await said(host, "hello")).toBe("hello")
    writeFileSync(join(dir, "a-spinner.js"), readFileSync(SPINNER, "utf8") + "\n// edited\n")
    await host.reload()
    expect(spinner(host).state).toBe("active")
    await expectOthersRun(host, "none")
  }, 30_000)
})

describe("through the compiled binary", () => {
  const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
  const RUG = join(ROOT, "test", "fixtures", "servers", "rug-server.ts")
  let c: Connected

  beforeAll(async () => {
    await ensureBuilt()
    const env = sandboxEnv()
    const pluginDir = join(env.HOME!, "plugins")
    mkdirSync(pluginDir)
    copyFileSync(SPINNER, join(pluginDir, "spinner.js"))
    // a hostile downstream: its tool's description is the spinner's cue
    const desc = join(env.HOME!, "desc.txt")
    writeFileSync(desc, "SPIN the filter")
    const cfg = join(env.HOME!, "config.yaml")
    writeFileSync(
      cfg,
      `toolkit:\n  enabled: "off"\nplugins:\n  toolsDeadline: 50\n  memoryLimit: 512\nservers:\n  everything:\n    command: ${process.execPath}\n    args: ["${EVERYTHING}", "stdio"]\n  rug:\n    command: ${process.execPath}\n    args: ["${RUG}", "${desc}"]\nwarm: [everything, rug]\n`,
    )
    c = await connectBinary(["serve", "--config", cfg, "--plugins", pluginDir], env)
  }, 120_000)
  afterAll(() => c?.close())

  const text = (r: unknown): string => JSON.stringify((r as { content?: unknown }).content)
  async function status(): Promise<PluginInfo | undefined> {
    const r = await c.client.callTool({ name: "orchestrator_status", arguments: {} })
    return (r.structuredContent as { plugins: PluginInfo[] }).plugins.find((p) => p.name === "spinner")
  }

  test("a downstream whose tool list gets the tools hook killed: only the tools hook goes off (status says so); calls are still routed by the rules, not refused; the prompt still renders", async () => {
    for (let i = 0; i < 100 && (await status())?.state !== "active"; i++) await Bun.sleep(50)
    let names: string[] = []
    for (let i = 0; i < 100 && !(names.includes("rug__add") && (await status())?.hooksOff?.tools); i++) {
      names = (await c.client.listTools()).tools.map((t) => t.name)
      await Bun.sleep(50)
    }
    expect(names).toContain("rug__add")
    expect(names).toContain("everything__echo")
    const p = (await status())!
    expect(p.state).toBe("active")
    expect(p.hooksOff?.tools).toMatch(/^killed by the watchdog 3 times within 5 min, off until .* \(tried again then\) or the file changes: Plugin "spinner" \(.*spinner\.js:\d+\) failed in hook tools: watchdog: no answer within/)
    expect(p.hooksOff?.route).toBeUndefined()
    const echo = await c.client.callTool({ name: "everything__echo", arguments: { message: "still routed" } })
    expect(echo.isError).toBeFalsy()
    expect(text(echo)).toContain("still routed")
    const secret = await c.client.callTool({ name: "everything__get-env", arguments: {} }).catch((e: unknown) => e)
    expect(secret instanceof Error ? secret.message : text(secret)).toContain("no secrets [plugin spinner]")
    const r = await c.client.getPrompt({ name: "say", arguments: { text: "hi" } })
    expect(JSON.stringify(r.messages)).toContain("said: hi")
  }, 60_000)
})
