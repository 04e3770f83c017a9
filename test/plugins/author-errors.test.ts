/**
 * @module test/plugins/author-errors
 * What a plugin author (or a hostile plugin) gets back from the compiled binary for mistakes and
 * tricks that used to give an unhelpful error or slip past a limit:
 *
 * - a route or render result of the wrong shape says what was expected and what is wrong with it
 *   (it said `(result): Invalid input`);
 * - a default export that is a function, and a CommonJS file, say what a plugin file is;
 * - a console line stays within 2000 characters even when the plugin replaced
 *   String.prototype.slice (the prelude's own cut used it: 1 MB lines reached the log);
 * - the QuickJS engine's own output (`Aborted(…)` on an engine failure) is a JSON log line, never a
 *   raw line on stderr or stdout;
 * - a promise chain that re-queues itself for ever ends as a timeout (it said "never settled");
 * - two plugins with one prompt name or one parser kind: a warning names both files (a parser
 *   override shadowed by an earlier one never ran, silently).
 *
 * All through the binary: `plugins test` / `plugins check` / `plugins list`, and `serve` with a
 * real SDK Client and server-everything.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { BIN, connectBinary, ensureBuilt, ROOT, sandboxEnv, type Connected } from "../helpers/binary.ts"

let dir: string
beforeAll(async () => {
  await ensureBuilt()
  dir = mkdtempSync(join(tmpdir(), "mcpo-author-"))
}, 120_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const env = { PATH: process.env.PATH ?? "", HOME: dir, XDG_CONFIG_HOME: join(dir, "config"), XDG_CACHE_HOME: join(dir, "cache"), XDG_STATE_HOME: join(dir, "state") }
  const p = Bun.spawn([BIN, ...args], { cwd: dir, env, stdin: "ignore", stdout: "pipe", stderr: "pipe" })
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { code, out, err }
}

function plugin(file: string, code: string): string {
  const path = join(dir, file)
  writeFileSync(path, code)
  return path
}

const CALL = JSON.stringify({ server: "s", tool: "t", args: { a: 1 } })

async function routeError(name: string, result: string): Promise<string> {
  const file = plugin(`${name}.js`, `export default { name: "${name}", route(call) { return ${result} } }\n`)
  const r = await cli(["plugins", "test", file, "--hook", "route", "--input", CALL])
  expect(r.code).toBe(1)
  const first = r.err.split("\n")[0]!
  expect(first).toContain(`Plugin "${name}" (${file}:1) failed in hook route: returned an invalid route result: `)
  expect(first).not.toContain("Invalid input")
  return first
}

async function renderError(name: string, result: string): Promise<string> {
  const file = plugin(`${name}.js`, `export default { name: "${name}", prompts: [{ name: "p", render() { return ${result} } }] }\n`)
  const r = await cli(["plugins", "test", file, "--hook", "prompt", "--prompt", "p", "--input", "{}"])
  expect(r.code).toBe(1)
  const first = r.err.split("\n")[0]!
  expect(first).toContain(`Plugin "${name}" (${file}:1) failed in hook prompt: returned an invalid prompt result: `)
  expect(first).not.toContain("Invalid input")
  return first
}

describe("a hook result of the wrong shape says what was expected", () => {
  test("route: a string, args that are not an object, deny with other keys, a non-string deny, a misspelt key", async () => {
    expect(await routeError("r-string", `"deny"`)).toContain(`(result): expected undefined (no opinion), { deny: "reason" } or { server?, tool?, args? }, got a string ("deny")`)
    expect(await routeError("r-args", `{ args: "a=1" }`)).toContain("args: expected the arguments as an object")
    expect(await routeError("r-mixed", `{ deny: "no", args: {} }`)).toContain(`deny cannot be combined with "args"`)
    expect(await routeError("r-deny", `{ deny: 5 }`)).toContain("deny: expected the reason as a string")
    expect(await routeError("r-typo", `{ rout: "x" }`)).toContain(`unknown key "rout": a route result has deny, or server, tool and args`)
  }, 60_000)

  test("render: a number, a message with a bad role or non-text content, a bare string in the array, no messages", async () => {
    expect(await renderError("p-number", "5")).toContain(`expected a string (one user message) or an array of { role: "user" | "assistant", content }, got a number (5)`)
    expect(await renderError("p-role", `[{ role: "system", content: "x" }]`)).toMatch(/0\.role: .*"user"\|"assistant"/)
    expect(await renderError("p-image", `[{ role: "user", content: { type: "image", data: "x" } }]`)).toContain(`0.content: expected the text as a string or { type: "text", text: "…" }`)
    expect(await renderError("p-bare", `["hi"]`)).toContain(`0: expected a message { role: "user" | "assistant", content }`)
    expect(await renderError("p-empty", "[]")).toContain("expected at least one message")
  }, 60_000)
})

describe("a parser's value of the wrong shape", () => {
  test("plugins test and parse --plugins both refuse it, naming the plugin, the path and what was expected", async () => {
    const pdir = join(dir, "parsers")
    mkdirSync(pdir)
    const file = join(pdir, "srv.js")
    writeFileSync(file, `export default { name: "srv", parsers: { servers(text) { return text.startsWith("[") ? [{ nam: "x" }] : 42 } } }\n`)
    const number = plugin("number.txt", "not json\n")
    const list = plugin("list.txt", "[]\n")
    const t = await cli(["plugins", "test", file, "--hook", "parse", "--kind", "servers", "--input-file", number])
    expect(t.code).toBe(1)
    expect(t.out).toBe("")
    expect(t.err).toContain(`Parser override for "servers" from plugin "srv" (${file}:1) returned an invalid servers value: (result): Invalid input: expected array, received number (the shape \`mcp-orchestrator parse servers\` prints`)
    const l = await cli(["plugins", "test", file, "--hook", "parse", "--kind", "servers", "--input-file", list])
    expect(l.code).toBe(1)
    // the keys the entry has: a field under another name shows (QA 272)
    expect(l.err).toContain('returned an invalid servers value: 0.name: Invalid input: expected string, received undefined (the entry has: "nam")')
    const parsed = await cli(["parse", "servers", number, "--plugins", pdir])
    expect(parsed.code).toBe(1)
    expect(parsed.err).toContain("returned an invalid servers value: (result): Invalid input: expected array")
    expect(parsed.err).toContain(`Remedy: Fix or remove the parser override of plugin "srv" (${file}:1); try it on the saved output with \`mcp-orchestrator plugins test FILE --hook parse --kind servers --input-file out.txt\``)
  })
})

describe("plugins/types.d.ts for TypeScript authors", () => {
  test("the examples and a plugin with async hooks (the guide: hooks may be async) type-check with strict tsc, without skipLibCheck", async () => {
    const ts = join(dir, "ts")
    mkdirSync(ts)
    for (const f of ["types.d.ts", "prompt-pack.ts", "route-rules.ts", "ndjson-servers.ts"]) writeFileSync(join(ts, f), readFileSync(join(ROOT, "plugins", f)))
    writeFileSync(
      join(ts, "async-hooks.ts"),
      `import type { Plugin } from "./types"\nexport default {\n  name: "async-hooks",\n  async route(call) { if (call.tool === "x") return { deny: "no" } },\n  async tools(tools) { return tools.filter((t) => t.inputSchema.type === "object") },\n  prompts: [{ name: "p", async render({ a }) { return [{ role: "user", content: a ?? "" }] } }],\n  parsers: { async servers(text) { return text ? [{ name: text.trim() }] : undefined } },\n} satisfies Plugin\n`,
    )
    const tsc = join(ROOT, "node_modules", ".bin", "tsc")
    const args = ["--ignoreConfig", "--noEmit", "--strict", "--skipLibCheck", "false", "--target", "es2022", "--module", "esnext", "--moduleResolution", "bundler", "types.d.ts", "prompt-pack.ts", "route-rules.ts", "ndjson-servers.ts", "async-hooks.ts"]
    const p = Bun.spawn([tsc, ...args], { cwd: ts, stdout: "pipe", stderr: "pipe" })
    const [out, code] = await Promise.all([new Response(p.stdout).text(), p.exited])
    expect(out).toBe("")
    expect(code).toBe(0)
    const loaded = await cli(["plugins", "test", join(ts, "async-hooks.ts"), "--hook", "route", "--input", JSON.stringify({ server: "s", tool: "x", args: {} })])
    expect(loaded.out).toContain('"deny": "no"')
  }, 60_000)
})

describe("export mistakes say what a plugin file is", () => {
  test("a default export that is a function", async () => {
    const file = plugin("fn.js", `export default function route(call) {\n  return undefined\n}\n`)
    const r = await cli(["plugins", "check", file])
    expect(r.code).toBe(1)
    expect(r.out + r.err).toContain(`${file}:1: invalid plugin export: the default export is a function, but a plugin exports an object`)
    expect(r.out + r.err).not.toContain(`Unrecognized key: "$fn"`)
  })

  test("a class instance (its methods on the prototype, unseen) loads with no hooks: a warning says it does nothing and why", async () => {
    const file = plugin("cls.js", `class Policy {\n  name = "cls"\n  route(call) { return { deny: "no" } }\n}\nexport default new Policy()\n`)
    const r = await cli(["plugins", "check", file])
    expect(r.out).toContain("hooks: none")
    const warn = r.err
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((w) => w.level === "warn")
    expect(warn).toMatchObject({ msg: "plugin declares no route, tools, prompts or parsers; it does nothing", plugin: "cls", file })
    expect(String(warn?.remedy)).toContain("methods of a class instance live on its prototype and are not seen")
  })

  test("a CommonJS file (module.exports, require)", async () => {
    for (const [name, code] of [["cjs.js", `module.exports = { name: "cjs" }\n`], ["req.js", `const fs = require("fs")\nexport default { name: "req" }\n`]] as const) {
      const file = plugin(name, code)
      const r = await cli(["plugins", "check", file])
      expect(r.code).toBe(1)
      expect(r.out + r.err).toMatch(/is not defined \(a plugin is an ES module with no module loader: write `export default \{ name: "…", … \}`/)
    }
  })
})

describe("module mistakes: an import, named exports only, a parser kind misspelled", () => {
  // QA 272: these said only what the engine says (`could not load module 'helper'`, `the module has
  // no default export`, `parsers: Unrecognized key: "server"`), at line 1: not why, nor what to write
  test("an import of a file names its line and says to inline or bundle it", async () => {
    const file = plugin("imp.ts", `import type { Plugin } from "./types"\n// helpers\nimport { helper } from "./lib/helper"\n\nexport default { name: "imp", route(call: any) { return helper(call) } } satisfies Plugin\n`)
    const r = await cli(["plugins", "check", file])
    expect(r.code).toBe(1)
    expect(r.out + r.err).toContain(`imp.ts:3: ReferenceError: could not load module 'lib/helper' (a plugin cannot import: it has no module loader, only \`import type\` is fine.`)
    expect(r.out + r.err).toContain("bun build src/my-plugin.ts --outfile <plugin dir>/my-plugin.js")
  })

  test("an import of a Node module says the guest has no file system, network or process", async () => {
    const file = plugin("impfs.js", `export default { name: "impfs", route() {} }\nimport { readFileSync } from "node:fs"\n`)
    const r = await cli(["plugins", "check", file])
    expect(r.code).toBe(1)
    expect(r.out + r.err).toContain("impfs.js:2: ReferenceError: could not load module 'node:fs' (a plugin cannot import")
    expect(r.out + r.err).toContain("a plugin has no file system, network or process")
  })

  test("named exports only: the error names them and the line to add", async () => {
    for (const [name, code, want] of [
      ["named.js", `export const plugin = { name: "named", route() {} }\n`, "add `export default plugin`"],
      ["renamed.ts", `const p = { name: "renamed", route() {} }\nexport { p as plugin }\n`, "add `export default p`"],
      ["none.js", `const p = { name: "none", route() {} }\n`, 'write `export default { name: "my-plugin", route(call) { … } }`'],
    ] as const) {
      const r = await cli(["plugins", "check", plugin(name, code)])
      expect(r.code).toBe(1)
      expect(r.out + r.err).toContain("TypeError: the module has no default export (")
      expect(r.out + r.err).toContain(want)
    }
  })

  test("a parser kind misspelled gets the kind it is closest to, or the list of kinds", async () => {
    const near = await cli(["plugins", "check", plugin("kind1.js", `export default {\n  name: "kind1",\n  parsers: { server(text) { return [] } },\n}\n`)])
    expect(near.code).toBe(1)
    expect(near.out + near.err).toContain(`kind1.js:3: invalid plugin export:\n  - parsers: Unrecognized key: "server"; did you mean "servers"?`)
    const far = await cli(["plugins", "check", plugin("kind2.js", `export default {\n  name: "kind2",\n  parsers: { ls(text) { return [] } },\n}\n`)])
    expect(far.code).toBe(1)
    expect(far.out + far.err).toContain(`parsers: Unrecognized key: "ls"; expected one of: servers, catalog, tools, inspect, secrets, profiles, profile, config, catalogs`)
  })
})

describe("a prompt's arguments", () => {
  // QA 246: two arguments with one name loaded (`plugins check` said ok): prompts/list offered the
  // name twice (a client's form got two fields for one value), and which one's `required` held
  // depended on the check's loop
  test("two arguments with the same name are a load error naming the prompt's argument", async () => {
    const file = plugin("dupargs.js", `export default { name: "dupargs", prompts: [{\n  name: "a",\n  arguments: [{ name: "x" }, { name: "x", required: true }],\n  render() { return "a" },\n}] }\n`)
    const r = await cli(["plugins", "check", file])
    expect(r.code).toBe(1)
    expect(r.out + r.err).toContain(`prompts.0.arguments.1.name: duplicate argument name "x" of prompt "a"`)
  })
})

describe("limits a plugin cannot lift", () => {
  test("a console line is cut at 2000 characters even when the plugin replaced String.prototype.slice", async () => {
    const file = plugin(
      "big-log.js",
      `export default { name: "big-log", route(call) {\n  String.prototype.slice = function () { return this }\n  console.log("x".repeat(1000000))\n  console.log("y".repeat(100), { z: "z".repeat(100000) })\n} }\n`,
    )
    // what is tested is the cut, not the time: on a loaded machine this hook runs hundreds of ms (a
    // 1 M repeat on a freshly grown heap), past the 50 ms route deadline, which the long console
    // argument's JSON, measured in pieces with interrupt checks, now enforces
    const cfg = join(dir, "roomy.yaml")
    writeFileSync(cfg, "plugins:\n  routeDeadline: 5000\n")
    const r = await cli(["plugins", "test", file, "-c", cfg, "--hook", "route", "--input", CALL])
    expect(r.code).toBe(0)
    const lines = r.err.split("\n").filter((l) => l.includes('"guest":true'))
    expect(lines.length).toBe(2)
    for (const l of lines) {
      const msg = (JSON.parse(l) as { msg: string }).msg
      expect(msg.length).toBe(2001)
      expect(msg.endsWith("…")).toBe(true)
    }
  })

  test("the engine's own output (Aborted(…) when an engine failure frees the runtime) is a JSON log line, not a raw line", async () => {
    // JSON.parse recursion deep enough to exhaust the worker's native stack: an engine failure
    const file = plugin("deep-parse.js", `export default { name: "deep-parse", route(call) {\n  return { deny: String(JSON.parse("[".repeat(1000000) + "]".repeat(1000000)).length) }\n} }\n`)
    // Which way the overflow ends depends on the worker's native stack at that moment: mostly an
    // engine failure (the runtime freed, `Aborted(…)` printed by the engine), sometimes QuickJS's own
    // catchable "stack overflow" first. Tried until the engine failure happened (at most 5 runs);
    // every run's stderr is JSON lines and the CLI's own error lines, never a raw line.
    let engineFailures = 0
    for (let i = 0; i < 5 && engineFailures === 0; i++) {
      const r = await cli(["plugins", "test", file, "--hook", "route", "--input", CALL])
      expect(r.code).toBe(1)
      expect(r.out).toBe("")
      // (a catchable overflow is placed at line:column of the author's source, as every plugin error is)
      expect(r.err).toMatch(/Plugin "deep-parse" \([^)]*deep-parse\.js(:\d+){0,2}\) failed in hook route: (stack: engine failure|SyntaxError: stack overflow)/)
      const failed = r.err.includes("stack: engine failure")
      if (failed) engineFailures++
      const raw = r.err.split("\n").filter((l) => l !== "" && !l.startsWith("{") && !l.startsWith("mcp-orchestrator: ") && !l.startsWith("Remedy: "))
      expect(raw).toEqual([])
      const engine = r.err.split("\n").filter((l) => l.includes("QuickJS engine output"))
      for (const l of engine) expect((JSON.parse(l) as { msg: string }).msg).toMatch(/^QuickJS engine output: /)
      // the engine said something on its failure: it came as a log line
      if (failed) expect(engine.length).toBeGreaterThan(0)
    }
    expect(engineFailures).toBe(1)
  })

  test("deep recursion, at load and in a cold hook, is a clean guest stack overflow the plugin can catch (not the worker's native stack running out first)", async () => {
    // shapes measured to overflow the worker's native stack before QuickJS's 512 KiB limit
    const shapes: Record<string, string> = {
      plain: "function f() { return f() + 1 } f()",
      getter: "const o = { get x() { return o.x } }; o.x",
      toString: "const o = { toString() { return String(o) } }; String(o)",
      map: "function f() { return [1].map(f) } f()",
      sort: "function f() { return [2, 1].sort(() => f()) } f()",
      proxy: "const p = new Proxy({}, { get() { return p.x } }); p.x",
    }
    for (const [name, code] of Object.entries(shapes)) {
      const atLoad = plugin(`load-${name}.js`, `${code}\nexport default { name: "load-${name}" }\n`)
      const r = await cli(["plugins", "check", atLoad])
      expect(r.code).toBe(1)
      expect(`${name}: ${r.out}${r.err}`).toMatch(new RegExp(`^${name}: ${atLoad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:1:\\d+: InternalError: stack overflow`))
    }
    const caught = plugin("catch-depth.js", `export default { name: "catch-depth", route() {\n  let d = 0\n  function f() { d++; return f() + 1 }\n  try { f() } catch (e) { return { deny: e.name + ": " + e.message + " at depth " + (d > 500 ? "> 500" : d) } }\n} }\n`)
    const t = await cli(["plugins", "test", caught, "--hook", "route", "--input", CALL])
    expect(t.err).not.toContain("engine failure")
    expect(t.code).toBe(0)
    expect(JSON.parse(t.out)).toEqual({ deny: "InternalError: stack overflow at depth > 500" })
  }, 60_000)

  test("a promise chain that re-queues itself for ever ends at the deadline as a timeout", async () => {
    const file = plugin("micro.js", `export default { name: "micro", route(call) {\n  return new Promise(() => { Promise.resolve().then(function f() { return Promise.resolve().then(f) }) })\n} }\n`)
    const r = await cli(["plugins", "test", file, "--hook", "route", "--input", CALL])
    expect(r.code).toBe(1)
    // the 50 ms route deadline usually falls while the promise jobs run (said so); on a loaded machine
    // it can fall in the hook's synchronous part, or the thread gets no CPU before it and the watchdog
    // ends it: a timeout either way, never "never settled"
    expect(r.err.split("\n")[0]).toMatch(new RegExp(`^mcp-orchestrator: Plugin "micro" \\(${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:1\\) failed in hook route: (timeout: deadline exceeded( \\(running the promise jobs of an async hook\\))?; a route hook may run 50 ms \\(plugins\\.routeDeadline\\)|watchdog: no answer within \\d+ ms \\+ \\d+ ms grace; worker killed.*)$`))
  })
})

describe("a hook past its deadline", () => {
  test("the timeout names the limit and the plugins.* key that sets it (route, prompt)", async () => {
    const file = plugin("slowpoke.js", `export default { name: "slowpoke", route(call) { for (;;) {} },\n  prompts: [{ name: "p", render() { for (;;) {} } }] }\n`)
    const r = await cli(["plugins", "test", file, "--hook", "route", "--input", CALL])
    expect(r.code).toBe(1)
    expect(r.err).toContain("failed in hook route: timeout: deadline exceeded; a route hook may run 50 ms (plugins.routeDeadline)")
    const p = await cli(["plugins", "test", file, "--hook", "prompt", "--prompt", "p", "--input", "{}"])
    expect(p.code).toBe(1)
    expect(p.err).toContain("failed in hook prompt: timeout: deadline exceeded; a prompt hook may run 200 ms (plugins.renderDeadline)")
  }, 60_000)
})

describe("name clashes between plugins", () => {
  test("one prompt name or one parser kind in two plugins: a warning names the hidden plugin's file and the one serving it", async () => {
    const clash = join(dir, "clash")
    mkdirSync(clash)
    const a = join(clash, "10-a.js")
    const b = join(clash, "20-b.js")
    writeFileSync(a, `export default { name: "a", prompts: [{ name: "dup", render: () => "a" }], parsers: { servers: () => undefined } }\n`)
    writeFileSync(b, `export default { name: "b", prompts: [{ name: "dup", render: () => "b" }, { name: "find_tool", render: () => "b" }], parsers: { servers: () => [] } }\n`)
    const r = await cli(["plugins", "list", "--plugins", clash])
    expect(r.code).toBe(0)
    const warns = r.err
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((w) => w.level === "warn")
    expect(warns).toContainEqual(expect.objectContaining({ msg: expect.stringContaining("prompt hidden by an earlier one"), prompt: "dup", hidden: `plugin "b" (${b})`, servedBy: `plugin "a" (${a})` }))
    expect(warns).toContainEqual(expect.objectContaining({ msg: expect.stringContaining("prompt hidden by an earlier one"), prompt: "find_tool", hidden: `plugin "b" (${b})`, servedBy: "the built-in prompt" }))
    expect(warns).toContainEqual(expect.objectContaining({ msg: expect.stringContaining("parser override hidden by an earlier plugin"), kind: "servers", hidden: `plugin "b" (${b})`, servedBy: `plugin "a" (${a})` }))
  })
})

describe("through serve with a real SDK Client", () => {
  let c: Connected
  let pluginDir: string
  beforeAll(async () => {
    const env = sandboxEnv()
    pluginDir = join(env.HOME!, "plugins")
    mkdirSync(pluginDir)
    // one policy: a log bomb on every call, a wrong-shaped result for one tool
    writeFileSync(
      join(pluginDir, "policy.js"),
      `export default {\n  name: "policy",\n  route(call) {\n    String.prototype.slice = function () { return this }\n    console.log("x".repeat(500000))\n    if (call.tool === "get-sum") return { args: "a=1" }\n  },\n}\n`,
    )
    const everything = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
    const cfg = join(env.HOME!, "config.yaml")
    writeFileSync(cfg, `toolkit:\n  enabled: "off"\nservers:\n  everything:\n    command: ${process.execPath}\n    args: ["${everything}", "stdio"]\nwarm: [everything]\n`)
    c = await connectBinary(["serve", "--config", cfg, "--plugins", pluginDir], { ...env, MCPO_LOG_LEVEL: "info" })
  }, 120_000)
  afterAll(() => c?.close())

  test("calls pass through the log bomb with every log line cut; a wrong-shaped result fails its call saying what was expected", async () => {
    const said = await c.client.callTool({ name: "everything__echo", arguments: { message: "still here" } })
    expect(said.isError).toBeFalsy()
    expect(JSON.stringify(said.content)).toContain("still here")
    let why: string
    try {
      const r = await c.client.callTool({ name: "everything__get-sum", arguments: { a: 1, b: 2 } })
      expect(r.isError).toBe(true)
      why = JSON.stringify(r.content)
    } catch (e) {
      why = (e as Error).message
    }
    expect(why).toMatch(/Plugin \\?"policy\\?" \(.*policy\.js:\d+\) failed in hook route: returned an invalid route result: args: expected the arguments as an object/)
    const again = await c.client.callTool({ name: "everything__echo", arguments: { message: "and again" } })
    expect(again.isError).toBeFalsy()
    // console lines come from the worker by message, after the call's answer: wait for the three
    const guest = (): string[] => c.stderr().split("\n").filter((l) => l.includes('"guest":true') && l.endsWith("}"))
    for (let i = 0; i < 500 && guest().length < 3; i++) await Bun.sleep(10)
    expect(guest().length).toBeGreaterThanOrEqual(3)
    for (const l of guest()) expect(l.length).toBeLessThan(3000)
    // and no fragment of an overlong line anywhere in the log
    for (const l of c.stderr().split("\n")) expect(l.length).toBeLessThan(10_000)
  }, 60_000)
})

describe("the remedy of a hook's fault is a command that reruns it", () => {
  // QA 272: it said `plugins test FILE --hook parse --input '…'` for every hook: a parser needs
  // its kind and a file of saved output, a prompt its name
  test("a parser's throw says --kind and --input-file; a render's throw says --prompt", async () => {
    const parser = plugin("thrower.js", `export default {\n  name: "thrower",\n  parsers: { catalog(text) { throw new Error("no") } },\n  prompts: [{ name: "p1", render() { throw new Error("nope") } }],\n}\n`)
    const txt = plugin("cat.txt", "{}\n")
    const p = await cli(["plugins", "test", parser, "--hook", "parse", "--kind", "catalog", "--input-file", txt])
    expect(p.code).toBe(1)
    expect(p.err).toContain(`Remedy: Reproduce with \`mcp-orchestrator plugins test ${parser} --hook parse --kind catalog --input-file out.txt\`, out.txt holding the Toolkit output`)
    const r = await cli(["plugins", "test", parser, "--hook", "prompt", "--prompt", "p1", "--input", "{}"])
    expect(r.code).toBe(1)
    expect(r.err).toContain(`Remedy: Reproduce with \`mcp-orchestrator plugins test ${parser} --hook prompt --prompt p1 --input '{…the arguments…}'\`.`)
  })
})

describe("plugins check of a file serve never loads", () => {
  // QA 272: `plugins check policy.cjs` said "ok" while serve skips the name: a policy the author
  // believed in force was not loaded at all
  test("a .cjs file, a .d.ts file: the check says serve does not load it and fails", async () => {
    for (const name of ["policy.cjs", "policy.d.ts", ".policy.js"]) {
      const file = plugin(name, `export default { name: "policy", route(call) { return { deny: "no" } } }\n`)
      const r = await cli(["plugins", "check", file])
      expect({ name, code: r.code }).toEqual({ name, code: 1 })
      expect(r.err).toContain(`${file}: serve does not load this file: plugin files are named *.js, *.mjs, *.ts or *.mts`)
      expect(r.out).not.toMatch(/^ok:/m)
    }
    const fine = await cli(["plugins", "check", plugin("policy.mjs", `export default { name: "policy", route(call) { return { deny: "no" } } }\n`)])
    expect({ code: fine.code, err: fine.err }).toEqual({ code: 0, err: "" })
  })
})
