/**
 * @module test/plugins/arraylike-lengths
 * A hostile `route` hook gets a native loop past the Array.prototype length guard: a length that is
 * a getter, a Proxy trap or an object whose valueOf answers 0 at the guard's read and 1e9 at the
 * engine's (`Array.prototype.indexOf.call(o)`, `join`), `concat` of a Proxy of an array or of a
 * value made spreadable by `Symbol.isConcatSpreadable` (its length was never counted), `flat` of a
 * Proxy of an array whose length reads 1e9, and `String.raw({ raw: { length: 1e9 } })`: each ran
 * natively past the deadline and the watchdog's grace, a kill that turned the route hook off
 * (every later tool call refused). `localeCompare` of 4 M characters compared ~400 ms unseen, eight
 * times the deadline (2 M here). Each is now a fault of that call (a timeout, or a RangeError naming the
 * limit) or runs over the length the guard read; the next call is routed, and ordinary uses (a
 * Proxy of an array, a length getter, flat, String.raw) give the engine's own results.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PluginError, createLogHub, createLogger } from "../../src/core/index.ts"
import type { PluginLimits } from "../../src/plugin/index.ts"
import { Plugin } from "../../src/plugin/loader.ts"

const SOURCE = `// built once at load: a 4 M-character repeat on a freshly grown heap is a native step of its own
const LONG = "a".repeat(2e6)
const A = {
  getter() { let n = 0; const o = { get length() { return n++ ? 1e9 : 0 } }; return Array.prototype.indexOf.call(o, 1) },
  valueOf() { let n = 0; const o = { length: { valueOf() { return n++ ? 1e9 : 0 } } }; return Array.prototype.lastIndexOf.call(o, 1) },
  proxy() { let n = 0; const p = new Proxy({}, { get(t, k) { return k === "length" ? (n++ ? 1e9 : 0) : undefined } }); return Array.prototype.includes.call(p, 1) },
  join() { let n = 0; const o = { get length() { return n++ ? 3e7 : 0 } }; return Array.prototype.join.call(o, "").length },
  fill() { let n = 0; const o = { get length() { return n++ ? 1e9 : 0 } }; return Array.prototype.fill.call(o, 1) },
  spread() { return [].concat({ length: 3e7, [Symbol.isConcatSpreadable]: true }).length },
  spreadProxy() { let n = 0; return [].concat(new Proxy([], { get(t, k) { return k === "length" ? (n++ ? 1e9 : 0) : undefined } })).length },
  flatProxy() { return [new Proxy([], { get(t, k) { return k === "length" ? 1e9 : undefined } })].flat().length },
  raw() { return String.raw({ raw: { length: 1e9 } }).length },
  locale() { return LONG.localeCompare(LONG + "b") },
  small() {
    const p = new Proxy([1, 2, 3], {})
    let n = 0
    const counted = { get length() { n++; return 2 }, 0: "a", 1: "b" }
    return [p.map((x) => x * 2), p.includes(3), Array.isArray(p), p instanceof Array, typeof Proxy.revocable(p, {}).revoke,
      [1, [2, [3, [4]]]].flat(2), [1, , 3].flat(), [[1], [2]].flat(Infinity), [1].concat([2], 3, p, { length: 1, 0: 9, [Symbol.isConcatSpreadable]: true }),
      String.raw\`a\${1}b\\n\`, String.raw({ raw: ["x", "y", "z"] }, 1), Array.prototype.slice.call({ length: 2, 0: "x", 1: "y" }),
      Array.prototype.join.call(counted, "-"), "b".localeCompare("a"), [..."ba"].sort((x, y) => x.localeCompare(y)).join("")]
  },
}
export default { name: "lengths", route(call) { const f = A[call.tool]; if (f) return { deny: JSON.stringify(f()) }; return { args: { ok: true } } } }
`

const LIMITS: PluginLimits = { memoryLimit: 32, stackLimit: 160, routeDeadline: 50, routeArgsLimit: 1024 * 1024, parseDeadline: 1000, renderDeadline: 200, toolsDeadline: 200 }
let dir: string
let file: string
let plugin: Plugin

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mcpo-arraylike-"))
  file = join(dir, "lengths.js")
  writeFileSync(file, SOURCE)
  plugin = await Plugin.load(file, LIMITS, createLogger(createLogHub("error", () => {}), "test"))
  expect(plugin.lastError?.message).toBeUndefined()
})
afterAll(async () => {
  await plugin?.[Symbol.asyncDispose]()
  rmSync(dir, { recursive: true, force: true })
})

async function route(tool: string): Promise<unknown> {
  return plugin.route({ server: "s", tool, args: {} }).catch((e: unknown) => e)
}

describe("a native loop whose length the guard did not read as the engine does", () => {
  test("ordinary uses: the engine's own results", async () => {
    const r = (await route("small")) as { deny: string }
    expect(JSON.parse(r.deny)).toEqual([[2, 4, 6], true, true, true, "function", [1, 2, 3, [4]], [1, 3], [1, 2], [1, 2, 3, 1, 2, 3, 9],
      "a1b\\n", "x1yz", ["x", "y"], "a-b", 1, "ab"])
  })

  for (const [tool, answer] of [
    ["getter", -1],
    ["valueOf", -1],
    ["proxy", false],
    ["join", 0],
    ["spreadProxy", 0],
  ] as const) {
    test(`${tool}: the native method loops over the length the guard read, not a kill; the next call is routed`, async () => {
      expect(await route(tool)).toEqual({ deny: JSON.stringify(answer) })
      expect(await route("ok")).toEqual({ args: { ok: true } })
      expect(plugin.state).toBe("active")
    }, 30_000)
  }

  for (const [tool, says] of [
    ["fill", /RangeError: Array\.fill on an array-like whose length is a getter or a Proxy, refused by the sandbox/],
    ["spread", /RangeError: Array\.concat on length 30000000 refused by the sandbox \(limit 1048576\)/],
    ["flatProxy", /timeout: deadline exceeded/],
    ["raw", /timeout: deadline exceeded|memory/],
    ["locale", /RangeError: String\.localeCompare of 2000000 characters refused by the sandbox \(limit 1048576\)/],
  ] as const) {
    test(`${tool}: a fault of that call naming the file, not a kill; the next call is routed`, async () => {
      const err = await route(tool)
      expect(err).toBeInstanceOf(PluginError)
      const msg = (err as PluginError).message
      expect(msg).toContain(`Plugin "lengths" (${file}`)
      expect(msg).not.toContain("watchdog")
      expect(msg).toMatch(says)
      expect(await route("ok")).toEqual({ args: { ok: true } })
      expect(plugin.state).toBe("active")
    }, 30_000)
  }
})
