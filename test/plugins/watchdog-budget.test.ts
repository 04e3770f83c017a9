/**
 * @module test/plugins/watchdog-budget
 * A watchdog kill fails its own call; the worker is restarted for the next one. Before, one kill
 * turned the hook off until the file changed: a route hook whose slow native step depends on the
 * call's arguments let one hostile model input get every tool call refused, for everyone, until
 * someone edited the plugin. Now only WATCHDOG_KILLS_TO_OFF kills of one hook within the window
 * turn it off, for an off period (bounded backoff) after which it is tried again; while off, a
 * route hook still refuses every call (fail closed), and `plugins list` / status say when it is
 * retried. The same holds for prompt, tools and parse hooks. Kills are brought about by
 * test/fixtures/plugins/spin-on-cue.js (≈ 0.8 s of one native sort against a 50 ms deadline).
 */
import { afterEach, beforeEach, expect, test } from "bun:test"
import { copyFileSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PluginError, createLogHub, createLogger, type LogRecord } from "../../src/core/index.ts"
import { PluginHost, type PluginChange, type PluginInfo, type PluginLimits } from "../../src/plugin/index.ts"
import * as limits from "../../src/plugin/limits.ts"

/** Kills within 5 min that turn a hook off (plugin/limits WATCHDOG_KILLS_TO_OFF). */
const WATCHDOG_KILLS_TO_OFF = 3
const SPINNER = join(import.meta.dir, "..", "fixtures", "plugins", "spin-on-cue.js")
/** The off period is shortened so the retry is seen (the default is a minute). */
const OFF_MS = 1500
const LIMITS: Partial<PluginLimits> = { routeDeadline: 50, toolsDeadline: 50, renderDeadline: 50, parseDeadline: 50, memoryLimit: 512, watchdogOffMs: OFF_MS }

const records: LogRecord[] = []
const hub = createLogHub("warn", () => {})
hub.sinks.add((r) => void records.push(r))
const log = createLogger(hub, "test")
const kills = (): number => records.filter((r) => r.msg === "sandbox watchdog killed the worker").length

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mcpo-kills-"))
  records.length = 0
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const call = (tool: string, args: Record<string, unknown> = {}) => ({ server: "s", tool, args })

async function open(): Promise<PluginHost> {
  copyFileSync(SPINNER, join(dir, "spinner.js"))
  return PluginHost.create({ dirs: [dir], log, limits: LIMITS })
}
const info = (host: PluginHost): PluginInfo => host.list()[0]!

/** The next change event (a hook back on), waited for with a generous bound. */
function nextChange(host: PluginHost): Promise<PluginChange> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no change event within 60 s")), 60_000)
    const off = host.onChange((e) => {
      clearTimeout(timer)
      off()
      resolve(e)
    })
  })
}

test("the off period doubles with each time the watchdog turned the hook off, bounded", () => {
  const { WATCHDOG_OFF_FIRST_MS, WATCHDOG_OFF_MAX_MS, watchdogOffMs } = limits
  expect(typeof watchdogOffMs).toBe("function")
  expect(watchdogOffMs(0)).toBe(WATCHDOG_OFF_FIRST_MS)
  expect(watchdogOffMs(1)).toBe(2 * WATCHDOG_OFF_FIRST_MS)
  expect(watchdogOffMs(2)).toBe(4 * WATCHDOG_OFF_FIRST_MS)
  expect(watchdogOffMs(50)).toBe(WATCHDOG_OFF_MAX_MS)
  expect(limits.WATCHDOG_KILLS_TO_OFF).toBe(WATCHDOG_KILLS_TO_OFF)
})

