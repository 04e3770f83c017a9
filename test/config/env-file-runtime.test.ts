/**
 * Regression (QA 1a-ii, 1c): one server's `envFile` that cannot be read (missing, a directory, no
 * permission) used to be a config error: `serve` exited 2 and every server was gone. It is a runtime
 * condition of that server now, like a command that is not installed: the config loads (with a
 * warning naming the key and the file), that server fails to start with the file and the key in
 * its error (read again at each start), the others run. Real config errors stay fatal. And a config
 * entry that runs mcp-orchestrator itself is warned about (serve logs it, doctor shows it).
 */
import { describe, expect, test } from "bun:test"
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { envAtStart, envFileFailure, loadConfig, runsOrchestrator, type StdioServerSpec } from "../../src/config/index.ts"
import { redactString } from "../../src/core/index.ts"
import { configDir, problems } from "./helpers.ts"
import { secretsRestoredAfterFile } from "../helpers/secrets.ts"

// what this file registers (its configs' secrets, by hand or through the code it drives) is not left for later files
secretsRestoredAfterFile()

const { dir, file } = configDir("mcpo-envfile-rt-")
const env = { HOME: dir, XDG_CONFIG_HOME: join(dir, "none") }

describe("an envFile that cannot be read fails its own server, not the config", () => {
  test("the config loads; a warning names the key, the source and the file; the other server is untouched", () => {
    const p = file('servers:\n  a:\n    command: x\n    envFile: "${workspaceFolder}/.env"\n    env: { B: explicit }\n  b:\n    command: y\n', "yaml", "a.yaml")
    const ws = join(dir, "no-such-project")
    const loaded = loadConfig({ configPath: p, env: { ...env, MCPO_WORKSPACE: ws } })
    const a = loaded.config.servers.a as StdioServerSpec
    const b = loaded.config.servers.b as StdioServerSpec
    expect(Object.keys(loaded.config.servers).sort()).toEqual(["a", "b"])
    expect(loaded.warnings).toContain(`servers.a.envFile (${p}:4): cannot read ${join(ws, ".env")} (ENOENT: no such file); server a will fail to start until it can be read (the other servers are not affected)`)
    expect(envFileFailure(a)).toEqual({ where: `servers.a.envFile (${p}:4)`, path: join(ws, ".env"), code: "ENOENT" })
    expect(envFileFailure(b)).toBeUndefined()
    expect(envAtStart(b)).toEqual({ env: undefined })

    // at its start: the error names the file and the key, the remedy says what to do
    const start = envAtStart(a)
    expect(start).toEqual({
      problem: `its envFile cannot read ${join(ws, ".env")} (ENOENT: no such file); set at servers.a.envFile (${p}:4)`,
      remedy: expect.stringContaining(`Create ${join(ws, ".env")}`),
    })

    // the file appears: the next start reads it (keys in env still win; its secrets are redacted)
    mkdirSync(ws)
    writeFileSync(join(ws, ".env"), "A=from-file\nB=from-file\nAPI_TOKEN=tok-runtime-0123456789abcdef\n")
    expect(envAtStart(a)).toEqual({ env: { A: "from-file", B: "explicit", API_TOKEN: "tok-runtime-0123456789abcdef" } })
    expect(redactString("tok-runtime-0123456789abcdef")).toBe("[REDACTED]")
    // and a config load now merges it for good
    const again = loadConfig({ configPath: p, env: { ...env, MCPO_WORKSPACE: ws } })
    expect(envFileFailure(again.config.servers.a!)).toBeUndefined()
    expect((again.config.servers.a as StdioServerSpec).env).toEqual({ A: "from-file", B: "explicit", API_TOKEN: "tok-runtime-0123456789abcdef" })
  })

  test("a directory, or a file without permission: the same, with the errno", () => {
    mkdirSync(join(dir, "adir"))
    const p = file("mcpServers:\n  a:\n    command: x\n    envFile: adir\n", "yaml", "dir.yaml")
    const loaded = loadConfig({ configPath: p, env })
    expect(loaded.warnings!.join("\n")).toContain(`cannot read ${join(dir, "adir")} (EISDIR: it is a directory)`)
    expect((envAtStart(loaded.config.servers.a as StdioServerSpec) as { problem: string }).problem).toContain("mcpServers.a.envFile")
    if (process.getuid?.() !== 0) {
      writeFileSync(join(dir, "locked.env"), "A=1\n")
      chmodSync(join(dir, "locked.env"), 0)
      const q = file("servers:\n  a:\n    command: x\n    envFile: locked.env\n", "yaml", "locked.yaml")
      expect(loadConfig({ configPath: q, env }).warnings!.join("\n")).toContain("(EACCES: permission denied)")
    }
  })

  test("a disabled entry is not warned about", () => {
    const p = file("servers:\n  a:\n    command: x\n    envFile: nope.env\n    disabled: true\n", "yaml", "disabled.yaml")
    expect(loadConfig({ configPath: p, env }).warnings).toEqual([])
  })

  test("a wrong type next to a missing envFile is that entry's error (left out, the other loads); a malformed envFile is its entry's", () => {
    const p = file("servers:\n  a:\n    command: x\n    envFile: nope.env\n  b:\n    command: 42\n", "yaml", "fatal.yaml")
    const loaded = loadConfig({ configPath: p, env })
    expect(Object.keys(loaded.config.servers)).toEqual(["a"])
    expect(loaded.invalidServers?.map((s) => [s.entry, s.problems.map((x) => x.at)])).toEqual([["servers.b", ["servers.b.command"]]])
    writeFileSync(join(dir, "bad.env"), "A=1\n??\n")
    const q = file("servers:\n  a:\n    command: x\n    envFile: bad.env\n", "yaml", "bad.yaml")
    expect(problems(() => loadConfig({ configPath: q, env }))).toEqual([`servers.a.envFile (${q}:4): ${join(dir, "bad.env")} line 2: expected KEY=VALUE`])
  })
})

