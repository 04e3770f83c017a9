/**
 * Regression (QA defect 2): a config file ending in `.json` was read as YAML, so a Cursor-style
 * `// comment` gave a garbled "unknown key" error and a trailing comma passed silently. `.json` and
 * `.jsonc` are JSON with comments (as Cursor's mcp.json): comments and trailing commas are allowed,
 * syntax errors name file:line:column, validation errors keep the key's line, duplicates are errors.
 */
import { describe, expect, test } from "bun:test"
import { join } from "node:path"
import { loadConfig, parseConfigText } from "../../src/config/index.ts"
import { configDir, problems } from "./helpers.ts"

const { dir, file } = configDir("mcpo-jsonc-")
const noEnv = { HOME: dir, XDG_CONFIG_HOME: join(dir, "none") }

const CURSOR_STYLE = `{
  // the orchestrator's own settings
  "toolkit": { "enabled": "off", },
  /* servers moved from mcp.json */
  "mcpServers": {
    "memory": {
      "command": "npx", // the reference server
      "args": ["-y", "@modelcontextprotocol/server-memory",],
    },
  },
}
`

describe(".json and .jsonc config files are JSON with comments", () => {
  for (const ext of ["json", "jsonc", "JSON"]) {
    test(`comments and trailing commas are accepted (.${ext})`, () => {
      const { config } = loadConfig({ configPath: file(CURSOR_STYLE, ext), env: noEnv })
      expect(config.toolkit.enabled).toBe("off")
      expect(config.servers.memory).toMatchObject({ command: "npx", args: ["-y", "@modelcontextprotocol/server-memory"] })
    })
  }

  test("a validation error names the key's line, past comments", () => {
    const p = file(`{\n  // c\n  /* multi\n     line */\n  "pool": {\n    "maxInFlite": 2, // typo\n  },\n}\n`, "json")
    expect(problems(() => loadConfig({ configPath: p, env: noEnv }))).toEqual([`pool.maxInFlite (${p}:6): unknown key; did you mean "maxInFlight"?`])
  })

  test("syntax errors name file:line:column and what was expected, not a YAML message", () => {
    const cases: Array<[string, string]> = [
      ['{\n  "a": 1\n  "b": 2\n}\n', ':3:3: not valid JSON: expected "," between entries, found `"b"`'],
      ["{\n  servers: {}\n}\n", ":2:3: not valid JSON: unexpected `servers` (strings and keys need double quotes)"],
      ['{\n  "log": { "level": \'debug\' }\n}\n', ":2:21: not valid JSON: unexpected `'debug'` (strings and keys need double quotes)"],
      ['{\n  "a": [1, 2\n', ':3:1: not valid JSON: expected "]", found the end of the file'],
      ['{ "a": 1 } /* open\n', ":1:12: not valid JSON: unterminated /* comment"],
      ['{ "a": "x\n', ":1:8: not valid JSON: unterminated string"],
    ]
    for (const [text, want] of cases) {
      const p = file(text, "json")
      const got = problems(() => loadConfig({ configPath: p, env: noEnv }))
      expect(got).toEqual([`${p}${want}`])
    }
  })

  test("the remedy says comments and trailing commas are fine", () => {
    try {
      parseConfigText("{ x }", "c.json")
      throw new Error("no error")
    } catch (e) {
      expect((e as { remedy?: string }).remedy).toContain("comments and trailing commas are allowed")
    }
  })

  test("a duplicate key is an error naming both lines, comments or not", () => {
    const p = file('{\n  // one\n  "servers": {},\n  "servers": {},\n}\n', "jsonc")
    expect(problems(() => loadConfig({ configPath: p, env: noEnv }))).toEqual([`servers (${p}:4): duplicate key; it is already set on line 3`])
  })

  test("the top level must be a mapping; __proto__ is a key like any other", () => {
    expect(problems(() => parseConfigText("[1, 2] // list", "c.json"))).toEqual(["c.json:1: expected a mapping at the top level, got a list"])
    const p = file('{ "__proto__": { "polluted": 1 } }', "json")
    expect(problems(() => loadConfig({ configPath: p, env: noEnv }))[0]).toStartWith(`__proto__ (${p}:1): unknown key`)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  test("a document with no value (empty, whitespace, comments only) is no settings, marked empty", () => {
    for (const text of ["", "  \n\n", "// nothing yet\n", "/* a */ // b\n"]) {
      const layer = parseConfigText(text, "c.jsonc")
      expect({ text, values: layer.values, empty: layer.empty }).toEqual({ text, values: {}, empty: true })
    }
    expect(parseConfigText("{}", "c.json").empty).toBe(false)
  })

  test("YAML files are still YAML (JSON in a .yaml file too)", () => {
    expect(parseConfigText("# yaml\nlog: {level: debug}\n", "c.yaml").values).toEqual({ log: { level: "debug" } })
    expect(parseConfigText('{"log": {"level": "warn"}}', "c.yml").values).toEqual({ log: { level: "warn" } })
  })
})

describe("the default location", () => {
  test("config.jsonc there is found (and read as JSON with comments) when no other config file exists", async () => {
    const { mkdirSync, mkdtempSync, writeFileSync } = await import("node:fs")
    const { tmpdir } = await import("node:os")
    const home = mkdtempSync(join(tmpdir(), "mcpo-jsonc-home-"))
    mkdirSync(join(home, "mcp-orchestrator"))
    writeFileSync(join(home, "mcp-orchestrator", "config.jsonc"), CURSOR_STYLE)
    const { config } = loadConfig({ env: { HOME: home, XDG_CONFIG_HOME: home } })
    expect(config.servers.memory).toMatchObject({ command: "npx" })
  })
})
