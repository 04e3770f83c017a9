/** Generated docs are current, and every typed error code thrown in src/ is in the error catalog. */
import { describe, expect, test } from "bun:test"
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { renderDocs } from "../../scripts/gen-docs.ts"
import { documentedTools } from "../../src/app/tool-catalog.ts"
import { chooseConfigFile, DEFAULT_NAMES, knownEnvNames, objectShape, RemoteServerSchema } from "../../src/config/index.ts"
import { ERROR_CATALOG } from "../../src/core/index.ts"
import { TOOLKIT_ERROR_CODES } from "../../src/docker/index.ts"

const ROOT = join(import.meta.dir, "..", "..")

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name)
    return e.isDirectory() ? sources(p) : /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [p] : []
  })
}

describe("generated docs", () => {
  test("docs/tools.md, docs/config.md and docs/troubleshooting.md match `bun run docs`", () => {
    for (const [rel, text] of Object.entries(renderDocs())) {
      let committed = ""
      try {
        committed = readFileSync(join(ROOT, rel), "utf8")
      } catch {
        // missing counts as stale
      }
      if (committed !== text) throw new Error(`${rel} is stale: run \`bun run docs\` and commit the result`)
    }
  })

  test("docs/config.md says which default config file is read when several exist, and that serve warns, in the warning's own words", () => {
    const md = renderDocs()["docs/config.md"]!
    const home = mkdtempSync(join(tmpdir(), "mcpo-docs-"))
    const dir = join(home, "mcp-orchestrator")
    mkdirSync(dir)
    for (const name of ["config.yaml", "config.json"]) writeFileSync(join(dir, name), "{}")
    const warning = chooseConfigFile(undefined, { HOME: home, XDG_CONFIG_HOME: home })!.warning!
    // the example quoted is the start of the real warning, and its end too
    const said = /config\.yaml and config\.json both exist in the default location; using config\.yaml/.exec(warning)?.[0]
    expect(said).toBeDefined()
    expect(warning).toEndWith("config.json is not read")
    expect(md).toContain(`"${said} …, config.json is not read"`)
    expect(md).toContain(`the first of ${DEFAULT_NAMES.map((n) => `\`${n}\``).join(", ")} that exists`)
    expect(md).toMatch(/`serve` warns at start/)
  })

  test("docs/config.md names every MCPO_ variable the program reads (doctor's remedy for an unknown one points there)", () => {
    const config = renderDocs()["docs/config.md"]!
    const missing = knownEnvNames().filter((name) => !config.includes(`\`${name}\``))
    expect(missing).toEqual([])
  })

  test("docs/config.md has a row for every key of a remote server's auth block (auth.md and the README name them)", () => {
    const config = renderDocs()["docs/config.md"]!
    const keys = Object.keys(objectShape(objectShape(RemoteServerSchema)!.auth!)!)
    expect(keys).toContain("allowPrivateAuthServers")
    expect(keys.filter((k) => !config.includes(`| \`${k}\` |`))).toEqual([])
  })

  test("docs/tools.md documents every own tool with input, output, example and errors", () => {
    const md = renderDocs()["docs/tools.md"]!
    for (const t of documentedTools()) {
      const section = md.slice(md.indexOf(`## ${t.name}\n`))
      expect(section).toContain("**Input**")
      expect(section).toContain("**Example**")
      expect(section).toContain("**Errors**")
      expect(section).toContain(t.description)
    }
  })

  test("every error code thrown in src/ is in ERROR_CATALOG (so docs/troubleshooting.md covers it)", () => {
    const thrown = new Set<string>(["CONFIG_INVALID", "PROTOCOL_ERROR", ...TOOLKIT_ERROR_CODES])
    for (const f of sources(join(ROOT, "src"))) {
      const text = readFileSync(f, "utf8")
      for (const m of text.matchAll(/new (?:Toolkit|Downstream|Plugin|Cache)Error\(\s*"([A-Z][A-Z0-9_]+)"/g)) thrown.add(m[1]!)
      for (const m of text.matchAll(/\blet code = "([A-Z][A-Z0-9_]+)"/g)) thrown.add(m[1]!)
      for (const m of text.matchAll(/new OrchestratorError\(\s*"\w+",\s*"([A-Z][A-Z0-9_]+)"/g)) thrown.add(m[1]!)
      // a subclass that fixes its code (pool's RpcError: DOWNSTREAM_RPC_ERROR, which call_tool shows as `[CODE] …`)
      if (/extends (?:Toolkit|Downstream|Plugin|Cache|Orchestrator)Error\b/.test(text)) for (const m of text.matchAll(/\bsuper\(\s*"([A-Z][A-Z0-9_]+)"/g)) thrown.add(m[1]!)
    }
    expect(thrown.size).toBeGreaterThan(20)
    const known = new Set(ERROR_CATALOG.map((e) => e.code))
    const missing = [...thrown].filter((c) => !known.has(c)).sort()
    expect(missing).toEqual([])
    for (const t of documentedTools()) for (const c of t.errors ?? []) expect(known.has(c)).toBe(true)
  })
})
