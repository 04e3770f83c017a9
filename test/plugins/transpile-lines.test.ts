/**
 * Regression (QA qa7b): the map from transpiled lines back to source lines copied a source line's
 * whole token list for every output line it was compared with. One long source line (a minified
 * plugin, a run_code script written on one line) that the transpiler splits into many output lines
 * made that quadratic, on the orchestrator's main thread, before any sandbox limit applies: a
 * 1 MiB plugin of `x++;` (250 000 statements on one line) held every client for many minutes, and
 * 200 000 characters of run_code held them for seconds. The alignment is now linear in the code
 * and bounded in all; lines are still mapped back.
 */
import { expect, test } from "bun:test"
import { runCode } from "../../src/sandbox/index.ts"
import { alignLines, transpileModule } from "../../src/sandbox/transpile.ts"

test("a 1 MiB TypeScript file on one line is transpiled and mapped back (was quadratic: minutes)", () => {
  const body = "x++;".repeat(250_000)
  const t = transpileModule(`let x: number = 0;${body}\nconst y: string = "here"\n`, "big.ts")
  const lines = t.code.split("\n")
  const at = lines.findIndex((l) => l.includes('"here"'))
  expect(at).toBeGreaterThan(1000)
  expect(t.sourceLine(at + 1)).toBe(2)
  expect(t.sourceLine(2)).toBe(1)
}, 60_000)

test("the alignment still maps lines whose types were stripped, with repeated tokens counted", () => {
  const source = ["const a: number = 1", "type T = { a: string }", "function f(x: T, y: T): T {", "  return x", "}", "f(a, a)"].join("\n")
  const output = ["const a = 1;", "function f(x, y) {", "  return x;", "}", "f(a, a);"].join("\n")
  expect(alignLines(output, source)).toEqual([1, 3, 4, 4, 6])
  // a token twice on the output line must be there twice: not the line with `a` once
  expect(alignLines("f(a, a);", "f(a)\nf(a, a)")).toEqual([2])
})

test("run_code: an error after one long line of code still names its line", async () => {
  const code = `let x = 0;${"x++;".repeat(45_000)}\nnull.boom`
  const out = await runCode({
    code,
    limits: { timeoutMs: 20_000, memoryBytes: 64 * 1024 * 1024, stackBytes: 512 * 1024, maxResultBytes: 1024 * 1024 },
    host: { call: async () => null, search: async () => [] },
  })
  expect(out.ok).toBe(false)
  if (!out.ok) {
    expect(out.fault.kind).toBe("guest")
    expect(out.fault.line).toBe(2)
  }
}, 60_000)
