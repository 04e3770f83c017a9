/**
 * @module test/plugins/start-budget
 * Plugin files load one after another; a file that spins at top level runs to its own load
 * deadline (2 s), so a few of them held the first calls for as long as all of them took. The first
 * load has an overall budget (`plugins.loadBudget`): past it, calls and lists stop waiting, and
 * the files not loaded yet load on in the background while they stand in as "loading" plugins that
 * refuse calls (they may hold route rules: fail closed), until each has loaded or failed. A file
 * that then fails to load is treated as any file failing at start; one that loads applies its rules.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createLogHub, createLogger, type LogRecord } from "../../src/core/index.ts"
import { PluginHost } from "../../src/plugin/index.ts"
import { BIN, connectBinary, ensureBuilt, sandboxEnv, type Connected } from "../helpers/binary.ts"

async function pluginStates(c: Connected): Promise<{ plugins: { file: string; state: string }[] }> {
  const r = (await c.client.callTool({ name: "orchestrator_status", arguments: {} })) as { structuredContent?: { plugins: { file: string; state: string }[] } }
  return r.structuredContent!
}

/** Evaluating it never ends: the interrupt handler stops it at the load deadline (2 s). */
const SPIN = (name: string): string => `while (true) {}\nexport default { name: "${name}" }`
const POLICY = `export default { name: "policy", route(c) { if (c.tool === "secret") return { deny: "no secrets" } } }`
const PROMPTS = `export default { name: "prompts", prompts: [{ name: "hello", render: () => "hi" }] }`
const call = (tool: string) => ({ server: "s", tool, args: {} })

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mcpo-budget-"))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe("PluginHost: the first load has an overall budget", () => {
  test("past the budget, the first call is answered while loads are still failing: refused (fail closed) naming the file not loaded yet; the rules apply once it has loaded", async () => {
    writeFileSync(join(dir, "a-prompts.js"), PROMPTS)
    writeFileSync(join(dir, "b-spin.js"), SPIN("spin-b"))
    writeFileSync(join(dir, "c-spin.js"), SPIN("spin-c"))
    writeFileSync(join(dir, "d-policy.js"), POLICY)
    const records: LogRecord[] = []
    const hub = createLogHub("debug", () => {})
    hub.sinks.add((r) => void records.push(r))
    await using host = PluginHost.open({ dirs: [dir], log: createLogger(hub, "plugins"), loadBudget: 1500 })
    const changes: string[][] = []
    host.onChange((e) => changes.push(e.files))
    const loading = host.reload()

    // the first call does not wait for the whole load: the spinning files are still being loaded
    const first = await host.route(call("open"))
    const atAnswer = host.list().map((p) => [p.name, p.state])
    expect(first).toMatchObject({ deny: expect.stringMatching(/plugin file .*[bc]-spin\.js has not loaded yet: .*plugins\.loadBudget.* calls are refused until it has loaded/) })
    expect(atAnswer).toContainEqual(["d-policy.js", "loading"])
    expect(atAnswer[0]).toEqual(["prompts", "active"])
    // what loaded within the budget serves at once, and the stand-ins say why they are there
    expect(host.listPrompts().map((p) => p.name)).toContain("hello")
    expect(host.list().find((p) => p.state === "loading")?.lastError).toMatch(/not loaded within plugins\.loadBudget \(1500 ms\) at start/)
    const warn = records.find((r) => /ran past plugins\.loadBudget/.test(r.msg))
    expect(warn).toMatchObject({ level: "warn", budgetMs: 1500 })
    expect((warn as unknown as { pending: string[] }).pending).toContain(join(dir, "d-policy.js"))
    expect(changes.length).toBeGreaterThanOrEqual(1)

    await loading
    expect(host.list().map((p) => p.state)).toEqual(["active", "failed", "failed", "active"])
    // the policy loaded in the background: its rules apply; the spinning files, failed at start, are no policy
    expect(await host.route(call("open"))).toBeUndefined()
    expect(await host.route(call("secret"))).toEqual({ deny: "no secrets [plugin policy]" })
    expect(records.filter((r) => r.msg === "plugin loaded after the start budget").map((r) => (r as unknown as { file: string }).file)).toContain(join(dir, "d-policy.js"))
  }, 30_000)

  test("a load within the budget is waited for as before: the first call sees the rules", async () => {
    writeFileSync(join(dir, "policy.js"), POLICY)
    await using host = PluginHost.open({ dirs: [dir], log: createLogger(createLogHub("error", () => {}), "plugins"), loadBudget: 20_000 })
    const loading = host.reload()
    expect(await host.route(call("secret"))).toEqual({ deny: "no secrets [plugin policy]" })
    expect(host.list().map((p) => p.state)).toEqual(["active"])
    await loading
  }, 30_000)
})