test("a route hook killed by one call's arguments fails that call only; the rules run on; repeated kills turn it off (fail closed) until its retry time, then it runs again", async () => {
  await using host = await open()
  const file = join(dir, "spinner.js")
  for (let k = 1; k < WATCHDOG_KILLS_TO_OFF; k++) {
    const err = (await host.route(call("open", { spin: true })).catch((e: unknown) => e)) as PluginError
    expect(err).toBeInstanceOf(PluginError)
    expect(err.message).toMatch(/^Plugin "spinner" \(.*spinner\.js:\d+\) failed in hook route: watchdog: no answer within \d+ ms \+ 250 ms grace; worker killed/)
    expect(err.message).toEndWith(`; the worker was restarted and the next call runs the hook again (kill ${k} of ${WATCHDOG_KILLS_TO_OFF} within 5 min that turn it off)`)
    // the rules still apply, on a fresh worker: a deny is a deny, an allowed call goes through
    expect(await host.route(call("secret"))).toEqual({ deny: "no secrets [plugin spinner]" })
    expect(await host.route(call("open"))).toBeUndefined()
    expect(info(host)).toMatchObject({ state: "active", hookKills: { route: k } })
    expect(info(host).hooksOff).toBeUndefined()
  }
  expect(kills()).toBe(WATCHDOG_KILLS_TO_OFF - 1)
  // the last kill of the budget turns the hook off: every call refused, naming the kills and the retry time
  const back = nextChange(host)
  const last = (await host.route(call("open", { spin: true })).catch((e: unknown) => e)) as PluginError
  expect(last.message).toMatch(/; killed by the watchdog 3 times within 5 min, off until \d{4}-\d\d-\d\dT[\d:.]+Z \(tried again then\) or the file changes$/)
  const off = info(host)
  expect(off.state).toBe("active") // its other hooks run on
  expect(off.hooksOff?.route).toMatch(/^killed by the watchdog 3 times within 5 min, off until .+ \(tried again then\) or the file changes: Plugin "spinner"/)
  expect(off.hooksRetry?.route).toMatch(/^\d{4}-\d\d-\d\dT/)
  for (const t of ["open", "secret"]) {
    const d = (await host.route(call(t))) as { deny: string }
    expect(d.deny).toStartWith(`the route rules of plugin "spinner" (${file}) cannot run`)
    expect(d.deny).toContain("killed by the watchdog 3 times within 5 min, off until")
  }
  expect(kills()).toBe(WATCHDOG_KILLS_TO_OFF)
  // its retry time: on again (a change event), the rules run
  expect((await back).route).toBe(true)
  expect(info(host).hooksOff).toBeUndefined()
  expect(info(host).hooksRetry).toBeUndefined()
  expect(await host.route(call("secret"))).toEqual({ deny: "no secrets [plugin spinner]" })
  expect(await host.route(call("open"))).toBeUndefined()
  expect(await host.route(call("alias", { x: 1 }))).toMatchObject({ tool: "real", args: { x: 1 } })
}, 120_000)

test("tools, prompt and parser hooks: a kill fails that list, render or parse alone; the next one runs (queued calls too, on a fresh worker); no hook goes off", async () => {
  await using host = await open()
  const tool = (name: string, description?: string) => ({ name, ...(description ? { description } : {}), inputSchema: { type: "object" as const } })
  const good = [tool("s__read"), tool("s__secret")]
  // a downstream's list gets the filter killed: that list is served unfiltered (tools hooks fail open), the next one is filtered
  expect((await host.filterTools([...good, tool("evil__x", "SPIN this")])).map((t) => t.name)).toEqual(["s__read", "s__secret", "evil__x"])
  expect((await host.filterTools(good)).map((t) => t.name)).toEqual(["s__read"])
  // a client's prompt arguments get a render killed; renders queued behind it run
  const renders = await Promise.all(["spin", "a", "b"].map((text) => host.getPrompt("say", { text }).then((r) => (r?.messages[0]?.content as { text: string }).text, (e: unknown) => e as PluginError)))
  expect((renders[0] as PluginError).message).toMatch(/failed in hook prompt: watchdog: .*kill 1 of 3 within 5 min that turn it off\)$/)
  expect(renders.slice(1)).toEqual(["said: a", "said: b"])
  // the Toolkit's output gets the parser killed, on the synchronous lane as on the main one
  const ov = host.parserOverride("servers")!
  const CTX = { version: "1", era: undefined, command: "docker mcp server ls" }
  expect(() => ov.parse("SPIN\n", CTX)).toThrow(/failed in hook parse: watchdog: .*kill 1 of 3/)
  expect(ov.parse("a\n", CTX)).toEqual([{ name: "a" }])
  expect(await ov.parseAsync("SPIN\n", CTX).catch((e: unknown) => (e as Error).message)).toMatch(/failed in hook parse: watchdog: .*kill 2 of 3/)
  expect(await ov.parseAsync("b\n", CTX)).toEqual([{ name: "b" }])
  const p = info(host)
  expect(p).toMatchObject({ state: "active", hookKills: { tools: 1, prompt: 1, parse: 2 } })
  expect(p.hooksOff).toBeUndefined()
  expect(await host.route(call("secret"))).toEqual({ deny: "no secrets [plugin spinner]" })
}, 120_000)
