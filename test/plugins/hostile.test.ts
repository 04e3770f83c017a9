/**
 * @module test/plugins/hostile
 * Hostile plugin code (T16/F15): each attack ends in a PluginError of the expected kind within its
 * figure, host RSS grows by less than the WASM cap + 32 MiB, and the next call succeeds.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PluginError, createLogHub, createLogger, type LogRecord } from "../../src/core/index.ts"
import { PluginHost, type PluginLimits } from "../../src/plugin/index.ts"
import { Plugin } from "../../src/plugin/loader.ts"
import { Sandbox, SandboxFault, WATCHDOG_GRACE_MS } from "../../src/sandbox/index.ts"

const FILE = join(import.meta.dir, "..", "fixtures", "plugins", "hostile", "hostile.js")
const MiB = 1024 * 1024
const LIMITS: PluginLimits = { memoryLimit: 16, stackLimit: 512, routeDeadline: 200, routeArgsLimit: 1024 * 1024, parseDeadline: 1000, renderDeadline: 200, toolsDeadline: 200 }
/** WASM cap for a 16 MiB heap (16 MiB base + heap + 16 MiB slack), see sandbox/engine.ts. */
const CAP = (16 + LIMITS.memoryLimit + 16) * MiB
const RSS_BOUND = CAP + 32 * MiB

const records: LogRecord[] = []
const hub = createLogHub("error", () => {})
hub.sinks.add((r) => void records.push(r))
const log = createLogger(hub, "test")
let plugin: Plugin
/** Same plugin with a long deadline, so allocation bombs always reach the memory limits first. */
let memPlugin: Plugin

function rss(): number {
  Bun.gc(true)
  return process.memoryUsage().rss
}

let current: () => Plugin = () => plugin

async function call(tool: string): Promise<unknown> {
  return current().route({ server: "s", tool, args: {} })
}

/**
 * Run the attack, then at once the next (good) call, which must succeed (a route fault fails only
 * its own call); then check the error.
 */
async function expectFault(tool: string, detail: RegExp): Promise<{ err: PluginError; next: unknown }> {
  let err: unknown
  try {
    await call(tool)
  } catch (e) {
    err = e
  }
  const next = await call("ok").catch((e: unknown) => e)
  expect(err).toBeInstanceOf(PluginError)
  expect((err as PluginError).message).toMatch(detail)
  expect((err as PluginError).message).toContain('Plugin "hostile"')
  expect((err as PluginError).message).toContain("hook route")
  expect(next).toEqual({ args: { ok: true } })
  expect(current().state).toBe("active")
  return { err: err as PluginError, next }
}

/** After every attack the host did not keep the guest's memory. */
function expectRssBounded(before: number): void {
  expect(rss() - before).toBeLessThan(RSS_BOUND)
}

beforeAll(async () => {
  plugin = await Plugin.load(FILE, LIMITS, log)
  expect(plugin.lastError?.message).toBeUndefined()
  expect(await call("ok")).toEqual({ args: { ok: true } })
  memPlugin = await Plugin.load(FILE, { ...LIMITS, routeDeadline: 5000 }, log)
})

afterAll(async () => {
  await plugin[Symbol.asyncDispose]()
  await memPlugin[Symbol.asyncDispose]()
})