describe("the compiled binary: the first answers are not held past plugins.loadBudget", () => {
  test("with four plugin files spinning at top level (~8 s to fail them all), tools/list answers and tools/call is refused naming a file not loaded yet while they are still loading; then calls pass", async () => {
    const env = sandboxEnv()
    const plugins = join(env.HOME!, "plugins")
    mkdirSync(plugins)
    for (const n of [1, 2, 3, 4]) writeFileSync(join(plugins, `spin${n}.js`), SPIN(`spin${n}`))
    const config = join(env.HOME!, "config.json")
    // the default budget (5 s): no config key the old build would not know
    const echo = join(import.meta.dir, "..", "faults", "servers", "big-result.ts")
    writeFileSync(config, JSON.stringify({ servers: { fx: { command: process.execPath, args: [echo] } }, plugins: { dirs: [plugins] }, toolkit: { enabled: "off" } }))
    const c = await connectBinary(["serve", "--config", config], env)
    try {
      const tools = (await c.client.listTools()).tools.map((t) => t.name)
      expect(tools).toContain("orchestrator_status")
      const r = (await c.client.callTool({ name: "fx__echo", arguments: { message: "hi" } })) as { isError?: boolean; content: { text: string }[] }
      const status = await pluginStates(c)
      // answered while the spinning files were still loading: refused, fail closed, naming one
      expect(r.isError).toBe(true)
      expect(r.content[0]!.text).toMatch(/spin\d\.js has not loaded yet/)
      expect(status.plugins.map((p) => p.state)).toContain("loading")
      // once every load has ended (each failed at its own deadline), calls pass
      for (let i = 0; i < 200; i++) {
        const s = await pluginStates(c)
        if (s.plugins.length === 4 && s.plugins.every((p) => p.state === "failed")) break
        await Bun.sleep(100)
      }
      const after = (await c.client.callTool({ name: "fx__echo", arguments: { message: "hi" } })) as { content: { text: string }[] }
      expect(after.content[0]!.text).toBe("hi")
      expect(c.stderr()).toContain("ran past plugins.loadBudget")
    } finally {
      await c.close()
    }
  }, 60_000)
})

describe("doctor reports what holds the start", () => {
  test("a file that fails to load is named with its error, and a load longer than plugins.loadBudget is a warning", async () => {
    const env = sandboxEnv({ PATH: "/nonexistent" })
    const plugins = join(env.HOME!, "plugins")
    mkdirSync(plugins)
    writeFileSync(join(plugins, "a-prompts.js"), PROMPTS)
    writeFileSync(join(plugins, "b-spin.js"), SPIN("spin-b"))
    const config = join(env.HOME!, "config.json")
    writeFileSync(config, JSON.stringify({ plugins: { dirs: [plugins], loadBudget: "1s" }, toolkit: { enabled: "off" } }))
    await ensureBuilt()
    const p = Bun.spawn([BIN, "doctor", "--config", config, "--json"], { env, cwd: env.HOME, stdout: "pipe", stderr: "pipe", stdin: "ignore" })
    const [out, code] = await Promise.all([new Response(p.stdout).text(), p.exited])
    const checks = (JSON.parse(out) as { checks: { name: string; status: string; detail: string }[] }).checks.filter((c) => c.name === "plugins")
    expect(code).toBe(0) // warnings only
    expect(checks).toContainEqual(expect.objectContaining({ status: "warn", detail: expect.stringMatching(/b-spin\.js does not load: .*load deadline/) }))
    // the spinning file alone runs to its 2 s load deadline: past the 1 s budget
    expect(checks).toContainEqual(expect.objectContaining({ status: "warn", detail: expect.stringMatching(/^2 plugin files loaded or failed in .* s, more than plugins\.loadBudget \(1\.0 s\)/) }))
  }, 60_000)
})
