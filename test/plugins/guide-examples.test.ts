/**
 * @module test/plugins/guide-examples
 * The plugin guide (docs/plugins.md) is followed literally: its code blocks are extracted from the
 * doc and run through the compiled binary, so an example that stops loading or behaving as the
 * guide says fails here.
 *
 * - the contract block (a whole module, `import type` and `satisfies Plugin` included) loads with
 *   `plugins check`, and each hook it shows runs with `plugins test` without a fault;
 * - the `prompts` and `parsers` blocks (members of the default export) load wrapped in an export
 *   and render / parse as the guide describes;
 * - every `mcp-orchestrator plugins …` line of the CLI block runs as written (FILE replaced by the
 *   example plugin that has the hook, `captured.ndjson` by the ndjson fixture) and exits 0.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { BIN, ensureBuilt, ROOT } from "../helpers/binary.ts"

const GUIDE = readFileSync(join(ROOT, "docs", "plugins.md"), "utf8")
const EXAMPLES = join(ROOT, "plugins")
let scratch: string

/** The fenced blocks of the guide with their language. */
function blocks(lang: string): string[] {
  const out: string[] = []
  const re = /^```(\w*)\n([\s\S]*?)^```$/gm
  for (let m = re.exec(GUIDE); m; m = re.exec(GUIDE)) if (m[1] === lang) out.push(m[2]!)
  return out
}
const block = (lang: string, marker: string): string => {
  const found = blocks(lang).filter((b) => b.includes(marker))
  if (found.length !== 1) throw new Error(`docs/plugins.md: expected one ${lang} block containing ${JSON.stringify(marker)}, found ${found.length}`)
  return found[0]!
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn([BIN, ...args], {
    cwd: scratch,
    env: { PATH: process.env.PATH ?? "", HOME: scratch, XDG_CONFIG_HOME: join(scratch, "config"), XDG_CACHE_HOME: join(scratch, "cache"), XDG_STATE_HOME: join(scratch, "state") },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  })
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { code, out, err }
}
const ok = async (args: string[]) => {
  const r = await run(args)
  if (r.code !== 0) throw new Error(`mcp-orchestrator ${args.join(" ")} exited ${r.code}:\n${r.err}${r.out}`)
  return r.out
}

/** Splits a shell line with '…' quoting (all the guide uses). */
function argv(line: string): string[] {
  const out: string[] = []
  for (const m of line.matchAll(/'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2]!)
  return out
}

beforeAll(async () => {
  await ensureBuilt()
  scratch = mkdtempSync(join(tmpdir(), "mcpo-plugin-guide-"))
  copyFileSync(join(EXAMPLES, "types.d.ts"), join(scratch, "types.d.ts"))
  for (const f of ["prompt-pack.ts", "route-rules.ts", "ndjson-servers.ts"]) copyFileSync(join(EXAMPLES, f), join(scratch, f))
  copyFileSync(join(ROOT, "test", "fixtures", "plugins", "server-ls.ndjson"), join(scratch, "captured.ndjson"))
})
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe("docs/plugins.md examples, run as written", () => {
  test("the contract: the module loads and each hook it shows runs without a fault", async () => {
    writeFileSync(join(scratch, "contract.ts"), block("ts", "satisfies Plugin"))
    expect(await ok(["plugins", "check", "contract.ts"])).toContain("ok: my-plugin 1.0.0")
    const tools = [{ name: "fs__read_file", inputSchema: { type: "object" } }]
    expect(JSON.parse(await ok(["plugins", "test", "contract.ts", "--hook", "tools", "--input", JSON.stringify(tools)]))).toEqual(tools)
    expect(JSON.parse(await ok(["plugins", "test", "contract.ts", "--hook", "route", "--input", '{"server":"fs","tool":"cat","args":{}}']))).toBeNull()
    expect(JSON.parse(await ok(["plugins", "test", "contract.ts", "--hook", "parse", "--kind", "servers", "--input", '"x"']))).toBeNull()
  })

  test("a tools hook that returns nothing is told to return the list (the guide's rule), not '(export): Invalid input'", async () => {
    writeFileSync(join(scratch, "noreturn.js"), 'export default { name: "noreturn", tools(tools) { tools.forEach((t) => { t.description = "x" }) } }\n')
    const r = await run(["plugins", "test", "noreturn.js", "--hook", "tools", "--input", '[{"name":"a__b","inputSchema":{"type":"object"}}]'])
    expect(r.code).toBe(1)
    expect(r.err).toContain("returned nothing, but a tools hook must return the tool list (`return tools` keeps it unchanged)")
    writeFileSync(join(scratch, "object.js"), 'export default { name: "object", tools() { return {} } }\n')
    const o = await run(["plugins", "test", "object.js", "--hook", "tools", "--input", "[]"])
    expect(o.err).toContain("returned an invalid tools result: (result): Invalid input: expected array")
  })

  test("prompts: the block renders a string as one user message", async () => {
    writeFileSync(join(scratch, "prompts.ts"), `export default {\n  name: "guide-prompts",\n${block("ts", "explain_error")}\n}\n`)
    const out = JSON.parse(await ok(["plugins", "test", "prompts.ts", "--hook", "prompt", "--prompt", "explain_error", "--input", '{"error":"EPIPE"}']))
    expect(out.messages).toEqual([{ role: "user", content: { type: "text", text: "Explain: EPIPE" } }])
    // a missing required argument is refused before render, listing the expected arguments
    const missing = await run(["plugins", "test", "prompts.ts", "--hook", "prompt", "--prompt", "explain_error", "--input", "{}"])
    expect(missing.code).toBe(1)
    expect(missing.err).toContain("error")
  })

  test("parsers: the block's servers parser is used for its kind", async () => {
    writeFileSync(join(scratch, "parsers.ts"), `export default {\n  name: "guide-parsers",\n${block("ts", "ctx = { version, era, command }")}\n}\n`)
    expect(JSON.parse(await ok(["plugins", "test", "parsers.ts", "--hook", "parse", "--kind", "servers", "--input", '"anything"']))).toEqual([{ name: "…" }])
  })

  test("every command of the CLI block runs as written", async () => {
    const lines = block("sh", "mcp-orchestrator plugins list")
      .split("\n")
      .filter((l) => l.startsWith("mcp-orchestrator "))
    expect(lines.length).toBeGreaterThanOrEqual(7)
    const fileFor = (line: string): string =>
      /--hook route|--hook tools/.test(line) ? "route-rules.ts" : /--hook prompt/.test(line) ? "prompt-pack.ts" : /--hook parse/.test(line) ? "ndjson-servers.ts" : "route-rules.ts"
    for (const line of lines) {
      const args = argv(line.replace(/^mcp-orchestrator /, ""))
        // optional parts are written [--x …]: take them as given
        .flatMap((a) => (a === "[--plugins" ? ["--plugins"] : a === "DIR]" ? ["."] : a === "[--json]" ? ["--json"] : [a]))
        .map((a) => (a === "FILE" ? fileFor(line) : a))
      const out = await ok(args)
      if (args.includes("--json") || args[1] === "test") expect(() => JSON.parse(out)).not.toThrow()
    }
  })
})
