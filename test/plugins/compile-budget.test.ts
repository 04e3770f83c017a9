/**
 * @module test/plugins/compile-budget
 * QuickJS compiles in time quadratic in the names of one function (20 000 `let` 1.4 s, 80 000
 * about 70 s; 300 000 uses of 50 000 global names 43 s), in one native step the interrupt handler
 * never sees: a watchdog kill left the thread spinning with its core until the compile ended.
 * Such source is now refused before QuickJS compiles it: plugin modules (Sandbox.load, no worker
 * started), run_code scripts, and source compiled at run time (eval, Function and its async and
 * generator kinds, however reached). Real sandbox, real QuickJS; no timed assertion.
 */
import { describe, expect, test } from "bun:test"
import { readFileSync } from "node:fs"
import { silentLogger } from "../../src/core/index.ts"
import { compileBudgetError, compileWork, MAX_COMPILE_WORK } from "../../src/sandbox/compile-budget.ts"
import { runCode } from "../../src/sandbox/code-run.ts"
import { Sandbox, SandboxFault } from "../../src/sandbox/index.ts"
import { transpileModule } from "../../src/sandbox/transpile.ts"

const L = (n: number, f: (i: number) => string): string => Array.from({ length: n }, (_, i) => f(i)).join("")

/** Shapes QuickJS compiles for seconds to hours (each measured on a 2-core machine, see compile-budget.ts). */
const HOSTILE: Record<string, string> = {
  "lets in one function": `(function () { ${L(20_000, (i) => `let a${i};`)} })`,
  "one let list": `(function () { let ${L(20_000, (i) => `a${i},`)} z; })`,
  "destructuring": `(function (o) { let { ${L(20_000, (i) => `a${i},`)} } = o; })`,
  "top-level lets": L(20_000, (i) => `let a${i};`),
  "vars": `(function () { ${L(40_000, (i) => `var a${i};`)} })`,
  "private fields": `(class { ${L(20_000, (i) => `#f${i} = 1;`)} })`,
  "uses among declarations": `(function () { ${L(5000, (i) => `let a${i};`)}${L(200_000, () => "a0;")} })`,
  "inner uses of outer names": `(function () { ${L(5000, (i) => `let a${i};`)} return () => { ${L(200_000, () => "a0;")} } })`,
  "uses of global names": `(function () { ${L(300_000, (i) => `g${i % 50_000};`)} })`,
  "blocks": `(function () { ${L(5000, (i) => `let a${i};`)}${L(20_000, () => "{ let b; }")} })`,
  // a quote or comment inside what the scan misreads as a division must not hide the names after it
  "names behind a misread quote": `if (x) /'/; ${L(20_000, (i) => `let a${i};`)}`,
  // a regular expression where a division could be (after a block, a statement head, ++), holding
  // a quote that a later quote closes: the names between are code to QuickJS
  "names after a block and a regular expression with a quote": `(function () { {}\n/'/; ${L(20_000, (i) => `let a${i};`)} 'z' })`,
  "names after an if head and a regular expression with a quote": `(function () { if (x) /'/; ${L(20_000, (i) => `let a${i};`)} 'z' })`,
  "names after ++ and a regular expression with a quote": `(function () { x\n++/'/.lastIndex; ${L(20_000, (i) => `let a${i};`)} 'z' })`,
  "names after a block and a regular expression with a backtick": `(function () { {}\n/\`/; ${L(20_000, (i) => `let a${i};`)} \`z\` })`,
}

describe("compileWork: the estimate", () => {
  for (const [name, src] of Object.entries(HOSTILE)) {
    test(`refuses ${name}`, () => {
      expect(compileWork(src).work).toBeGreaterThan(MAX_COMPILE_WORK)
      expect(compileBudgetError(src, "the module")?.message).toMatch(/^the module is refused before compiling: .* \(limit 100,000,000; its costliest function uses [\d,]+ names\)/)
    })
  }

  test("names in strings, comments, templates and regular expressions cost nothing; property names and keys neither", () => {
    const text = L(50_000, (i) => `w${i} `)
    expect(compileWork(`const s = "${text}"; const t = '${text}'; // ${text}\n/* ${text} */ const u = \`${text}\${x}${text}\`; const r = /${text}/g`).work).toBeLessThan(1000)
    expect(compileWork(`const o = { ${L(30_000, (i) => `k${i}: 1,`)} }; o${L(30_000, (i) => `.p${i}`)}?.q`).work).toBeLessThan(100)
  })

  test("many uses of a few names, and many small functions, are within it (the cost is uses × names declared around them)", () => {
    expect(compileWork(`let x = 0;${"x++;".repeat(200_000)}`).work).toBeLessThan(MAX_COMPILE_WORK / 50)
    expect(compileWork(L(2000, (i) => `function f${i}(a, b) { const c = a + b; return c * c }\n`)).work).toBeLessThan(MAX_COMPILE_WORK)
  })

  test("the repository's plugin examples and a real 380 KB library bundle are far within it", () => {
    for (const f of ["plugins/route-rules.ts", "plugins/prompt-pack.ts", "plugins/ndjson-servers.ts"]) {
      const js = transpileModule(readFileSync(f, "utf8"), f).code
      expect(compileWork(js).work).toBeLessThan(MAX_COMPILE_WORK / 100)
    }
    expect(compileWork(readFileSync(require.resolve("fast-check"), "utf8")).work).toBeLessThan(MAX_COMPILE_WORK)
  })
})

