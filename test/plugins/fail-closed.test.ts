/**
 * @module test/plugins/fail-closed
 * Route rules are a policy: when they cannot run, calls are refused, never let through. A policy
 * plugin whose route hook the watchdog killed, or whose file an edit broke, refuses every call
 * (naming the file and what broke) until the file is fixed or removed; arguments too large to hand
 * to the rules are refused unchecked without counting against the plugin. (A route hook that merely
 * faults fails only its own call: test/plugins/fault-scope.test.ts; a kill of another hook leaves
 * the rules running: test/plugins/watchdog-scope.test.ts.)
 */
import { afterEach, beforeEach, expect, test } from "bun:test"
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { PluginHost } from "../../src/plugin/index.ts"

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mcpo-closed-"))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const POLICY = `export default { name: "policy", route(c) { if (c.tool === "secret") return { deny: "no secrets" } } }`
const call = (tool: string, args: Record<string, unknown> = {}) => ({ server: "s", tool, args })

test("an edit that breaks a policy file refuses every call with file:line; fixing it restores the rules; an edit without a route hook ends the policy", async () => {
  const file = join(dir, "policy.js")
  writeFileSync(file, POLICY)
  await using host = await PluginHost.create({ dirs: [dir], log: silentLogger })
  expect(await host.route(call("open"))).toBeUndefined()
  expect(await host.route(call("secret"))).toEqual({ deny: "no secrets [plugin policy]" })

  writeFileSync(file, `export default { name: "policy", route(c) { if (c.tool === "secret" return { deny: "x" } } }`)
  await host.reload()
  expect(host.list()[0]?.state).toBe("failed")
  expect(host.hasRoute).toBe(true)
  for (const tool of ["open", "secret"]) {
    expect(await host.route(call(tool))).toMatchObject({ deny: expect.stringMatching(/plugin "policy\.js" \(.*policy\.js\) cannot run \(its file does not load: .*policy\.js:1:69: SyntaxError/) })
  }

  writeFileSync(file, POLICY)
  await host.reload()
  expect(await host.route(call("open"))).toBeUndefined()
  expect(await host.route(call("secret"))).toEqual({ deny: "no secrets [plugin policy]" })

  // the author drops the rules on purpose: a prompt-only plugin is no policy, broken or not
  writeFileSync(file, `export default { name: "policy", prompts: [{ name: "p", render: () => "x" }] }`)
  await host.reload()
  writeFileSync(file, `export default {`)
  await host.reload()
  expect(host.hasRoute).toBe(false)
  expect(await host.route(call("secret"))).toBeUndefined()
})

test("a policy file refused for a plugin name another file already uses refuses every call, naming both files, until renamed", async () => {
  writeFileSync(join(dir, "a.js"), `export default { name: "policy", route(c) { return undefined } }`)
  const b = join(dir, "b.js")
  writeFileSync(b, POLICY)
  await using host = await PluginHost.create({ dirs: [dir], log: silentLogger })
  expect(host.list()[1]).toMatchObject({ file: b, state: "failed" })
  // before, b.js's deny rule went unapplied: "secret" passed as if the rule did not exist
  for (const tool of ["open", "secret"]) {
    expect(await host.route(call(tool))).toMatchObject({ deny: expect.stringMatching(/plugin "policy" \(.*b\.js\) cannot run \(its file does not load: .*b\.js:1: plugin name "policy" is already used by .*a\.js\)/) })
  }
  writeFileSync(b, POLICY.replace('name: "policy"', 'name: "policy2"'))
  await host.reload()
  expect(await host.route(call("open"))).toBeUndefined()
  expect(await host.route(call("secret"))).toEqual({ deny: "no secrets [plugin policy2]" })
})

test("a policy file removed while disabled takes its refusal with it", async () => {
  const file = join(dir, "policy.js")
  // ~1 s in one native sort: only the watchdog stops it; a kill of its only hook (one turns it off here) disables the plugin
  writeFileSync(file, readFileSync(join(import.meta.dir, "..", "fixtures", "plugins", "slow-sort.js"), "utf8").replace('name: "slow-sort"', 'name: "policy"'))
  await using host = await PluginHost.create({ dirs: [dir], log: silentLogger, limits: { routeDeadline: 1, memoryLimit: 512, watchdogKillsToOff: 1 } })
  expect(((await host.route(call("t")).catch((e: unknown) => e)) as Error).message).toMatch(/watchdog/)
  expect(host.list()[0]?.state).toBe("disabled")
  expect(await host.route(call("t"))).toMatchObject({ deny: expect.stringContaining("(it is disabled: ") })
  unlinkSync(file)
  await host.reload()
  expect(host.hasRoute).toBe(false)
  expect(await host.route(call("t"))).toBeUndefined()
})

test("arguments over plugins.routeArgsLimit are refused before any hook runs: no fault, the rules keep working", async () => {
  writeFileSync(join(dir, "policy.js"), POLICY)
  await using host = await PluginHost.create({ dirs: [dir], log: silentLogger, limits: { routeArgsLimit: 4096 } })
  for (let i = 0; i < 5; i++) {
    const d = await host.route(call("open", { text: "é".repeat(2100) })) // 4.2 KB of UTF-8, 2.1 K characters
    expect(d).toMatchObject({ deny: expect.stringContaining("are given at most 4.0 KiB (plugins.routeArgsLimit)") })
  }
  expect(host.list()[0]).toMatchObject({ state: "active", faults: 0 })
  expect(await host.route(call("open", { text: "é".repeat(1000) }))).toBeUndefined()
  expect(await host.route(call("secret"))).toEqual({ deny: "no secrets [plugin policy]" })
})

test("while the plugins first load, a call waits for the route rules instead of passing unchecked", async () => {
  // the first file takes ~1 s to evaluate; the policy after it loads only then
  writeFileSync(join(dir, "a-slow.js"), `const end = Date.now() + 1000; while (Date.now() < end) {}\nexport default { name: "slow", prompts: [{ name: "p", render: () => "x" }] }`)
  writeFileSync(join(dir, "b-policy.js"), POLICY)
  await using host = PluginHost.open({ dirs: [dir], log: silentLogger })
  expect(host.hasRoute).toBe(false) // nothing to load yet: no waiting
  const loading = host.reload()
  expect(host.hasRoute).toBe(true)
  expect(await host.route(call("secret"))).toEqual({ deny: "no secrets [plugin policy]" })
  await loading
  expect(host.list().map((p) => p.state)).toEqual(["active", "active"])
})
