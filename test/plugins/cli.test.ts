/**
 * @module test/plugins/cli
 * `plugins list|check|test` through the CLI (bun src/main.ts), and once through a freshly compiled
 * binary run from another directory without node_modules (QuickJS WASM and the sandbox worker must
 * be embedded in the binary).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { COMPILE_FLAGS, ENTRYPOINTS } from "../../scripts/lib/build-config.ts"

const ROOT = join(import.meta.dir, "..", "..")
const EXAMPLES = join(ROOT, "plugins")
const FIXTURE = join(ROOT, "test", "fixtures", "plugins", "server-ls.ndjson")
let scratch: string

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "mcpo-plugins-cli-"))
})
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** Runs the CLI with an isolated config home so the user's own config and plugins do not leak in. */
async function run(cmd: string[], args: string[], cwd = ROOT): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn([...cmd, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: scratch, XDG_CONFIG_HOME: join(scratch, "config"), XDG_CACHE_HOME: join(scratch, "cache") },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  })
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { code, out, err }
}
const cli = (...args: string[]) => run([process.execPath, join(ROOT, "src", "main.ts")], args)

describe("plugins CLI (source)", () => {
  test("plugins list --plugins DIR --json: default dir plus DIR, plugins in order with state", async () => {
    const r = await cli("plugins", "list", "--plugins", EXAMPLES, "--json")
    expect(r.code).toBe(0)
    const j = JSON.parse(r.out) as { dirs: string[]; plugins: Array<{ name: string; state: string }>; prompts: string[] }
    expect(j.dirs).toEqual([join(scratch, "config", "mcp-orchestrator", "plugins"), EXAMPLES])
    expect(j.plugins.map((p) => `${p.name}:${p.state}`)).toEqual(["ndjson-servers:active", "prompt-pack:active", "route-rules:active"])
    expect(j.prompts).toContain("review_diff")
  })

  test("plugins check: ok summary; a broken file gives file:line on stderr and exit 1", async () => {
    const ok = await cli("plugins", "check", join(EXAMPLES, "route-rules.ts"))
    expect(ok.code).toBe(0)
    expect(ok.out).toBe(`ok: route-rules 1.0.0 (${join(EXAMPLES, "route-rules.ts")})\n  hooks: route, tools\n`)
    const bad = join(scratch, "bad.ts")
    writeFileSync(bad, "export default {\n  name: 'bad',\n  route: 5,\n}\n")
    const r = await cli("plugins", "check", bad)
    expect(r.code).toBe(1)
    expect(r.err).toContain(`${bad}:3: invalid plugin export:\n  - route: expected a function`)
  })

  test("plugins test --hook route|tools|prompt|parse prints the hook result as JSON", async () => {
    const route = await cli("plugins", "test", join(EXAMPLES, "route-rules.ts"), "--hook", "route", "--input", '{"server":"fs","tool":"cat","args":{"path":"/a"}}')
    expect(route.code).toBe(0)
    expect(JSON.parse(route.out)).toEqual({ tool: "read_text_file", args: { head: 200, path: "/a" } })

    const tools = await cli("plugins", "test", join(EXAMPLES, "route-rules.ts"), "--hook", "tools", "--input", '[{"name":"e__get-env","inputSchema":{"type":"object"}},{"name":"e__echo","inputSchema":{"type":"object"}}]')
    expect(JSON.parse(tools.out)).toEqual([{ name: "e__echo", inputSchema: { type: "object" } }])

    const prompt = await cli("plugins", "test", join(EXAMPLES, "prompt-pack.ts"), "--hook", "prompt", "--input", '{"name":"explain_error","args":{"error":"EPIPE"}}')
    expect(JSON.parse(prompt.out).messages[0]).toEqual({ role: "user", content: { type: "text", text: "Explain this error and how to fix it:\n\nEPIPE" } })

    const parse = await cli("plugins", "test", join(EXAMPLES, "ndjson-servers.ts"), "--hook", "parse", "--kind", "servers", "--input-file", FIXTURE)
    expect(parse.code).toBe(0)
    expect((JSON.parse(parse.out) as Array<{ name: string }>).map((s) => s.name)).toEqual(["github-official", "duckduckgo", "postgres"])
  })

  test("plugins test --hook tools: the list as serve would list it, what serve changes on stderr, exit 1", async () => {
    // each kind of entry serve's checks (proxy/hook-tools) drop or repair; `plugins test` said "ok" to all of them
    const file = join(scratch, "served.js")
    writeFileSync(
      file,
      `export default { name: "served", tools(tools) { return [
        ...tools.map((t) => ({ ...t, outputSchema: { type: "object" } })),
        { name: "call_tool", inputSchema: { type: "object" } },
        { name: "made_up", inputSchema: { type: "object" } },
        { name: "e__add", inputSchema: { type: "object", properties: 5 } },
      ] } }\n`,
    )
    const given = [{ name: "e__echo", inputSchema: { type: "object" } }, { name: "e__add", inputSchema: { type: "object" } }]
    const r = await cli("plugins", "test", file, "--hook", "tools", "--input", JSON.stringify(given))
    expect(r.code).toBe(1)
    // outputSchema refused (the servers' tools declare none), own and unknown names left out, the duplicate dropped by the plugin check
    expect(JSON.parse(r.out)).toEqual(given)
    expect(r.err).toContain("it changes what the tools hook returned")
    expect(r.err).toContain('(tool "call_tool": it is the name of one of mcp-orchestrator\'s own tools')
    expect(r.err).toContain('(tool "made_up": no server has a tool of that name')
    expect(r.err).toContain('(tool "e__echo": its outputSchema: its server\'s tool declares none')
    // what the plugin itself leaves out (an entry that is no tool: here a duplicate) is said in the same list
    expect(r.err).toContain('  - a plugin tools hook listed an entry that is no tool; left out of the list (tool "e__add": duplicate tool name')

    // a list serve keeps as it is: exit 0, nothing said
    const same = join(scratch, "same.js")
    writeFileSync(same, `export default { name: "same", tools(tools) { return tools.slice(1) } }\n`)
    const ok = await cli("plugins", "test", same, "--hook", "tools", "--input", JSON.stringify(given))
    expect(ok.code).toBe(0)
    expect(JSON.parse(ok.out)).toEqual([given[1]])
    expect(ok.err).toBe("")
  })

  test("usage errors exit 2; a hook error exits 1 with the plugin's message", async () => {
    const noHook = await cli("plugins", "test", join(EXAMPLES, "prompt-pack.ts"), "--hook", "route", "--input", "{}")
    expect(noHook.code).toBe(2)
    expect(noHook.err).toContain('plugin "prompt-pack" has no route hook (it has: prompt)')
    const badJson = await cli("plugins", "test", join(EXAMPLES, "route-rules.ts"), "--hook", "route", "--input", "{nope")
    expect(badJson.code).toBe(2)
    const missing = await cli("plugins", "test", join(EXAMPLES, "prompt-pack.ts"), "--hook", "prompt", "--prompt", "write_commit_message", "--input", "{}")
    expect(missing.code).toBe(1)
    expect(missing.err).toContain('missing required argument "summary"')
  })
})