describe("hostile plugins: time", () => {
  test("infinite loop is interrupted by the deadline (a timeout, not the watchdog's kill)", async () => {
    const before = rss()
    const { err } = await expectFault("loop", /timeout: deadline exceeded/)
    expect(err.details?.fault).toBe("timeout")
    expectRssBounded(before)
  })

  for (const tool of ["join", "join-empty"]) {
    test(`new Array(1e9).${tool === "join" ? "join()" : "join('')"} (a native loop the interrupt never sees) is refused up front`, async () => {
      const before = rss()
      // refused by the guard (a guest RangeError), not stopped by the deadline or the watchdog
      const { err } = await expectFault(tool, /RangeError: Array\.join on length 1000000000 refused by the sandbox/)
      expect(err.details?.fault).toBe("guest")
      expectRssBounded(before)
    })
  }

  for (const tool of ["shift", "unshift"]) {
    test(`Array.prototype.${tool} on an array-like of length 2**53-2 (moves every index in native code) is refused up front`, async () => {
      const { err } = await expectFault(tool, new RegExp(`RangeError: Array\\.${tool} on length 9007199254740990 refused by the sandbox`))
      expect(err.details?.fault).toBe("guest")
    })
  }

  test("catastrophic regex backtracking is interrupted by the deadline (a timeout, not the watchdog's kill)", async () => {
    const { err } = await expectFault("redos", /timeout: deadline exceeded/)
    expect(err.details?.fault).toBe("timeout")
  })

  test("Atomics.wait cannot block the worker (no Atomics in the guest)", async () => {
    await expectFault("atomics", /ReferenceError: 'Atomics' is not defined/)
  })

  test("a promise that never settles is an error, not a hang", async () => {
    // said as such (a guest fault), not found out by the deadline
    const { err } = await expectFault("never", /never settled/)
    expect(err.details?.fault).toBe("guest")
      })

  test("timers do not exist (1000 setTimeout calls fail at the first)", async () => {
    await expectFault("timers", /ReferenceError: .*setTimeout/)
      })
})

describe("hostile plugins: memory and stack", () => {
  beforeAll(() => {
    current = () => memPlugin
  })
  afterAll(() => {
    current = () => plugin
  })

  test("deep recursion is a clean guest stack overflow", async () => {
    const before = rss()
    const { err } = await expectFault("recursion", /stack: stack overflow/)
    expect(err.details?.line).toBe(11)
    expectRssBounded(before)
  })

  for (const [tool, what] of [
    ["objects", "object allocation bomb"],
    ["strings", "distinct-string allocation bomb"],
    ["typed", "typed-array allocation bomb"],
    ["doubling", "string doubling"],
  ] as const) {
    test(`${what} ends in a memory fault; RSS delta < cap + 32 MiB`, async () => {
      const before = rss()
      await expectFault(tool, /memory: /)
      expectRssBounded(before)
    })
  }

  test("a 12 MiB result is refused (heap or result size limit)", async () => {
    await expectFault("big-result", /memory: |result: /)
      })
})

describe("hostile plugins: errors and bad results", () => {
  test("a thrown Error names the plugin, hook and source line", async () => {
    const { err } = await expectFault("throw", /Error: plugin says no/)
    expect(err.message).toContain(`${FILE}:39`)
    expect(err.code).toBe("PLUGIN_FAULT")
      })

  test("a thrown non-Error value", async () => {
    await expectFault("throw-string", /threw "a bare string"/)
      })

  for (const [tool, re] of [
    ["function", /result: hook result is not JSON data: function/],
    ["bigint", /result: .*BigInt/],
    ["cyclic", /result: .*(circular|cyclic)/i],
  ] as const) {
    test(`returning non-JSON (${tool}) is a result fault`, async () => {
      await expectFault(tool, re)
          })
  }

  for (const [tool, re] of [
    ["wrong-shape", /invalid route result/],
    ["extra-key", /invalid route result/],
    ["bad-server", /invalid route result: .*server/],
  ] as const) {
    test(`a wrong-shaped decision (${tool}) is PLUGIN_INVALID_RESULT`, async () => {
      const { err } = await expectFault(tool, re)
      expect(err.code).toBe("PLUGIN_INVALID_RESULT")
          })
  }
})

