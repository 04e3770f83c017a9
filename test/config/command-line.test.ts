/**
 * Regression (QA round 5, item 10): `command: "npx -y @modelcontextprotocol/server-memory"` (a whole
 * command line) passed `doctor` and failed at run time with ENOENT and a generic remedy. Loading now
 * warns (serve logs it, doctor shows it) with the split to write, when the string has whitespace,
 * names no existing file and its first word is a program; the SPAWN_FAILED error of such a server
 * carries the same split.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { chmodSync, mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
// a namespace import: on the code before the fix (no such exports) only the tests using them fail
import * as config from "../../src/config/index.ts"
import { createLogger, createLogHub, DownstreamError } from "../../src/core/index.ts"
import { StdioChildTransport } from "../../src/pool/index.ts"
import { BIN, connectBinary, ensureBuilt, ROOT, sandboxEnv, tempDir } from "../helpers/binary.ts"
import { configDir } from "./helpers.ts"

const FAULT = join(ROOT, "test", "fixtures", "servers", "fault-server.ts")
const WHY = "the whole string is taken as the name of one executable, never run through a shell"

/** A directory holding one real executable, `mcp-tool`, to put on PATH. */
function binDir(): string {
  const dir = tempDir("mcpo-bin-")
  const tool = join(dir, "mcp-tool")
  writeFileSync(tool, "#!/bin/sh\nexit 0\n")
  chmodSync(tool, 0o755)
  return dir
}

describe("splitCommandLine", () => {
  test("words as a POSIX shell splits them", () => {
    expect(config.splitCommandLine(`npx -y "@scope/pkg" 'a b' c\\ d`)).toEqual({ words: ["npx", "-y", "@scope/pkg", "a b", "c d"], shell: false })
    expect(config.splitCommandLine(`x "unclosed`)).toBeUndefined()
    expect(config.splitCommandLine("a | grep b")?.shell).toBe(true)
    expect(config.splitCommandLine(`a '$HOME|x'`)).toEqual({ words: ["a", "$HOME|x"], shell: false }) // single-quoted: literal
    expect(config.splitCommandLine(`a "$HOME"`)?.shell).toBe(true) // a shell expands it inside double quotes
  })
})

describe("commandLineHint", () => {
  const PATH = binDir()
  test("a program on PATH with its arguments: the split, configured args after the words", () => {
    expect(config.commandLineHint("mcp-tool -y @modelcontextprotocol/server-memory", [], { PATH })).toEqual({
      problem: `"mcp-tool -y @modelcontextprotocol/server-memory" looks like a command line (${WHY})`,
      fix: `write command: mcp-tool, args: ["-y", "@modelcontextprotocol/server-memory"]`,
      text: `"mcp-tool -y @modelcontextprotocol/server-memory" looks like a command line (${WHY}); write command: mcp-tool, args: ["-y", "@modelcontextprotocol/server-memory"]`,
    })
    expect(config.commandLineHint("mcp-tool --port 1", ["--verbose"], { PATH })?.fix).toBe(`write command: mcp-tool, args: ["--port", "1", "--verbose"]`)
    expect(config.commandLineHint(`${process.execPath} ${FAULT}`, [])?.fix).toBe(`write command: ${process.execPath}, args: ["${FAULT}"]`)
  })

  test("shell syntax: split into argv would not mean the same", () => {
    const h = config.commandLineHint("mcp-tool serve | tee log", [], { PATH })!
    expect(h.problem).toContain("looks like a shell command line")
    expect(h.fix).toBe(`write command: mcp-tool and its arguments as args, one per item, or command: sh, args: ["-c", "mcp-tool serve | tee log"] if it needs the shell`)
  })

  test("no hint: no whitespace, an existing file with a space in its name, a first word that is no program", () => {
    expect(config.commandLineHint("mcp-tool", [], { PATH })).toBeUndefined()
    const dir = tempDir("mcpo-space-")
    mkdirSync(join(dir, "My App"))
    const spaced = join(dir, "My App", "server")
    writeFileSync(spaced, "#!/bin/sh\n")
    chmodSync(spaced, 0o755)
    expect(config.commandLineHint(spaced, [], { PATH })).toBeUndefined()
    expect(config.commandLineHint("server --x", [], { PATH, cwd: join(dir, "My App") })).toBeUndefined() // not on PATH, not a file
    expect(config.commandLineHint("My App/server", [], { PATH, cwd: dir })).toBeUndefined() // relative to cwd: a file
    expect(config.commandLineHint("no-such-program-here -y x", [], { PATH })).toBeUndefined()
  })
})