describe("compiled binary", () => {
  test("the build (and release) compiles the sandbox worker entry", () => {
    expect(ENTRYPOINTS).toContain("src/sandbox/worker.ts")
    expect(readFileSync(join(ROOT, "scripts", "build.ts"), "utf8")).toContain("...ENTRYPOINTS")
    expect(readFileSync(join(ROOT, "scripts", "release.ts"), "utf8")).toContain("...ENTRYPOINTS")
  })

  test("run from another directory without node_modules, the binary loads QuickJS and runs plugins", async () => {
    const out = join(scratch, "bin", "mcp-orchestrator")
    // same flags as scripts/build.ts, to a private path (dist/ belongs to the lead's build)
    const build = await run(
      [process.execPath, "build", ...COMPILE_FLAGS, "--outfile", out],
      [...ENTRYPOINTS],
    )
    expect(build.code).toBe(0)
    const away = join(scratch, "elsewhere")
    await Bun.write(join(away, "route-rules.ts"), Bun.file(join(EXAMPLES, "route-rules.ts")))
    copyFileSync(FIXTURE, join(away, "servers.ndjson"))
    await Bun.write(join(away, "ndjson-servers.ts"), Bun.file(join(EXAMPLES, "ndjson-servers.ts")))
    const r = await run([out], ["plugins", "test", "route-rules.ts", "--hook", "route", "--input", '{"server":"e","tool":"get-env","args":{}}'], away)
    expect(r.err).toBe("")
    expect(JSON.parse(r.out)).toEqual({ deny: "get-env prints the server's environment, which may hold secrets" })
    const p = await run([out], ["plugins", "test", "ndjson-servers.ts", "--hook", "parse", "--input-file", "servers.ndjson"], away)
    expect(p.code).toBe(0)
    expect(JSON.parse(p.out)).toHaveLength(3)
  }, 60_000)
})