describe("hostile plugins: escape attempts", () => {
  test("no host globals: Bun, process, require, fetch, timers, WebAssembly, std/os are all absent", async () => {
    const r = (await call("globals")) as { args: Record<string, string> }
    expect(Object.keys(r.args).length).toBe(12)
    for (const [k, v] of Object.entries(r.args)) expect(`${k}: ${v}`).toBe(`${k}: undefined`)
  })

  test("dynamic import() has no module loader", async () => {
    await expectFault("import", /could not load module 'fs'/)
      })

  test("replacing JSON and prototypes in the guest cannot forge what the host receives", async () => {
    expect(await call("spoof-json")).toBeUndefined()
    // the same runtime (no fault happened) still answers correctly: our helpers kept the originals
    expect(await call("ok")).toEqual({ args: { ok: true } })
    // a fault discards the tampered runtime, so later tests start clean
    await call("throw").catch(() => {})
    expect(await call("ok")).toEqual({ args: { ok: true } })
  })

  test("__proto__ / constructor keys in a result do not pollute host prototypes", async () => {
    const r = (await call("proto")) as { args: Record<string, unknown> }
    // the key is either dropped by validation or kept as plain data, never used as a prototype
    expect(Object.getPrototypeOf(r.args)).toBe(Object.prototype)
    expect((r.args as { polluted?: unknown }).polluted).toBeUndefined()
    expect(Object.hasOwn(r.args, "constructor")).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(({} as Record<string, unknown>).polluted2).toBeUndefined()
  })

  test("a console flood is capped at 50 lines per call", async () => {
    hub.level = "debug"
    const n = records.length
    // 10 000 console calls take longer than the 200 ms route deadline on a loaded machine: this test
    // is about the line cap, so it runs on the plugin with the long deadline.
    expect(await memPlugin.route({ server: "s", tool: "console-flood", args: {} })).toBeUndefined()
    // console lines arrive by message from the worker: wait for the "dropped" notice (2 s at most)
    for (let i = 0; i < 1500 && !records.slice(n).some((r) => /lines dropped/.test(r.msg)); i++) await Bun.sleep(10)
    await Bun.sleep(20)
    const mine = records.slice(n).filter((r) => r.guest === true)
    expect(mine.length).toBe(51)
    expect(mine.at(-1)?.msg).toMatch(/9950 console lines dropped/)
    hub.level = "error"
  })
})

describe("host watchdog (native loops)", () => {
  test("with the array guards off, new Array(1e9).join('') is killed at deadline + grace; the event loop stays responsive; the next call gets a fresh worker", async () => {
    await using sb = new Sandbox({ label: "watchdog", log, limits: { memoryBytes: 16 * MiB, nativeGuards: false } })
    await sb.load("export default { f(code) { return (0, eval)(code) } }", "w.js", 2000)
    expect(await sb.call(["f"], ["1 + 1"], 200)).toBe(2)
    const before = rss()
    // F15: the orchestrator's own thread keeps answering while the guest spins: its timer ticks
    // while the call is pending (a main thread blocked by the guest would run none of them)
    let pending = true
    let ticks = 0
    const tick = setInterval(() => void (pending && ticks++), 5)
    const t0 = performance.now()
    const err = await sb.call(["f"], ["new Array(1e9).join('')"], 200).catch((e: unknown) => e)
    const ms = performance.now() - t0
    pending = false
    clearInterval(tick)
    expect(await sb.call(["f"], ["6 * 7"], 1000)).toBe(42)
    expect(err).toBeInstanceOf(SandboxFault)
    expect((err as SandboxFault).kind).toBe("watchdog")
    // the contract is the lower bound: the watchdog waits the deadline and its grace before a kill
    // (how soon after it fires is the bench's, not a test's)
    expect(ms).toBeGreaterThanOrEqual(200 + WATCHDOG_GRACE_MS - 5)
    expect(ticks).toBeGreaterThan(2)
    expect(sb.stats().workers).toBe(2)
    expectRssBounded(before)
  })

  test("a plugin whose only hook the watchdog turned off is disabled (its thread may still spin until the native call ends)", async () => {
    const file = join(import.meta.dir, "..", "fixtures", "plugins", "slow-sort.js")
    // one kill turns the hook off here (the default takes 3 within 5 min: test/plugins/watchdog-budget.test.ts)
    const p = await Plugin.load(file, { ...LIMITS, memoryLimit: 512, routeDeadline: 1, watchdogKillsToOff: 1 }, log)
    expect(p.state).toBe("active")
    const err = await p.route({ server: "s", tool: "t", args: {} }).catch((e: unknown) => e)
    expect((err as PluginError).message).toMatch(/watchdog: no answer within \d+ ms/)
    expect(p.state).toBe("disabled")
    expect(p.info().lastError).toContain(file)
    await p[Symbol.asyncDispose]()
  })
})

