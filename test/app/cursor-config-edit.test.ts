/**
 * `cursor connect --import` writing into the orchestrator's own config and into mcp.json, as a new
 * user and as one with a hand-written config (QA round 7a): the new entries are added as block YAML
 * and every byte of the user's file stays as written (no folding, no re-spacing, a new file is not
 * one flow mapping); a config that cannot take them (invalid, a list where the servers go), or an
 * mcp.json with a key written twice, is refused with file:line before anything is written; a second
 * run writes nothing and piles up no backup; a read-only file is not replaced; a dangling symlinked
 * mcp.json stays a link.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parse } from "yaml"
import { cursorConnect } from "../../src/app/cursor-setup.ts"
import { recordPath } from "../../src/app/cursor-record.ts"
import { parseJsonc } from "../../src/app/jsonc-edit.ts"
import { ConfigError } from "../../src/core/index.ts"

const MCP = '{\n  "mcpServers": {\n    "mem": { "command": "node", "args": ["server.js"], "env": { "MEMORY_FILE_PATH": "/tmp/m.json" } }\n  }\n}\n'
const MEM = { command: "node", args: ["server.js"], env: { MEMORY_FILE_PATH: "/tmp/m.json" } }

const homes: string[] = []
afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true })
})

function setup(mcp: string | undefined, config?: string) {
  const home = mkdtempSync(join(tmpdir(), "mcpo-cursor-cfg-"))
  homes.push(home)
  mkdirSync(join(home, ".cursor"))
  const mcpPath = join(home, ".cursor", "mcp.json")
  if (mcp !== undefined) writeFileSync(mcpPath, mcp)
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, "config"), XDG_STATE_HOME: join(home, "state") }
  const cfgPath = join(home, "config", "mcp-orchestrator", "config.yaml")
  if (config !== undefined) {
    mkdirSync(join(home, "config", "mcp-orchestrator"), { recursive: true })
    writeFileSync(cfgPath, config)
  }
  const connect = () => cursorConnect({ name: "mo", importServers: true, dryRun: false, command: "/opt/mo", env })
  const backups = () => [join(home, ".cursor"), join(home, "config", "mcp-orchestrator")].filter(existsSync).flatMap((d) => readdirSync(d).filter((f) => f.includes(".bak-")))
  return { home, mcpPath, cfgPath, env, connect, backups }
}

function refused(f: () => unknown): ConfigError {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError)
    return e as ConfigError
  }
  throw new Error("expected a ConfigError")
}

describe("the orchestrator config written by connect --import", () => {
  test("a new user's config is block YAML, not one flow mapping", () => {
    const s = setup(MCP)
    s.connect()
    const text = readFileSync(s.cfgPath, "utf8")
    expect(text).toBe("servers:\n  mem:\n    command: node\n    args:\n      - server.js\n    env:\n      MEMORY_FILE_PATH: /tmp/m.json\n")
  })

  test("a hand-written config keeps every byte; the moved server is added after the last one, in the file's indentation", () => {
    const original = [
      "# my orchestrator config",
      "log: { level: info }   # inline comment",
      "",
      "servers:",
      "    # a server of mine",
      "    other:",
      "        command: node",
      '        args: ["--flag", "an argument that goes well past eighty characters, which a re-printed document folds onto two lines", x]',
      "        env:",
      '            SINGLE: \'single quoted\'',
      "    anch: &a {command: node, args: [y.js]}",
      "pool:",
      "    maxInFlight: 0x10",
      "warm: [other]",
      "",
    ].join("\n")
    const s = setup(MCP, original)
    s.connect()
    const text = readFileSync(s.cfgPath, "utf8")
    const at = original.indexOf("pool:")
    expect(text).toBe(original.slice(0, at) + "    mem:\n        command: node\n        args:\n            - server.js\n        env:\n            MEMORY_FILE_PATH: /tmp/m.json\n" + original.slice(at))
    expect(parse(text).servers.mem).toEqual(MEM)
  })

  test("a config without servers gets the key appended; CRLF files stay CRLF; `servers:` with no value takes them", () => {
    const s = setup(MCP, "# mine\r\nlog:\r\n  level: debug\r\n")
    s.connect()
    expect(readFileSync(s.cfgPath, "utf8")).toBe("# mine\r\nlog:\r\n  level: debug\r\nservers:\r\n  mem:\r\n    command: node\r\n    args:\r\n      - server.js\r\n    env:\r\n      MEMORY_FILE_PATH: /tmp/m.json\r\n")

    const t = setup(MCP, "# mine\nlog:\n  level: info\nservers:\n")
    t.connect()
    const text = readFileSync(t.cfgPath, "utf8")
    expect(text).toStartWith("# mine\nlog:\n  level: info\nservers:\n")
    expect(parse(text)).toEqual({ log: { level: "info" }, servers: { mem: MEM } })
  })

  test("an empty `servers: {}` (or `~`) takes the entries as block YAML; comments and the other keys stay as written", () => {
    for (const [original, expected] of [
      ["log: {level: info}\nservers: {}   # none yet\n", "log: {level: info}\nservers:    # none yet\n  mem:\n"],
      ["servers: ~\n# later\nlog: {level: info}\n", "servers:\n  mem:\n"],
      ["servers:\n  # a note of mine\nlog: {level: info}\n", "servers:\n  mem:\n"],
    ] as const) {
      const s = setup(MCP, original)
      s.connect()
      const text = readFileSync(s.cfgPath, "utf8")
      expect(text).toStartWith(expected)
      expect(text).toContain("log: {level: info}\n")
      for (const c of ["# none yet", "# later", "# a note of mine"]) if (original.includes(c)) expect(text).toContain(c)
      expect(parse(text)).toEqual({ log: { level: "info" }, servers: { mem: MEM } })
    }
  })

  test("the Docker gateway's profile goes into an existing toolkit block, the rest untouched", () => {
    const original = "toolkit:\n  enabled: auto   # keep\nlog:\n  level: info\n"
    const s = setup('{ "mcpServers": { "MCP_DOCKER": { "command": "docker", "args": ["mcp", "gateway", "run", "--profile", "dev"] } } }\n', original)
    s.connect()
    expect(readFileSync(s.cfgPath, "utf8")).toBe("toolkit:\n  enabled: auto   # keep\n  profile: dev\nlog:\n  level: info\n")
  })

  test("a config that cannot take the servers is refused with file:line before anything is written", () => {
    for (const [config, problem] of [
      ["servers:\n  a: [\n", /config\.yaml:3: not valid YAML\/JSON/],
      ["log:\n  level: info\nservers:\n  - a\n", /^servers \(.*config\.yaml:3\): expected a mapping, got a list/],
      ["- a\n", /config\.yaml:1: expected a mapping at the top level, got a list/],
    ] as const) {
      const s = setup(MCP, config)
      const e = refused(s.connect)
      expect(e.problems.join("\n")).toMatch(problem)
      expect(readFileSync(s.mcpPath, "utf8")).toBe(MCP)
      expect(readFileSync(s.cfgPath, "utf8")).toBe(config)
      expect(existsSync(recordPath(s.env))).toBe(false)
      expect(s.backups()).toEqual([])
      // --dry-run says so too
      refused(() => cursorConnect({ name: "mo", importServers: true, dryRun: true, command: "/opt/mo", env: s.env }))
    }
  })
})

describe("mcp.json", () => {
  test("a second run changes nothing: no write, no new backup", () => {
    const s = setup(MCP, "log:\n  level: info\n")
    s.connect()
    const mcp = readFileSync(s.mcpPath, "utf8")
    const cfg = readFileSync(s.cfgPath, "utf8")
    const first = s.backups().length
    s.connect()
    cursorConnect({ name: "mo", importServers: false, dryRun: false, command: "/opt/mo", env: s.env })
    expect(s.backups().length).toBe(first)
    expect(readFileSync(s.mcpPath, "utf8")).toBe(mcp)
    expect(readFileSync(s.cfgPath, "utf8")).toBe(cfg)
  })

  test("a server key written twice is refused naming both lines (Cursor runs the last; an edit would remove the first)", () => {
    const text = '{\n  "mcpServers": {\n    "a": { "command": "old" },\n    "a": { "command": "node", "args": ["x.js"] }\n  }\n}\n'
    const s = setup(text)
    const e = refused(s.connect)
    expect(e.problems).toEqual([`mcpServers.a (${s.mcpPath}:4): duplicate key; it is already set on line 3`])
    expect(readFileSync(s.mcpPath, "utf8")).toBe(text)
    expect(existsSync(s.cfgPath)).toBe(false)
    expect(existsSync(recordPath(s.env))).toBe(false)
  })

  test("a read-only mcp.json or config (no w bit) is not replaced: refused naming it, nothing written", () => {
    const s = setup(MCP)
    chmodSync(s.mcpPath, 0o444)
    const e = refused(s.connect)
    expect(e.problems).toEqual([`${s.mcpPath}: the file is read-only (mode 0444); it was not changed`])
    expect(readFileSync(s.mcpPath, "utf8")).toBe(MCP)
    expect(existsSync(s.cfgPath)).toBe(false)
    expect(existsSync(recordPath(s.env))).toBe(false)

    const t = setup(MCP, "log:\n  level: info\n")
    chmodSync(t.cfgPath, 0o400)
    expect(refused(t.connect).problems).toEqual([`${t.cfgPath}: the file is read-only (mode 0400); it was not changed`])
    expect(readFileSync(t.mcpPath, "utf8")).toBe(MCP)
    expect(readFileSync(t.cfgPath, "utf8")).toBe("log:\n  level: info\n")
    expect(t.backups()).toEqual([])
  })

  test("the refusal of another server under our key never prints that server's secrets", () => {
    for (const [entry, secret] of [
      [{ command: "npx", args: ["-y", "some-server", "--api-key", "abcd1234efgh5678ijkl"] }, "abcd1234efgh5678ijkl"],
      [{ url: "https://example.com/mcp?access_token=zzzz1111yyyy2222xxxx" }, "zzzz1111yyyy2222xxxx"],
    ] as const) {
      const s = setup(JSON.stringify({ mcpServers: { mo: entry } }))
      const e = refused(s.connect)
      expect(e.problems[0]).toContain("mcpServers.mo is another server (")
      expect(e.problems[0]).toContain("[REDACTED]")
      expect(e.message).not.toContain(secret)
    }
  })

  test("a --project that is no directory is refused; nothing is created", () => {
    const s = setup(undefined)
    const missing = join(s.home, "no", "such", "project")
    const e = refused(() => cursorConnect({ name: "mo", importServers: false, dryRun: false, command: "/opt/mo", project: missing, env: s.env }))
    expect(e.problems).toEqual([`--project ${missing}: no such directory`])
    expect(existsSync(join(s.home, "no"))).toBe(false)
  })

  test("a symlink whose target does not exist yet stays a link; the target is created", () => {
    const s = setup(undefined)
    const target = join(s.home, "dotfiles", "cursor", "mcp.json")
    symlinkSync(target, s.mcpPath)
    cursorConnect({ name: "mo", importServers: false, dryRun: false, command: "/opt/mo", env: s.env })
    expect(lstatSync(s.mcpPath).isSymbolicLink()).toBe(true)
    expect(Object.keys((parseJsonc(readFileSync(target, "utf8")) as { mcpServers: object }).mcpServers)).toEqual(["mo"])
  })
})