describe("an entry that runs mcp-orchestrator itself", () => {
  test("is warned about at load (serve logs it, doctor shows it), with the remedy", () => {
    const p = file('servers:\n  self:\n    command: /usr/local/bin/mcp-orchestrator\n    args: ["serve", "--toolset", "x"]\n  other:\n    command: mcp-orchestrator\n    args: ["auth", "login", "x"]\n', "yaml", "self.yaml")
    const w = loadConfig({ configPath: p, env }).warnings!
    expect(w).toHaveLength(1)
    expect(w[0]).toStartWith(`servers.self (${p}:2): runs mcp-orchestrator itself (/usr/local/bin/mcp-orchestrator serve --toolset x)`)
    expect(w[0]).toContain("Remove this entry")
  })

  test("recognised by name, by the real path of a known binary (a symlink, a bare name on PATH), with serve's arguments only", () => {
    const bin = join(dir, "bin")
    mkdirSync(bin)
    const real = join(bin, "mcpo-build")
    writeFileSync(real, "#!/bin/sh\n", { mode: 0o755 })
    symlinkSync(real, join(bin, "mo-link"))
    writeFileSync(join(bin, "other"), "#!/bin/sh\n", { mode: 0o755 })
    const path = { PATH: bin }
    expect(runsOrchestrator({ command: "mcp-orchestrator" }, [], path)).toBe(true)
    expect(runsOrchestrator({ command: "C:\\tools\\mcp-orchestrator.exe", args: ["serve"] }, [], path)).toBe(true)
    expect(runsOrchestrator({ command: join(bin, "mo-link"), args: ["serve"] }, [real], path)).toBe(true)
    expect(runsOrchestrator({ command: "mo-link", args: ["--config", "x.yaml"] }, [real], path)).toBe(true)
    expect(runsOrchestrator({ command: "other", args: ["serve"] }, [real], path)).toBe(false)
    expect(runsOrchestrator({ command: "mo-link", args: ["cursor", "connect"] }, [real], path)).toBe(false)
    expect(runsOrchestrator({ command: "mcp-orchestrator", args: ["--version"] }, [], path)).toBe(false)
    expect(runsOrchestrator({ url: "https://x.example/mcp" }, [real], path)).toBe(false)
  })
})
