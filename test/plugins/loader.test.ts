/**
 * @module test/plugins/loader
 * Discovery (order, filters, symlinks out of the directory refused) and load failures reported
 * with file:line (syntax errors, throws at load, invalid exports, imports) for .js and .ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { DEFAULT_PLUGIN_LIMITS, PluginHost, defaultPluginDir, discoverPlugins, resolvePluginDirs } from "../../src/plugin/index.ts"
import { Plugin } from "../../src/plugin/loader.ts"

let root: string
let dir: string
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "mcpo-loader-"))
  dir = join(root, "plugins")
  mkdirSync(dir)
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

async function load(name: string, body: string): Promise<Plugin> {
  const file = join(dir, name)
  writeFileSync(file, body)
  return Plugin.load(file, DEFAULT_PLUGIN_LIMITS, silentLogger)
}

describe("discovery", () => {
  test("file-name (byte) order across directories in order; only .js/.mjs/.ts/.mts; no .d.ts or dot-files", async () => {
    const a = join(root, "a")
    const b = join(root, "b")
    mkdirSync(a)
    mkdirSync(b)
    for (const n of ["b.ts", "B.js", "a.mjs", "types.d.ts", ".hidden.js", "notes.md", "c.mts"]) writeFileSync(join(a, n), "")
    writeFileSync(join(b, "0.js"), "")
    mkdirSync(join(a, "sub.js"))
    const found = await discoverPlugins([b, a, join(root, "nope")])
    expect(found.files.map((f) => f.slice(root.length + 1))).toEqual(["b/0.js", "a/B.js", "a/a.mjs", "a/b.ts", "a/c.mts"])
    // a directory with a plugin's name is there but refused (a load failure, not a missing file)
    expect(found.problems).toEqual([{ path: join(a, "sub.js"), message: "refused: not a regular file (a directory)" }])
    expect(found.unavailable).toEqual([{ dir: join(root, "nope"), gone: true, message: expect.stringContaining("ENOENT") }])
  })

  test("a symlink pointing outside the plugin directory is refused; one inside is followed", async () => {
    const d = join(root, "links")
    mkdirSync(d)
    writeFileSync(join(root, "outside.js"), "export default { name: 'evil' }")
    writeFileSync(join(d, "real.js"), "export default { name: 'real' }")
    symlinkSync(join(root, "outside.js"), join(d, "evil.js"))
    symlinkSync(join(d, "real.js"), join(d, "alias.js"))
    const found = await discoverPlugins([d])
    expect(found.files.map((f) => f.slice(d.length + 1))).toEqual(["alias.js"])
    expect(found.problems).toEqual([{ path: join(d, "evil.js"), message: `refused: symlink points outside the plugin directory (${join(root, "outside.js")})` }])
    await using host = await PluginHost.create({ dirs: [d], log: silentLogger })
    expect(host.list().map((p) => [p.name, p.state])).toEqual([
      ["real", "active"],
      ["evil.js", "failed"],
    ])
  })

  test("default directory is $XDG_CONFIG_HOME/mcp-orchestrator/plugins; --plugins dirs are appended", () => {
    expect(defaultPluginDir({ XDG_CONFIG_HOME: "/x" })).toBe("/x/mcp-orchestrator/plugins")
    expect(defaultPluginDir({ HOME: "/home/u" })).toBe("/home/u/.config/mcp-orchestrator/plugins")
    expect(resolvePluginDirs(undefined, ["/extra"], { XDG_CONFIG_HOME: "/x" })).toEqual(["/x/mcp-orchestrator/plugins", "/extra"])
    expect(resolvePluginDirs(["/c"], ["/extra", "/c"], {})).toEqual(["/c", "/extra"])
  })
})

describe("load errors name the file and line", () => {
  test("TypeScript syntax error: line from the transpiler", async () => {
    const p = await load("syntax.ts", "const a: number = 1\n\nexport default {\n  name: 'x',\n  route(c) { return { tool: +* } },\n}\n")
    expect(p.state).toBe("failed")
    expect(p.lastError?.message).toStartWith(`${join(dir, "syntax.ts")}:5: SyntaxError: `)
  })

  test("JavaScript syntax error: line from QuickJS", async () => {
    const p = await load("syntax.js", "// one\n// two\nexport default {\n  name: 'x',,\n}\n")
    expect(p.lastError?.message).toMatch(new RegExp(`^${join(dir, "syntax.js").replace(/[.]/g, "\\.")}:4:\\d+: SyntaxError: `))
  })

  test("a throw while the module loads, in TypeScript, maps back to the source line", async () => {
    const src = ["interface Cfg { limit: number }", "", "// a comment", "const cfg: Cfg = { limit: 3 }", "", "function check(n: number): void {", "  if (n > 2) throw new RangeError(`limit ${n} too high`)", "}", "check(cfg.limit)", "", "export default { name: 'x' }", ""].join("\n")
    const p = await load("throws.ts", src)
    expect(p.lastError?.message).toBe(`${join(dir, "throws.ts")}:7: RangeError: limit 3 too high`)
  })

  test("invalid export: every problem listed, the line of the first bad key", async () => {
    const p = await load("invalid.js", ["export default {", "  name: 'ok-name',", "  prompts: [", "    { name: 'fine', render() { return 'x' } },", "    { name: 'bad name!', render: 'not a function' },", "  ],", "  routes(c) {},", "}", ""].join("\n"))
    const msg = p.lastError?.message ?? ""
    expect(p.lastError?.code).toBe("PLUGIN_INVALID_EXPORT")
    expect(msg.split("\n")[0]).toBe(`${join(dir, "invalid.js")}:5: invalid plugin export:`)
    expect(msg).toContain("prompts.1.name: prompt names are 1-64 letters")
    expect(msg).toContain("prompts.1.render: expected a function")
    expect(msg).toContain('(export): Unrecognized key: "routes"; did you mean "route"?')
  })

  test("a prompt or argument name made of allowed characters but not starting with a letter or digit says so", async () => {
    const p = await load("underscore.js", ["export default {", "  name: 'underscore',", "  prompts: [{ name: '__proto__', arguments: [{ name: '_a' }], render() { return 'x' } }],", "}", ""].join("\n"))
    const msg = p.lastError?.message ?? ""
    expect(msg).toContain("prompts.0.name: prompt names are 1-64 letters, digits, _ . - (starting with a letter or digit)")
    expect(msg).toContain("prompts.0.arguments.0.name: prompt argument names are 1-64 letters, digits, _ . - (starting with a letter or digit)")
  })

  test("an unknown key names the known one it is closest to, at any depth (a prompt's, an argument's)", async () => {
    const p = await load("typos.js", ["export default {", "  name: 'typos',", "  prompts: [{ name: 'p', argument: [], render() { return 'x' } },", "    { name: 'q', arguments: [{ name: 'a', requierd: true }], render() { return 'x' } }],", "  prompt: [],", "}", ""].join("\n"))
    const msg = p.lastError?.message ?? ""
    expect(msg).toContain('(export): Unrecognized key: "prompt"; did you mean "prompts"?')
    expect(msg).toContain('prompts.0: Unrecognized key: "argument"; did you mean "arguments"?')
    expect(msg).toContain('prompts.1.arguments.0: Unrecognized key: "requierd"; did you mean "required"?')
  })

  test("missing name, no default export, a default export that is not an object", async () => {
    expect((await load("noname.js", "export default { route() {} }")).lastError?.message).toContain("name: ")
    expect((await load("nodefault.js", "\nexport const x = 1\n")).lastError?.message).toBe(`${join(dir, "nodefault.js")}:2: TypeError: the module has no default export (its exports are named (x); the plugin is the default export: add \`export default x\`)`)
    expect((await load("number.js", "export default 42")).lastError?.message).toContain("invalid plugin export")
  })

  test("imports are refused (no module loader): static and top-level dynamic", async () => {
    expect((await load("imp.js", 'import fs from "fs"\nexport default { name: "x" }')).lastError?.message).toContain("could not load module 'fs'")
    expect((await load("imp2.ts", 'import { readFileSync } from "node:fs"\nexport default { name: "x", route() { return { deny: String(readFileSync) } } }')).lastError?.message).toContain("could not load module 'node:fs'")
    expect((await load("imp3.js", 'await import("./other.js")\nexport default { name: "x" }')).lastError?.message).toContain("could not load module")
  })

  test("an infinite loop at load time is stopped by the load deadline", async () => {
    const p = await load("loop.js", "while (true) {}\nexport default { name: 'x' }")
    expect(p.state).toBe("failed")
    // stopped inside the sandbox ("deadline exceeded"), or on a loaded machine by the watchdog past
    // its grace (the worker killed): either way the file failed naming the load deadline
    expect(p.lastError?.message).toMatch(/deadline exceeded|longer than the 2 s load deadline/)
    expect(p.lastError?.message).toContain("loop.js:1")
  })

  test("a hook error in TypeScript names the source line, not the transpiled one", async () => {
    const src = [
      'import type { Plugin, RouteCall } from "./types"',
      "",
      "interface Rule {",
      "  tool: string",
      "}",
      "",
      "const rules: Rule[] = [{ tool: 'a' }]",
      "",
      "const plugin: Plugin = {",
      '  name: "ts-hook",',
      "  route(call: RouteCall) {",
      "    const hit: Rule | undefined = rules.find((r) => r.tool === call.tool)",
      "",
      "    // blow up on purpose",
      "    if (!hit) throw new Error(`no rule for ${call.tool}`)",
      "    return undefined",
      "  },",
      "}",
      "export default plugin",
      "",
    ].join("\n")
    const p = await load("hook.ts", src)
    expect(p.state).toBe("active")
    const err = await p.route({ server: "s", tool: "zzz", args: {} }).catch((e: unknown) => e)
    expect((err as Error).message).toBe(`Plugin "ts-hook" (${join(dir, "hook.ts")}:15) failed in hook route: Error: no rule for zzz`)
    await p[Symbol.asyncDispose]()
  })

  test("a type-only import in TypeScript is fine (erased)", async () => {
    const p = await load("typed.ts", 'import type { Plugin } from "./types"\nconst p: Plugin = { name: "typed" }\nexport default p\n')
    expect(p.state).toBe("active")
    await p[Symbol.asyncDispose]()
  })
})
