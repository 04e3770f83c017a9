/**
 * @module test/plugins/json-escapes
 * A hostile `route` hook writes JSON of strings full of characters that JSON escapes: a control
 * character is six characters written (`\u0001`) and costs ~100 times a plain copy. The JSON
 * budget counted each string at its length, so `JSON.stringify` of 3 M of them (18 M written), a
 * deny reason of 2 M, or 300 strings of 10 000 ran natively past the watchdog's grace: a kill that
 * turned the route hook off (every later tool call refused). Each is now a fault of that call
 * naming the limit, or a timeout at the deadline (the escapes are measured before the write, a long
 * string in pieces with interrupt checks between them), console
 * lines say the value was not logged, and ordinary strings with some escapes are written as before.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PluginError, createLogHub, createLogger } from "../../src/core/index.ts"
import type { PluginLimits } from "../../src/plugin/index.ts"
import { Plugin } from "../../src/plugin/loader.ts"

const SOURCE = `// built once at load
const C = "\\u0001".repeat(3e6)
const TEN = C.slice(0, 1e4)
const TEXT = 'line "quoted" \\\\ back\\n\\ttab \\u00e9\\uD83D\\uDE00 '.repeat(4000)
const A = {
  stringify() { return JSON.stringify(C).length },
  many() { return JSON.stringify(Array.from({ length: 300 }, () => TEN)).length },
  key() { return JSON.stringify({ [C.slice(0, 1e6)]: 1 }).length },
  deny() { return C.slice(0, 2e6) },
  log() { console.log({ c: C.slice(0, 1e6) }); return "logged" },
  ordinary() { const j = JSON.stringify({ t: TEXT, a: [TEXT.slice(0, 99), TEXT] }); return [j.length, j.slice(0, 80), j.slice(-80), JSON.parse(j).t === TEXT] },
}
export default { name: "escapes", route(call) { const f = A[call.tool]; if (f) { const r = f(); return { deny: typeof r === "string" ? r : JSON.stringify(r) } } return { args: { ok: true } } } }
`

const LIMITS: PluginLimits = { memoryLimit: 32, stackLimit: 160, routeDeadline: 50, routeArgsLimit: 1024 * 1024, parseDeadline: 1000, renderDeadline: 200, toolsDeadline: 200 }
let dir: string
let file: string
let plugin: Plugin
/** The same file with a deadline a busy machine cannot reach: ordinary results are compared, not timed. */
let roomy: Plugin
const lines: string[] = []

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mcpo-escapes-"))
  file = join(dir, "escapes.js")
  writeFileSync(file, SOURCE)
  plugin = await Plugin.load(file, LIMITS, createLogger(createLogHub("error", () => {}), "test"))
  expect(plugin.lastError?.message).toBeUndefined()
  roomy = await Plugin.load(file, { ...LIMITS, routeDeadline: 5000 }, createLogger(createLogHub("info", (r) => lines.push(r)), "test"))
})
afterAll(async () => {
  await plugin?.[Symbol.asyncDispose]()
  await roomy?.[Symbol.asyncDispose]()
  rmSync(dir, { recursive: true, force: true })
})

async function route(tool: string, p = plugin): Promise<unknown> {
  return p.route({ server: "s", tool, args: {} }).catch((e: unknown) => e)
}

describe("JSON written of strings that JSON escapes", () => {
  test("ordinary text with quotes, backslashes, control characters and non-ASCII: written as before", async () => {
    const text = 'line "quoted" \\ back\n\ttab \u00e9\uD83D\uDE00 '.repeat(4000)
    const j = JSON.stringify({ t: text, a: [text.slice(0, 99), text] })
    expect(await route("ordinary", roomy)).toEqual({ deny: JSON.stringify([j.length, j.slice(0, 80), j.slice(-80), true]) })
  }, 30_000)

  for (const [tool, says] of [
    // the escapes are measured in pieces with interrupt checks: on a busy machine the deadline may come first
    ["stringify", /RangeError: JSON\.stringify would add over 524288 characters of escapes, refused by the sandbox \(limit 524288\)|timeout: deadline exceeded/],
    ["many", /RangeError: JSON\.stringify would add over 524288 characters of escapes, refused by the sandbox \(limit 524288\)|timeout: deadline exceeded/],
    ["key", /RangeError: JSON\.stringify would add over 524288 characters of escapes, refused by the sandbox \(limit 524288\)|timeout: deadline exceeded/],
    ["deny", /result: the value's strings need over 524288 characters of JSON escapes|timeout: deadline exceeded/],
  ] as const) {
    test(`${tool}: a fault of that call naming the file, not a kill; the next call is routed`, async () => {
      const err = await route(tool)
      expect(err).toBeInstanceOf(PluginError)
      const msg = (err as PluginError).message
      expect(msg).toContain(`Plugin "escapes" (${file}`)
      expect(msg).not.toContain("watchdog")
      expect(msg).toMatch(says)
      expect(await route("ok")).toEqual({ args: { ok: true } })
      expect(plugin.state).toBe("active")
    }, 30_000)
  }

  test("a console line of such a value says it was not logged; the call goes on", async () => {
    expect(await route("log", roomy)).toEqual({ deny: "logged" })
    expect(JSON.stringify(lines)).toContain("[a value whose JSON escapes would add over 524288 characters, not logged]")
  }, 30_000)
})
