/**
 * Regression (QA 260): writing a huge BigInt in decimal is one native step QuickJS never interrupts
 * (quadratic: `(1n << 1000000n).toString()` took ~4 s), so a hook doing it, or logging such a
 * BigInt, or throwing one, was killed by the watchdog and turned off. BigInt.prototype.toString in
 * a non-power-of-two radix and toLocaleString of a BigInt over MAX_DECIMAL_BIGINT_BITS are refused
 * before they start (a RangeError: the plugin's own fault, its hooks stay on), and the console and a
 * thrown value show such a BigInt as a placeholder. Through the real plugin host: `plugins test`.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const ROOT = join(import.meta.dir, "..", "..")
let scratch: string
let file: string

// the BigInt is cheap to build (a shift); only writing it in decimal is slow
const PLUGIN = `export default {
  name: "bigdec",
  route(call) {
    const b = 1n << 1000000n
    switch (call.args.how) {
      case "toString": return { args: { s: b.toString() } }
      case "toLocaleString": return { args: { s: b.toLocaleString() } }
      case "radix": return { args: { s: b.toString({ valueOf() { return 10 } }) } }
      case "log": console.log("value", b, { b }); return { args: { logged: true } }
      case "throw": throw b
      case "String": return { args: { s: String(b) } }
      case "parse": return { args: { ok: BigInt("7".repeat(300000)) > 0n } }
      case "calls": return { args: { s: String(-5n), hex: BigInt(" 0x" + b.toString(16) + " ") === b, dec: BigInt("9".repeat(19000)) > 0n, n: String(12), ctor: "a".constructor === String && (1n).constructor === BigInt, boxed: new String("x") instanceof String, raw: String.fromCharCode(65) } }
      case "hex": return { args: { digits: b.toString(16).length, small: (-12345n).toString(), smallLocale: typeof (5n).toLocaleString() } }
    }
  },
}
`

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "mcpo-bigdec-"))
  file = join(scratch, "bigdec.js")
  writeFileSync(file, PLUGIN)
})
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

async function route(how: string): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn([process.execPath, join(ROOT, "src", "main.ts"), "plugins", "test", file, "--hook", "route", "--input", JSON.stringify({ server: "s", tool: "t", args: { how } })], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: scratch, XDG_CONFIG_HOME: join(scratch, "config"), XDG_CACHE_HOME: join(scratch, "cache") },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  })
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { code, out, err }
}

describe("a huge BigInt written in decimal", () => {
  for (const how of ["toString", "toLocaleString", "radix"]) {
    test(`${how}: refused before it starts, a RangeError naming the limit and the remedy, no watchdog kill`, async () => {
      const r = await route(how)
      expect(r.code).toBe(1)
      expect(r.err).toContain("RangeError: BigInt.prototype.")
      expect(r.err).toContain("of a BigInt over 65536 bits (about 19729 decimal digits) refused by the sandbox")
      expect(r.err).toContain("toString(16)")
      expect(r.err).not.toContain("watchdog")
    })
  }

  // String(big) and BigInt(long decimal text) were the same quadratic native step reached by a call:
  // a watchdog kill (≈ 1–4 s) that turned the hook off (a route hook: every tool call refused)
  test("String(big) and BigInt() of a long decimal string: refused before they start, no watchdog kill", async () => {
    const s = await route("String")
    expect(s.code).toBe(1)
    expect(s.err).toContain("RangeError: String() of a BigInt over 65536 bits (about 19729 decimal digits) refused by the sandbox")
    expect(s.err).not.toContain("watchdog")
    const p = await route("parse")
    expect(p.code).toBe(1)
    expect(p.err).toContain("RangeError: BigInt() of a decimal string of 300000 characters (over 19729 digits) refused by the sandbox")
    expect(p.err).toContain('pass it in hexadecimal (\\"0x…\\")')
    expect(p.err).not.toContain("watchdog")
  })

  test("String and BigInt called on small values, hexadecimal text and as constructors work as before", async () => {
    const r = await route("calls")
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out)).toEqual({ args: { s: "-5", hex: true, dec: true, n: "12", ctor: true, boxed: true, raw: "A" } })
  })

  test("a console line and a thrown value show a placeholder, not the digits", async () => {
    const log = await route("log")
    expect(log.code).toBe(0)
    expect(JSON.parse(log.out)).toEqual({ args: { logged: true } })
    expect(log.err).toContain('"msg":"value [a BigInt over 65536 bits, not written in decimal] {\\"b\\":\\"[a BigInt over 65536 bits, not written in decimal]\\"}"')
    const thrown = await route("throw")
    expect(thrown.code).toBe(1)
    expect(thrown.err).toContain('threw "[a BigInt over 65536 bits, not written in decimal]"')
    expect(thrown.err).not.toContain("watchdog")
  })

  test("a power-of-two radix and small BigInts are written as before", async () => {
    const r = await route("hex")
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out)).toEqual({ args: { digits: 250001, small: "-12345", smallLocale: "string" } })
  })
})
