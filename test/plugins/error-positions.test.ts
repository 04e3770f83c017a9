/**
 * @module test/plugins/error-positions
 * Every way a plugin fails names where in the author's file: `file:line:column` when the guest's
 * stack places it (a syntax error, a throw at load, a throw in a hook, a rejected promise; columns
 * in a JavaScript file, whose code is the file itself), and the line that defines the hook when
 * nothing in the guest does (a result of the wrong shape, a string, undefined or a Promise of the
 * wrong shape, a cyclic result, a Proxy whose trap throws). Before, a throw said `file:4` only and
 * a bad result named no line at all; a syntax error at the end of the file said `unexpected token
 * in expression: ''` at a line past the last.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PluginError, silentLogger } from "../../src/core/index.ts"
import { PluginHost } from "../../src/plugin/index.ts"

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mcpo-positions-"))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

async function open(file: string, code: string): Promise<{ host: PluginHost; path: string }> {
  const path = join(dir, file)
  writeFileSync(path, code)
  return { host: await PluginHost.create({ dirs: [dir], log: silentLogger }), path }
}

async function routeError(host: PluginHost): Promise<PluginError> {
  const err = await host.route({ server: "s", tool: "t", args: {} }).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(PluginError)
  return err as PluginError
}

function lastError(host: PluginHost): string | undefined {
  return host.list()[0]?.lastError
}

describe("a guest error names file:line:column of the author's source", () => {
  test("a throw in a hook, and a rejected promise of an async hook", async () => {
    const thrown = await open("thrown.js", `export default {\n  name: "thrown",\n  route(call) {\n    if (call.tool === "t") throw new Error("no")\n  },\n}\n`)
    await using h1 = thrown.host
    const e1 = await routeError(h1)
    expect(e1.message).toBe(`Plugin "thrown" (${thrown.path}:4:43) failed in hook route: Error: no`)
    expect(e1.details).toMatchObject({ line: 4, column: 43 })
    rmSync(thrown.path)
    const rejected = await open("rejected.js", `export default {\n  name: "rejected",\n  async route(call) {\n    await null\n    return Promise.reject(new TypeError("late"))\n  },\n}\n`)
    await using h2 = rejected.host
    expect((await routeError(h2)).message).toBe(`Plugin "rejected" (${rejected.path}:5:40) failed in hook route: TypeError: late`)
    rmSync(rejected.path)
    // a TypeScript file: the line of its source, no column (stripping the types moved the columns)
    const ts = await open("typed.ts", `type Call = { tool: string }\n\nexport default {\n  name: "typed",\n  route(call: Call): undefined {\n    if (call.tool === "t") throw new Error("typed")\n  },\n}\n`)
    await using h3 = ts.host
    expect((await routeError(h3)).message).toBe(`Plugin "typed" (${ts.path}:6) failed in hook route: Error: typed`)
  })

  test("a throw at load and a syntax error; one at the end of the file says the file ends early", async () => {
    const atLoad = await open("load.js", `const a = 1\nfunction boom() {\n    throw new Error("at load")\n}\nboom()\nexport default { name: "load", route() {} }\n`)
    await using h1 = atLoad.host
    expect(lastError(h1)).toBe(`${atLoad.path}:3:20: Error: at load`)
    rmSync(atLoad.path)
    const syntax = await open("syntax.js", `export default {\n  name: "syntax",\n  route(call) {\n    return { deny: "x" +  }\n  },\n}\n`)
    await using h2 = syntax.host
    expect(lastError(h2)).toBe(`${syntax.path}:4:27: SyntaxError: unexpected token in expression: '}'`)
    rmSync(syntax.path)
    const open_ = await open("open.js", `export default {\n  name: "open",\n  route(call) {\n    return { deny: "a" }\n`)
    await using h3 = open_.host
    expect(lastError(h3)).toBe(
      `${open_.path}:5:1: SyntaxError: unexpected token in expression: '' (the file ends before its code does: a bracket, brace, parenthesis or string is left open, or an expression is cut short)`,
    )
  })
})

describe("a result nothing in the guest places names the line defining the hook", () => {
  const cases: Array<[string, string, RegExp]> = [
    ["a string", `return "deny"`, /returned an invalid route result: \(result\): expected undefined/],
    ["a Promise of the wrong shape", `return Promise.resolve({ deny: 42 })`, /returned an invalid route result: deny: expected the reason as a string/],
    ["a cyclic object", `const a = { args: {} }; a.args.self = a; return a`, /result: circular reference/],
    ["a Proxy whose trap throws", `return new Proxy({}, { get() { throw new Error("trap") } })`, /result: trap/],
  ]
  for (const [what, body, why] of cases) {
    test(`route returns ${what}`, async () => {
      const p = await open("careless.js", `// a careless policy\nexport default {\n  name: "careless",\n  route(call) {\n    ${body}\n  },\n}\n`)
      await using host = p.host
      const err = await routeError(host)
      expect(err.message).toStartWith(`Plugin "careless" (${p.path}:4) failed in hook route: `)
      expect(err.message).toMatch(why)
      expect(err.details).toMatchObject({ line: 4 })
      // and it keeps serving
      expect(host.list()[0]?.state).toBe("active")
    })
  }

  test("tools returning nothing, and a prompt rendering a number, name their own lines", async () => {
    const p = await open(
      "hooks.js",
      `export default {\n  name: "hooks",\n  prompts: [\n    { name: "a", render: () => "fine" },\n    { name: "b",\n      render() { return 5 } },\n  ],\n  tools(list) {\n    list.map((t) => t)\n  },\n}\n`,
    )
    await using host = p.host
    const tools = [{ name: "s__t", inputSchema: { type: "object" as const } }]
    expect(await host.filterTools(tools)).toEqual(tools) // fails open, as documented
    expect(host.list()[0]?.lastError).toStartWith(`Plugin "hooks" (${p.path}:8) failed in hook tools: returned nothing`)
    const err = await host.getPrompt("b", {}).catch((e: unknown) => e)
    expect((err as PluginError).message).toStartWith(`Plugin "hooks" (${p.path}:6) failed in hook prompt: returned an invalid prompt result`)
  })
})
