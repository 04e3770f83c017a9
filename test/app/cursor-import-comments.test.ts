/**
 * Regressions (QA qa19, first hour):
 * - `cursor connect --import` left the comments written above a moved entry behind in mcp.json,
 *   where they then described the entry after them (or ours), and dropped the comment trailing an
 *   entry's line. They now go with the entry: `#` lines above it in the orchestrator config (`//`
 *   lines in a .json one), and back into mcp.json with it on `disconnect`. Comments not right above
 *   an entry (a blank line between) stay where they are.
 * - `"mcpServers": null` in mcp.json was refused ("expected an object"); it is read as no servers,
 *   with a note, and our entry is written into it.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { parseDocument } from "yaml"
import { BIN, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

function run(args: string[], env: Record<string, string>): { code: number; out: string } {
  const r = Bun.spawnSync([BIN, ...args], { env, cwd: env.HOME })
  return { code: r.exitCode, out: r.stdout.toString() + r.stderr.toString() }
}

const MCP_JSON = `{
  // my servers
  "mcpServers": {
    // memory keeps notes
    "memory": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-memory"]
    },

    // a section header, a blank line below it

    /* the filesystem one,
       rooted at /tmp */
    "fs": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"] }, // read-only please
    "plain": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-everything"] }
  }
}
`

function setup(configName = "config.yaml", configText?: string): { env: Record<string, string>; mcpPath: string; cfgPath: string } {
  const env = sandboxEnv()
  const mcpPath = join(env.HOME!, ".cursor", "mcp.json")
  mkdirSync(join(env.HOME!, ".cursor"), { recursive: true })
  writeFileSync(mcpPath, MCP_JSON)
  const cfgPath = join(env.XDG_CONFIG_HOME!, "mcp-orchestrator", configName)
  if (configText !== undefined) {
    mkdirSync(join(env.XDG_CONFIG_HOME!, "mcp-orchestrator"), { recursive: true })
    writeFileSync(cfgPath, configText)
  }
  return { env, mcpPath, cfgPath }
}

describe("connect --import moves an entry's comments with it", () => {
  test("into a YAML config as # lines; mcp.json keeps only the comments that were no entry's; disconnect puts them back", () => {
    const { env, mcpPath, cfgPath } = setup()
    const r = run(["cursor", "connect", "--import"], env)
    expect(r.code, r.out).toBe(0)
    const mcp = readFileSync(mcpPath, "utf8")
    for (const gone of ["memory keeps notes", "the filesystem one", "rooted at /tmp", "read-only please"]) expect(mcp).not.toContain(gone)
    expect(mcp).toContain("// my servers")
    expect(mcp).toContain("// a section header, a blank line below it")
    const cfg = readFileSync(cfgPath, "utf8")
    expect(cfg).toContain("servers:\n  # memory keeps notes\n  memory:\n")
    expect(cfg).toContain("  # the filesystem one,\n  # rooted at /tmp\n  # read-only please\n  fs:\n")
    expect(cfg).toMatch(/\n {2}plain:\n/)
    expect(parseDocument(cfg).errors).toEqual([])
    expect(Object.keys(parseDocument(cfg).toJS().servers)).toEqual(["memory", "fs", "plain"])

    const back = run(["cursor", "disconnect"], env)
    expect(back.code, back.out).toBe(0)
    const restored = readFileSync(mcpPath, "utf8")
    expect(restored).toContain('// memory keeps notes\n    "memory": {')
    expect(restored).toContain('// the filesystem one,\n    // rooted at /tmp\n    // read-only please\n    "fs": {')
  })

  test("into a JSON config as // lines", () => {
    const { env, cfgPath } = setup("config.json", '{\n  "servers": {\n    "a": { "command": "true" }\n  }\n}\n')
    const r = run(["cursor", "connect", "--import"], env)
    expect(r.code, r.out).toBe(0)
    const cfg = readFileSync(cfgPath, "utf8")
    expect(cfg).toContain('    // memory keeps notes\n    "memory": {')
    expect(cfg).toContain('    // the filesystem one,\n    // rooted at /tmp\n    // read-only please\n    "fs": {')
  })
})

describe('"mcpServers": null', () => {
  test("is read as no servers, with a note; the entry goes into it and the file stays valid", () => {
    const env = sandboxEnv()
    const mcpPath = join(env.HOME!, ".cursor", "mcp.json")
    mkdirSync(join(env.HOME!, ".cursor"), { recursive: true })
    writeFileSync(mcpPath, '{\n  "mcpServers": null\n}\n')
    const r = run(["cursor", "connect", "--import"], env)
    expect(r.code, r.out).toBe(0)
    expect(r.out).toContain(`note: ${mcpPath}: "mcpServers" is null; read as no servers`)
    const after = JSON.parse(readFileSync(mcpPath, "utf8"))
    expect(Object.keys(after.mcpServers)).toEqual(["mo"])
    const off = run(["cursor", "disconnect"], env)
    expect(off.code, off.out).toBe(0)
  })

  test("a list or a string there is still refused, saying what was expected (exit 2)", () => {
    const env = sandboxEnv()
    const mcpPath = join(env.HOME!, ".cursor", "mcp.json")
    mkdirSync(join(env.HOME!, ".cursor"), { recursive: true })
    writeFileSync(mcpPath, '{ "mcpServers": ["a"] }\n')
    const r = run(["cursor", "connect"], env)
    expect(r.code).toBe(2)
    expect(r.out).toContain("mcpServers: expected an object of server entries")
    expect(r.out).toContain("got a list")
  })
})

describe("disconnect --name", () => {
  test("a key connect could never write is a usage error (exit 2), as for connect, not 'nothing to do'", () => {
    const env = sandboxEnv()
    const r = run(["cursor", "disconnect", "--name", "a b"], env)
    expect(r.code).toBe(2)
    expect(r.out).toContain('--name "a b": expected 1-40 of A-Z a-z 0-9 _ - .')
  })
})
