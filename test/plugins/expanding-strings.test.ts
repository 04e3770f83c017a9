/**
 * @module test/plugins/expanding-strings
 * A hostile `route` hook hands a native string step characters whose result is many times their
 * count: `"\uFDFA".normalize("NFKD")` is 18 characters, `"\u1F84".normalize("NFC")` decomposes to 4
 * and composes back, `localeCompare` normalizes both strings, `"\u0390".toUpperCase()` is 3
 * characters. The guards read only the input's length (1 Mi for normalize and localeCompare, 4 Mi
 * for a case mapping), so half a million such characters ran natively for seconds: a watchdog kill
 * that turned the route hook off (every later tool call refused). Each is now a fault of that call
 * (a RangeError naming the limit, or a timeout at the deadline), and the next call is routed;
 * long ASCII-separated text is still normalized, in pieces, with the engine's own results.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PluginError, createLogHub, createLogger } from "../../src/core/index.ts"
import type { PluginLimits } from "../../src/plugin/index.ts"
import { Plugin } from "../../src/plugin/loader.ts"

const SOURCE = `// built once at load
const KD = "\\uFDFA".repeat(5e5)
const GREEK = "\\u1F84".repeat(5e5)
const UP = "\\u0390".repeat(2e6)
const MIXED = "a\\u0301 \\u1F84\\u0345 x\\uFB03\\u00C5.".repeat(2000)
const PLAIN = "e\\u0301 x.".repeat(3300)
const A = {
  nfkd() { return KD.normalize("NFKD").length },
  nfc() { return GREEK.normalize("NFC").length },
  nfd() { return GREEK.normalize("NFD").length },
  locale() { return KD.localeCompare(KD + "a") },
  upper() { return UP.toUpperCase().length },
  lower() { return UP.toLocaleLowerCase().length },
  compare() {
    return [PLAIN.localeCompare(PLAIN), PLAIN.localeCompare(PLAIN + "b"), (PLAIN + "b").localeCompare(PLAIN), PLAIN.localeCompare(PLAIN.normalize("NFC")),
      PLAIN.localeCompare(PLAIN + "\\uD83D\\uDE00") < 0, (PLAIN + "\\uD83D\\uDE00").localeCompare(PLAIN + "\\uFFFF"), (PLAIN + "\\u00E9b").localeCompare(PLAIN + "e\\u0301a"),
      "\u00E9".localeCompare("e\u0301"), "a".localeCompare("b"), "\uD83D\uDE00".localeCompare("\uFFFF"), "ab".toUpperCase(), "\u00DF".toUpperCase()]
  },
}
for (const f of ["NFC", "NFD", "NFKC", "NFKD"]) A[f] = () => { const s = MIXED.normalize(f); return [s.length, s.slice(0, 11), s.slice(-11), MIXED.slice(0, 11).normalize(f)] }
export default { name: "expanding", route(call) { const f = A[call.tool]; if (f) return { deny: JSON.stringify(f()) }; return { args: { ok: true } } } }
`

const LIMITS: PluginLimits = { memoryLimit: 32, stackLimit: 160, routeDeadline: 50, routeArgsLimit: 1024 * 1024, parseDeadline: 1000, renderDeadline: 200, toolsDeadline: 200 }
let dir: string
let file: string
let plugin: Plugin
/** The same file with a deadline that a busy machine cannot reach: the ordinary results are compared, not timed. */
let roomy: Plugin

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mcpo-expanding-"))
  file = join(dir, "expanding.js")
  writeFileSync(file, SOURCE)
  plugin = await Plugin.load(file, LIMITS, createLogger(createLogHub("error", () => {}), "test"))
  expect(plugin.lastError?.message).toBeUndefined()
  roomy = await Plugin.load(file, { ...LIMITS, routeDeadline: 5000 }, createLogger(createLogHub("error", () => {}), "test"))
  expect(await route("ok")).toEqual({ args: { ok: true } })
})
afterAll(async () => {
  await plugin?.[Symbol.asyncDispose]()
  await roomy?.[Symbol.asyncDispose]()
  rmSync(dir, { recursive: true, force: true })
})

async function route(tool: string, p = plugin): Promise<unknown> {
  return p.route({ server: "s", tool, args: {} }).catch((e: unknown) => e)
}

describe("a native string step whose result is many times its input", () => {
  for (const f of ["NFC", "NFD", "NFKC", "NFKD"] as const) {
    test(`${f} of long text, in pieces: the engine's own result`, async () => {
      const mixed = "a\u0301 \u1F84\u0345 x\uFB03\u00C5.".repeat(2000)
      const s = mixed.normalize(f)
      expect(await route(f, roomy)).toEqual({ deny: JSON.stringify([s.length, s.slice(0, 11), s.slice(-11), mixed.slice(0, 11).normalize(f)]) })
    }, 30_000)
  }

  test("localeCompare of long text, in pieces: the engine's own results", async () => {
    expect(await route("compare", roomy)).toEqual({ deny: JSON.stringify([0, -1, 1, 0, true, 62977, 1, 0, -1, 62977, "AB", "SS"]) })
  }, 30_000)

  for (const [tool, says] of [
    ["nfkd", /RangeError: String\.normalize .*refused by the sandbox|timeout: deadline exceeded/],
    ["nfc", /RangeError: String\.normalize .*refused by the sandbox|timeout: deadline exceeded/],
    ["nfd", /RangeError: String\.normalize .*refused by the sandbox|timeout: deadline exceeded/],
    ["locale", /RangeError: String\.localeCompare .*refused by the sandbox|timeout: deadline exceeded/],
    ["upper", /RangeError: a case mapping would build 6000000 characters, refused by the sandbox \(limit 4194304\)/],
    ["lower", /RangeError: a case mapping would build 6000000 characters, refused by the sandbox \(limit 4194304\)/],
  ] as const) {
    test(`${tool}: a fault of that call naming the file, not a kill; the next call is routed`, async () => {
      const err = await route(tool)
      expect(err).toBeInstanceOf(PluginError)
      const msg = (err as PluginError).message
      expect(msg).toContain(`Plugin "expanding" (${file}`)
      expect(msg).not.toContain("watchdog")
      expect(msg).toMatch(says)
      expect(await route("ok")).toEqual({ args: { ok: true } })
      expect(plugin.state).toBe("active")
    }, 30_000)
  }
})