describe("plugins sharing one worker", () => {
  test("a watchdog kill disables only the culprit, which then refuses calls (fail closed); once fixed, the other plugin runs on a fresh worker", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mcpo-shared-"))
    writeFileSync(join(dir, "a-ok.js"), `export default { name: "ok", route(c) { return c.tool === "x" ? { args: { seen: true } } : undefined } }`)
    writeFileSync(join(dir, "b-slow.js"), `const BIG = JSON.parse("[" + '"7","3","1","8","2","9","0","4","6","5",'.repeat(104857) + '"7"]')
      export default { name: "slow", route(c) { if (c.tool === "slow") return { args: { first: BIG.slice().sort()[0] } } } }`)
    await using host = await PluginHost.create({ dirs: [dir], log, limits: { ...LIMITS, memoryLimit: 512, routeDeadline: 1, watchdogKillsToOff: 1 } })
    expect(await host.route({ server: "s", tool: "x", args: {} })).toEqual({ server: "s", tool: "x", args: { seen: true } })
    const err = await host.route({ server: "s", tool: "slow", args: {} }).catch((e: unknown) => e)
    expect((err as PluginError).message).toMatch(/Plugin "slow" .* watchdog/)
    expect(host.list().map((p) => `${p.name}:${p.state}`)).toEqual(["ok:active", "slow:disabled"])
    // fail closed: the disabled policy refuses every call, naming itself, until its file is fixed
    const refused = await host.route({ server: "s", tool: "x", args: {} })
    expect(refused).toMatchObject({ deny: expect.stringContaining(`plugin "slow" (${join(dir, "b-slow.js")}) cannot run (it is disabled`) })
    writeFileSync(join(dir, "b-slow.js"), `export default { name: "slow", route(c) { if (c.tool === "slow") return { deny: "fixed" } } }`)
    await host.reload()
    expect(host.list().map((p) => `${p.name}:${p.state}`)).toEqual(["ok:active", "slow:active"])
    // the other plugin's route sandbox came back on a fresh worker
    expect(await host.route({ server: "s", tool: "x", args: {} })).toEqual({ server: "s", tool: "x", args: { seen: true } })
    expect(await host.route({ server: "s", tool: "slow", args: {} })).toEqual({ deny: "fixed [plugin slow]" })
    rmSync(dir, { recursive: true, force: true })
  })
})

describe("repeated faults", () => {
  test("route faults never disable the plugin: each fails only its own call, naming the file", async () => {
    const p = await Plugin.load(FILE, LIMITS, log)
    let disabled = 0
    p.onDisabled = () => disabled++
    for (let i = 0; i < 5; i++) {
      const err = await p.route({ server: "s", tool: "throw", args: {} }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(PluginError)
      expect((err as PluginError).code).toBe("PLUGIN_FAULT")
      expect((err as PluginError).message).toContain(FILE)
    }
    expect(p.state).toBe("active")
    expect(disabled).toBe(0)
    expect(p.info()).toMatchObject({ faults: 5, hookFaults: { route: 5 } })
    expect(await p.route({ server: "s", tool: "ok", args: {} })).toEqual({ args: { ok: true } })
    await p[Symbol.asyncDispose]()
  })

  test("a tools hook that faults three times in a row is turned off alone (PLUGIN_DISABLED naming the file); the route hook runs on", async () => {
    const file = join(tmpdir(), "tools-off.js")
    const p = await Plugin.load(file, LIMITS, log, { code: `export default { name: "t", route(c) { return { args: { ok: true } } }, tools(ts) { throw new Error("bad list") } }` })
    const hooksOff: string[] = []
    p.onHookOff = (_, hook) => void hooksOff.push(hook)
    for (let i = 0; i < 3; i++) await p.filterTools([]).catch(() => {})
    expect(p.state).toBe("active")
    expect(hooksOff).toEqual(["tools"])
    expect(p.has("tools")).toBe(false)
    expect(p.has("route")).toBe(true)
    const err = await p.filterTools([]).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PluginError)
    expect((err as PluginError).code).toBe("PLUGIN_DISABLED")
    expect((err as PluginError).message).toBe(`Plugin "t" (${file}:1): its tools hook is off after 3 faults in a row, until the file changes; the last: Error: bad list`)
    expect(await p.route({ server: "s", tool: "x", args: {} })).toEqual({ args: { ok: true } })
    await p[Symbol.asyncDispose]()
  })
})
