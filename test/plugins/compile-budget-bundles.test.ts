/**
 * @module test/plugins/compile-budget-bundles
 * The compile estimate (sandbox/compile-budget.ts) must not refuse legitimate code: a name a
 * function declares itself is looked up among that function's names only, not among those of every
 * function around it. Real npm libraries, bundled here with `bun build` (esbuild-style ESM, as a
 * plugin author would ship them) or taken as published, load as plugins; 5 000 small functions
 * load as a plugin and run as run_code. Real sandbox, real QuickJS; no timed assertion.
 */
import { describe, expect, test } from "bun:test"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { runCode } from "../../src/sandbox/code-run.ts"
import { compileWork, MAX_COMPILE_WORK } from "../../src/sandbox/compile-budget.ts"
import { Sandbox } from "../../src/sandbox/index.ts"

const L = (n: number, f: (i: number) => string): string => Array.from({ length: n }, (_, i) => f(i)).join("")
const MAX_PLUGIN_FILE = 1024 * 1024

/** `entry` bundled as one ESM file for the browser (no Node built-ins), from the repository's node_modules. */
async function bundle(entry: string, minify: boolean): Promise<string> {
  const dir = mkdtempSync(join(process.cwd(), ".tmp-bundle-"))
  try {
    const file = join(dir, "entry.js")
    writeFileSync(file, entry)
    const out = await Bun.build({ entrypoints: [file], format: "esm", target: "browser", minify })
    expect(out.success).toBe(true)
    return await out.outputs[0]!.text()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** zod, ajv and diff in one plugin (the estimate before this fix: 110 M unminified, 99 M minified; now under 50 M). */
const COMBO = `import * as z from "zod"
import Ajv from "ajv"
import * as Diff from "diff"
const Args = z.object({ a: z.string(), b: z.string() })
export default {
  name: "combo",
  check(x) { return Args.safeParse(x).success },
  size() { return Object.keys(z).length > 10 && Object.keys(Diff).length > 5 },
  schema(v) { const ajv = new Ajv(); return ajv.validate({ type: "object", required: ["n"], properties: { n: { type: "number" } } }, v) },
  diff(a, b) { return Diff.diffLines(a, b).filter((p) => p.added).length },
}`

describe("library bundles load as plugins without refusal", () => {
  for (const minify of [false, true]) {
    test(`zod + ajv + diff bundled${minify ? ", minified" : ""}`, async () => {
      const src = await bundle(COMBO, minify)
      expect(src.length).toBeLessThanOrEqual(MAX_PLUGIN_FILE)
      expect(compileWork(src).work).toBeLessThan(MAX_COMPILE_WORK / 1.5)
      await using sb = new Sandbox({ label: "combo", log: silentLogger })
      await sb.load(src, "combo.js", 20_000)
      expect(await sb.call(["check"], [{ a: "x", b: "y" }], 5000)).toBe(true)
      expect(await sb.call(["check"], [{ a: 1 }], 5000)).toBe(false)
      expect(await sb.call(["size"], [], 5000)).toBe(true)
      expect(await sb.call(["schema"], [{ n: 1 }], 5000)).toBe(true)
      expect(await sb.call(["diff"], ["a\nb\n", "a\nc\nd\n"], 5000)).toBe(1)
    }, 60_000)
  }

  test("a published dist file (UMD, loaded as CommonJS) runs as a run_code script", async () => {
    const limits = { timeoutMs: 20_000, memoryBytes: 64 * 1024 * 1024, stackBytes: 160 * 1024, maxResultBytes: 1 << 20 }
    const host = { call: async () => null, search: async () => [] }
    for (const [file, probe] of [
      ["node_modules/diff/dist/diff.js", "typeof module.exports.diffLines"],
    ] as const) {
      const dist = readFileSync(file, "utf8")
      expect(compileWork(dist).work).toBeLessThan(MAX_COMPILE_WORK)
      const r = await runCode({ code: `var module = { exports: {} }, exports = module.exports;\n${dist}\n;return ${probe}`, limits, host })
      expect(r).toMatchObject({ ok: true, value: "function" })
    }
  }, 60_000)
})

describe("many small functions", () => {
  // the shape of a generated or bundled file: each function declares and uses its own names (the
  // estimate before this fix: 2 000 of them 72 M, 5 000 over 400 M, refused)
  const small = (n: number): string => L(n, (i) => `function f${i}(a, b) { const c = a + b; let d = c * 2; return d - b }\n`)

  test("5 000 of them load as a plugin", async () => {
    const src = `${small(5000)}export default { name: "many", run(x) { return f4999(x, 1) } }\n`
    expect(compileWork(src).work).toBeLessThan(MAX_COMPILE_WORK)
    await using sb = new Sandbox({ label: "many", log: silentLogger })
    await sb.load(src, "many.js", 20_000)
    expect(await sb.call(["run"], [2], 5000)).toBe(6 - 1)
  }, 60_000)

  test("5 000 of them, as arrows and methods, run as a run_code script", async () => {
    const arrows = L(5000, (i) => `const g${i} = (a, b) => { const c = a + b; return c * 2 };\n`)
    const methods = `const o = { ${L(2000, (i) => `m${i}(x, y) { let z = x * y; return z },`)} };\n`
    const code = `${arrows}${methods}return g4999(1, 2) + o.m1999(3, 4)`
    expect(compileWork(code).work).toBeLessThan(MAX_COMPILE_WORK)
    const limits = { timeoutMs: 20_000, memoryBytes: 64 * 1024 * 1024, stackBytes: 160 * 1024, maxResultBytes: 1 << 20 }
    const r = await runCode({ code, limits, host: { call: async () => null, search: async () => [] } })
    expect(r).toMatchObject({ ok: true, value: 6 + 12 })
  }, 60_000)
})
