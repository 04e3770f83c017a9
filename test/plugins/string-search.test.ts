/**
 * @module test/plugins/string-search
 * String searches whose worst case runs for hours in native code (qa48): `"a".repeat(1e7)
 * .indexOf("a".repeat(1e5) + "b")` compares the needle at every position without reaching the
 * interrupt handler, and a killed worker's thread spins on until that one call ends. Each such
 * search (indexOf, lastIndexOf, includes, split, replace, replaceAll) now stops at the hook's
 * deadline as a plain loop does (a `timeout` fault, not a watchdog kill that turns the hook off),
 * and the same searches over inputs large enough to be windowed give what the language says
 * (compared with the host's own String methods).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PluginError, silentLogger } from "../../src/core/index.ts"
import { type PluginLimits } from "../../src/plugin/index.ts"
import { Plugin } from "../../src/plugin/loader.ts"
import { MAX_SEARCH_WORK } from "../../src/sandbox/prelude-strings.ts"

const LIMITS: PluginLimits = { memoryLimit: 32, stackLimit: 160, routeDeadline: 200, routeArgsLimit: 4 * 1024 * 1024, parseDeadline: 1000, renderDeadline: 200, toolsDeadline: 200 }

/** Every search the guard windows, run by the guest (route args `{ h, t, op }`) and by the host. */
const OPS: Record<string, string> = {
  indexOf: `[h.indexOf(t), h.indexOf(t, 5), h.indexOf(t, -3), h.indexOf(t, NaN), h.indexOf(t, h.length - 50), h.indexOf(t, Infinity), h.indexOf(t, { valueOf() { return 7 } })]`,
  lastIndexOf: `[h.lastIndexOf(t), h.lastIndexOf(t, 0), h.lastIndexOf(t, -9), h.lastIndexOf(t, NaN), h.lastIndexOf(t, 40000), h.lastIndexOf(t, Infinity)]`,
  includes: `[h.includes(t), h.includes(t, 1e9), h.includes(t + "#"), h.includes(t, h.length - t.length)]`,
  split: `[h.split(t), h.split(t, 2), h.split(t, 0), h.split(t, -1).length, h.split(t + "#")]`,
  replace: `[h.replace(t, "<$&|$$|$1|$<x>|$"), h.replace(t, "[$\`]").length, h.replace(t, "[$']").length, h.replace(t, (m, p, s) => m.length + ":" + p + ":" + s.length), h.replace(t + "#", "x") === h]`,
  replaceAll: `[h.replaceAll(t, "<$&|$$|$9>"), h.replaceAll(t, (m, p) => "@" + p), h.replaceAll(t, "$\`").length]`,
}

let dir: string
let plugin: Plugin
/** The same file with a long deadline: the searches of the results' checks do real work. */
let roomy: Plugin

function source(): string {
  const cases = Object.entries(OPS)
    .map(([op, expr]) => `    ${JSON.stringify(op)}: (h, t) => ${expr},`)
    .join("\n")
  return `const OPS = {\n${cases}\n}
// built at load (the load deadline), so a hook's own time goes to the search alone: 1e6 positions
// × 5e4 characters compared natively would take minutes
const H = "a".repeat(1e6), T = "a".repeat(5e4) + "b"
const HANG = {
  indexOf: (h, t) => h.indexOf(t), lastIndexOf: (h, t) => h.lastIndexOf(t), includes: (h, t) => h.includes(t),
  split: (h, t) => h.split(t).length, replace: (h, t) => h.replace(t, "x"), replaceAll: (h, t) => h.replaceAll(t, "x"),
}
export default {
  name: "searches",
  route(call) {
    const a = call.args
    if (a.warm) return { args: { r: H.slice(0, 2e5).indexOf("a".repeat(100) + "c") } }
    if (a.hang) return { args: { r: HANG[a.hang](H, T) } }
    if (a.op) return { args: { r: OPS[a.op](a.h, a.t) } }
    return { args: { ok: true } }
  },
}
`
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mcpo-strsearch-"))
  const file = join(dir, "searches.js")
  writeFileSync(file, source())
  plugin = await Plugin.load(file, LIMITS, silentLogger)
  expect(plugin.lastError?.message).toBeUndefined()
  // the lane's first searches run its engine's code cold (many times slower on a loaded machine)
  roomy = await Plugin.load(file, { ...LIMITS, routeDeadline: 20_000 }, silentLogger)
  // the route lane's first searches run the engine's code cold (many times slower on a loaded
  // machine): warm the thread (shared by both) without a deadline in the way
  expect(await roomy.route({ server: "s", tool: "t", args: { warm: true } })).toEqual({ args: { r: -1 } })
})

afterAll(async () => {
  await plugin?.[Symbol.asyncDispose]()
  await roomy?.[Symbol.asyncDispose]()
})

describe("a string search that would compare for hours stops at the deadline", () => {
  for (const op of Object.keys(OPS)) {
    test(`${op}: a timeout fault naming the plugin and hook, not a watchdog kill; the next call is routed`, async () => {
      const err = await plugin.route({ server: "s", tool: "t", args: { hang: op } }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(PluginError)
      expect((err as PluginError).message).toContain('Plugin "searches"')
      expect((err as PluginError).message).toContain("hook route: timeout")
      expect((err as PluginError).message).not.toContain("watchdog")
      expect(await plugin.route({ server: "s", tool: "t", args: {} })).toEqual({ args: { ok: true } })
      expect(plugin.isOff("route")).toBe(false)
    })
  }
})

describe("windowed searches give the language's results", () => {
  // a haystack with matches near its ends, at window edges and overlapping, and a needle long
  // enough that every search here is windowed (positions × needle length over MAX_SEARCH_WORK)
  const t = "ab".repeat(60) + "c"
  const h = ("xyz" + "ab".repeat(70)).repeat(2000) + t + "ab".repeat(3000) + t + t + "q".repeat(123) + t + "ab".repeat(60)
  test("the inputs are over the windowing threshold", () => {
    expect((h.length - t.length + 1) * t.length).toBeGreaterThan(MAX_SEARCH_WORK)
  })
  for (const [op, expr] of Object.entries(OPS)) {
    test(op, async () => {
      const expected = new Function("h", "t", `return ${expr}`)(h, t) as unknown
      const got = (await roomy.route({ server: "s", tool: "t", args: { op, h, t } })) as { args: { r: unknown } }
      expect(got.args.r).toEqual(JSON.parse(JSON.stringify(expected)))
    })
  }
})