describe("loading warns", () => {
  test("one warning per enabled stdio server, with file:line; the server's own PATH counts", () => {
    const PATH = binDir()
    const { file } = configDir("mcpo-cmdline-")
    const p = file(
      [
        "servers:",
        "  m:",
        "    command: mcp-tool -y @modelcontextprotocol/server-memory",
        "  off: { command: mcp-tool -y x, disabled: true }",
        "  ok: { command: mcp-tool, args: [-y, x] }",
        "  own:",
        `    env: { PATH: ${JSON.stringify(PATH)} }`,
        "    command: mcp-tool serve",
        "mcpServers:",
        "  c: { command: mcp-tool --stdio }",
        "",
      ].join("\n"),
    )
    expect(config.loadConfig({ configPath: p, env: { PATH } }).warnings).toEqual([
      `servers.m.command (${p}:3): "mcp-tool -y @modelcontextprotocol/server-memory" looks like a command line (${WHY}); write command: mcp-tool, args: ["-y", "@modelcontextprotocol/server-memory"]`,
      `servers.own.command (${p}:8): "mcp-tool serve" looks like a command line (${WHY}); write command: mcp-tool, args: ["serve"]`,
      `mcpServers.c.command (${p}:10): "mcp-tool --stdio" looks like a command line (${WHY}); write command: mcp-tool, args: ["--stdio"]`,
    ])
    // without the tool on PATH (except for `own`, whose env brings it): only `own`
    expect(config.loadConfig({ configPath: p, env: { PATH: "/nonexistent" } }).warnings).toEqual([
      `servers.own.command (${p}:8): "mcp-tool serve" looks like a command line (${WHY}); write command: mcp-tool, args: ["serve"]`,
    ])
  })
})

describe("SPAWN_FAILED carries the split", () => {
  test("the start error names it in its message and remedy", async () => {
    const t = new StdioChildTransport({ command: `${process.execPath} ${FAULT}`, args: ["--garbage"], env: { PATH: process.env.PATH ?? "" }, maxFrameBytes: 1 << 20, log: createLogger(createLogHub("error", () => {})) })
    const e = await t.start().then(
      () => undefined,
      (err: unknown) => err,
    )
    expect(e).toBeInstanceOf(DownstreamError)
    const d = e as DownstreamError
    expect(d.code).toBe("SPAWN_FAILED")
    expect(d.message).toContain(`looks like a command line (${WHY}); write command: ${process.execPath}, args: ["${FAULT}", "--garbage"]`)
    expect(d.remedy).toBe(`In the config, write command: ${process.execPath}, args: ["${FAULT}", "--garbage"].`)
  })
})

describe("through the binary", () => {
  beforeAll(ensureBuilt, 120_000)

  test("doctor shows the warning (exit 0); a call of that server answers with the split to write", async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "cfg-space.json")
    const command = `${process.execPath} ${FAULT}`
    writeFileSync(cfg, JSON.stringify({ mcpServers: { m: { command } }, toolkit: { enabled: "off" } }))
    const fix = `write command: ${process.execPath}, args: ["${FAULT}"]`
    const p = Bun.spawnSync([BIN, "doctor", "--json", "--config", cfg], { env, cwd: env.HOME })
    expect(p.exitCode).toBe(0)
    const rep = JSON.parse(p.stdout.toString()) as { checks: Array<{ name: string; status: string; detail: string; remedy?: string }> }
    const warn = rep.checks.filter((c) => c.status === "warn" && c.name === "config")
    expect(warn).toHaveLength(1)
    expect(warn[0]!.detail).toStartWith(`mcpServers.m.command (${cfg}:1): `)
    expect(warn[0]!.detail).toEndWith(`looks like a command line (${WHY}); ${fix}`)
    expect(warn[0]!.remedy).toBe("put the program alone in `command` and each of its arguments in `args` (the command is never run through a shell)")

    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      const r = (await c.client.callTool({ name: "m__echo", arguments: { message: "x" } })) as { content: Array<{ text: string }>; isError?: boolean }
      expect(r.isError).toBe(true)
      expect(r.content[0]!.text).toContain(`cannot start ${command}`)
      expect(r.content[0]!.text).toContain(fix)
      // the log line of the start warning (stderr is read as it arrives)
      const logged = `"problem":${JSON.stringify(warn[0]!.detail)}`
      for (let i = 0; i < 400 && !c.stderr().includes(logged); i++) await Bun.sleep(25)
      expect(c.stderr()).toContain(logged)
    } finally {
      await c.close()
    }
  }, 30_000)

  test("a secret in a command line written as `command` (`--api-key X`, `TOKEN=X`, a bare key) is masked where the split is quoted: doctor, the call's answer, the log (qa166)", async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "cfg-secret.json")
    const keys = ["cmdLineKey-9f3a", "cmdLineTok-7d1e", "Pq7ZkR3mW9xT2vLb8NcY"]
    const command = `${process.execPath} ${FAULT} --api-key ${keys[0]} GITHUB_TOKEN=${keys[1]} ${keys[2]}`
    writeFileSync(cfg, JSON.stringify({ mcpServers: { m: { command } }, toolkit: { enabled: "off" } }))
    const p = Bun.spawnSync([BIN, "doctor", "--json", "--config", cfg], { env, cwd: env.HOME })
    const doctor = p.stdout.toString() + p.stderr.toString()
    expect(doctor).toContain("looks like a command line")
    const c = await connectBinary(["serve", "--config", cfg], env)
    let answer = ""
    try {
      answer = JSON.stringify(await c.client.callTool({ name: "m__echo", arguments: { message: "x" } }))
      expect(answer).toContain("--api-key")
      for (let i = 0; i < 400 && !c.stderr().includes("looks like a command line"); i++) await Bun.sleep(25)
    } finally {
      await c.close()
    }
    for (const text of [doctor, answer, c.stderr()]) for (const k of keys) expect(text).not.toContain(k)
  }, 30_000)
})