describe("refused before QuickJS compiles it", () => {
  test("a plugin module: a guest RangeError naming the limit, on the line of the function; checked on the sandbox's worker", async () => {
    await using sb = new Sandbox({ label: "lets", log: silentLogger })
    const src = `export default { name: "x" }\nfunction big() {\n${L(20_000, (i) => `let a${i};`)}\n}\n`
    const err = await sb.load(src, "lets.js", 2000).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SandboxFault)
    expect((err as SandboxFault).kind).toBe("guest")
    expect((err as SandboxFault).errorName).toBe("RangeError")
    expect((err as SandboxFault).line).toBe(2)
    expect((err as SandboxFault).message).toMatch(/refused before compiling.*limit 100,000,000/)
    // the estimate runs on the worker (never on the caller's thread: a stop or a first answer waited
    // for it, test/faults/shutdown-plugin-load), before any QuickJS engine is built there
    expect(sb.stats().workers).toBe(1)
  })

  test("eval, Function and the async, generator and async generator constructors refuse such source; small source still runs", async () => {
    await using sb = new Sandbox({ label: "eval", log: silentLogger })
    await sb.load(
      `const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor
export default {
  eval(s) { return eval(s) },
  fn(s) { return Function(s)() },
  newFn(s) { return new Function("a", s)(1) },
  viaCtor(s) { return (function () {}).constructor(s)() },
  async asyncFn(s) { return await AsyncFunction(s)() },
  gen(s) { return Object.getPrototypeOf(function* () {}).constructor(s)().next().value },
  agen(s) { return typeof Object.getPrototypeOf(async function* () {}).constructor(s) },
  shape() { return [(function () {}) instanceof Function, (() => 1).constructor === Function, Function.name, eval.name, typeof new Function("return 1")] },
}`,
      "eval.js",
      2000,
    )
    const lets = L(20_000, (i) => `let a${i};`)
    for (const [path, name] of [["eval", "eval"], ["fn", "Function"], ["newFn", "Function"], ["viaCtor", "Function"], ["asyncFn", "AsyncFunction"], ["gen", "GeneratorFunction"], ["agen", "AsyncGeneratorFunction"]] as const) {
      const err = await sb.call([path], [`${lets} return 1`], 2000).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(SandboxFault)
      expect((err as SandboxFault).errorName).toBe("RangeError")
      expect((err as SandboxFault).message).toContain(`${name} source is refused before compiling`)
    }
    const huge = await sb.call(["eval"], ["1;".repeat(600_000)], 2000).catch((e: unknown) => e)
    expect((huge as SandboxFault).message).toMatch(/eval source of 1200000 characters refused by the sandbox \(limit 1048576\)/)
    expect(await sb.call(["eval"], ["6 * 7"], 1000)).toBe(42)
    expect(await sb.call(["fn"], ["return 'ok'"], 1000)).toBe("ok")
    expect(await sb.call(["newFn"], ["return a + 1"], 1000)).toBe(2)
    expect(await sb.call(["asyncFn"], ["return 5"], 1000)).toBe(5)
    expect(await sb.call(["gen"], ["yield 3"], 1000)).toBe(3)
    expect(await sb.call(["shape"], [], 1000)).toEqual([true, true, "Function", "eval", "function"])
  })

  test("run_code: a script, or its eval, refused with the limit named and the script's line", async () => {
    const limits = { timeoutMs: 5000, memoryBytes: 64 * 1024 * 1024, stackBytes: 160 * 1024, maxResultBytes: 1 << 20 }
    const host = { call: async () => null, search: async () => [] }
    const script = await runCode({ code: `const x = 1\nconst f = () => {\n${L(20_000, (i) => `let a${i};`)}\n}\nreturn x`, limits, host })
    expect(script.ok).toBe(false)
    if (script.ok) return
    expect(script.fault).toMatchObject({ kind: "guest", errorName: "RangeError", line: 2 })
    expect(script.fault.message).toMatch(/^the script is refused before compiling/)
    const viaEval = await runCode({ code: `return eval(input)`, input: L(20_000, (i) => `let a${i};`), limits, host })
    expect(viaEval.ok).toBe(false)
    if (!viaEval.ok) expect(viaEval.fault.message).toMatch(/^eval source is refused before compiling/)
    const fine = await runCode({ code: `return eval("2 + 3") + Function("return 1")()`, limits, host })
    expect(fine).toMatchObject({ ok: true, value: 6 })
  })
})
