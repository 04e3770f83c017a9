/**
 * Regressions (QA qa14, a new user's first hour):
 * - a server entry whose `command` or `url` is misspelled (`comand`, `Command`, `cmd`, Windsurf's
 *   `serverUrl`) was "expected a stdio server {command, …} or a remote server {url, …}" with no word
 *   of the key that was wrong; the key is now named with its line and the one meant;
 * - an unquoted `@scope/pkg` in YAML args was "Plain value cannot start with reserved character @"
 *   only; the error now shows the quoted value to write;
 * - a config path that is a directory was told to "Check the file's permissions";
 * - doctor said "✓ command found" for `npx` (a `#!/usr/bin/env node` script) with no `node` on the
 *   server's PATH: it exits at once; the missing interpreter is now named;
 * - `~/…` in `--config`, `MCPO_CONFIG`, `--plugins`, `plugins.dirs` (the README's own example) and `proxy.pinsFile`
 *   was taken literally;
 * - `~/…` in a stdio entry's `cwd`, `command` and `envFile` named `<config dir>/~/…` (doctor: "its
 *   working directory /home/me/.config/mcp-orchestrator/~/work does not exist"); it is the home
 *   directory, as in a shell.
 */
import { describe, expect, test } from "bun:test"
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { homeDir, loadConfig, startProblem } from "../../src/config/index.ts"
import { loadFromFlags } from "../../src/cli/flags.ts"
import { ConfigError } from "../../src/core/index.ts"
import { configDir, problems } from "./helpers.ts"

const { file } = configDir("mcpo-first-hour-")
const NEEDS = "(a server needs `command` (stdio) or `url` (remote))"

describe("a misspelled command or url is named, with the key meant", () => {
  test("YAML: comand, Command, cmd; url's spelling URL", () => {
    const p = file(["servers:", "  a:", "    comand: npx", "    args: [-y, x]", "  b: { Command: node }", "  c: { cmd: node }", "  d: { URL: 'https://x.example/mcp' }", ""].join("\n"))
    expect(problems(() => loadConfig({ configPath: p, env: {} }))).toEqual([
      `servers.a.comand (${p}:3): unknown key; did you mean "command"? ${NEEDS}`,
      `servers.b.Command (${p}:5): unknown key; did you mean "command"? ${NEEDS}`,
      `servers.c.cmd (${p}:6): unknown key; did you mean "command"? ${NEEDS}`,
      `servers.d.URL (${p}:7): unknown key; did you mean "url"? ${NEEDS}`,
    ])
  })
  test("Windsurf's serverUrl and Gemini CLI's httpUrl are read as url (qa218), with a warning; beside a url or command they stay unknown keys", () => {
    const p = file(["servers:", "  w: { serverUrl: 'https://x.example/${env:MCPO_QA218_PATH}' }", "  g: { httpUrl: 'https://y.example/mcp' }", "  both: { url: 'https://z.example/mcp', serverUrl: 'https://q.example/mcp' }", ""].join("\n"))
    const loaded = loadConfig({ configPath: p, env: { MCPO_QA218_PATH: "mcp" } })
    expect(loaded.config.servers.w).toMatchObject({ url: "https://x.example/mcp" })
    expect(loaded.config.servers.g).toMatchObject({ url: "https://y.example/mcp" })
    expect(loaded.config.servers).not.toHaveProperty("both")
    expect(loaded.invalidServers?.[0]?.problems[0]?.at).toBe("servers.both.serverUrl")
    expect(loaded.warnings).toContain(`servers.w.serverUrl (${p}:2): Windsurf's name for \`url\`: read as \`url\`; write it so to silence this`)
  })
  test("Cursor's mcp.json shape (JSONC, mcpServers) too", () => {
    const p = file('{\n  // mine\n  "mcpServers": {\n    "m": { "comand": "npx", "args": ["-y", "x"], },\n  },\n}\n', "json")
    expect(problems(() => loadConfig({ configPath: p, env: {} }))).toEqual([`mcpServers.m.comand (${p}:4): unknown key; did you mean "command"? ${NEEDS}`])
    // an entry with neither, and no key that is one of them, is told the key its type needs
    const q = file("servers:\n  a: { type: stdio, args: [x] }\n")
    expect(problems(() => loadConfig({ configPath: q, env: {} }))).toEqual([
      `servers.a (${q}:2): missing required key \`command\` (the program to run, for a stdio server {command, args?, env?, cwd?}), as its \`type: stdio\` says; it has only \`type\`, \`args\``,
    ])
  })
})

describe("~ in a stdio entry's paths is the home directory", () => {
  test("cwd, command and envFile; a ~ elsewhere in a path, and in args, stays as written", () => {
    const home = mkdtempSync(join(tmpdir(), "mcpo-home-"))
    mkdirSync(join(home, "work"))
    mkdirSync(join(home, "bin"))
    writeFileSync(join(home, "bin", "server"), "#!/bin/sh\n")
    chmodSync(join(home, "bin", "server"), 0o755)
    writeFileSync(join(home, ".env.a"), "FROM_FILE=1\n")
    const p = file(["servers:", "  a:", "    command: ~/bin/server", "    args: [~/x]", "    cwd: ~/work", "    envFile: ~/.env.a", "  b: { command: node, cwd: '~' }", "  c: { command: ./a~/run.sh }", ""].join("\n"))
    const servers = loadConfig({ configPath: p, env: { HOME: home } }).config.servers as Record<string, { command: string; args: string[]; cwd?: string; env?: Record<string, string> }>
    expect(servers.a!.command).toBe(join(home, "bin", "server"))
    expect(servers.a!.cwd).toBe(join(home, "work"))
    expect(servers.a!.env).toEqual({ FROM_FILE: "1" })
    expect(servers.a!.args).toEqual(["~/x"])
    expect(servers.b!.cwd).toBe(home)
    expect(servers.c!.command).toBe(join(p, "..", "a~", "run.sh"))
  })
})

describe("a config path that is a directory", () => {
  test("the remedy says it is a directory (it said to check the file's permissions)", () => {
    const { dir } = configDir("mcpo-cfg-dir-")
    const p = join(dir, "config.yaml")
    mkdirSync(p)
    let err: ConfigError | undefined
    try {
      loadConfig({ configPath: p, env: {} })
    } catch (e) {
      err = e as ConfigError
    }
    expect(err).toBeInstanceOf(ConfigError)
    expect(err!.problems).toEqual([`${p} (--config): cannot read the config file (EISDIR)`])
    expect(err!.remedy).toContain("That is a directory")
  })
})

describe("a script whose #! interpreter is not there cannot start", () => {
  // npx and every npm-installed server are `#!/usr/bin/env node` scripts: with node not on the
  // server's PATH they exit at once ("env: node: No such file or directory"), yet doctor said
  // "✓ command found"
  test("#!/usr/bin/env NAME with NAME not on the server's PATH; an absolute interpreter that does not exist", () => {
    const { dir } = configDir("mcpo-shebang-")
    const bin = join(dir, "bin")
    mkdirSync(bin)
    const script = (name: string, first: string): string => {
      const p = join(bin, name)
      writeFileSync(p, `${first}\nconsole.log(1)\n`)
      chmodSync(p, 0o755)
      return p
    }
    script("npx-like", "#!/usr/bin/env node")
    script("with-s", "#!/usr/bin/env -S node --no-warnings")
    const py = script("py", "#!/nonexistent/python3")
    const sh = script("fine", "#!/bin/sh")
    // node is not on this PATH; the scripts are
    const PATH = `${bin}:/nonexistent-dir`
    const a = startProblem("a", { command: "npx-like" }, PATH)
    expect(a?.key).toBe("command")
    expect(a?.problem).toBe(`npx-like (servers.a.command) is a script run by "node" (#!/usr/bin/env node), and no program named "node" is on its PATH (${PATH}): it would exit at once with "env: node: No such file or directory"`)
    expect(a?.remedy).toContain("set PATH in servers.a.env")
    expect(startProblem("b", { command: "with-s" }, PATH)?.problem).toContain('is a script run by "node"')
    expect(startProblem("c", { command: py }, PATH)?.problem).toBe(`${py} (servers.c.command) is a script run by /nonexistent/python3 (#!/nonexistent/python3), which does not exist`)
    expect(startProblem("d", { command: sh }, PATH)).toBeUndefined()
    // node beside the script (nvm, volta): the remedy names that directory
    script("node", "#!/bin/sh")
    chmodSync(join(bin, "node"), 0o755)
    expect(startProblem("e", { command: join(bin, "npx-like") }, "/nonexistent-dir")?.remedy).toBe(`Set PATH in servers.e.env to include ${bin} (where node is), e.g. PATH: "${bin}:/usr/bin:/bin".`)
    // found on the PATH: no problem
    expect(startProblem("f", { command: "npx-like" }, PATH)).toBeUndefined()
  })
})

describe("an unquoted @scope/package in YAML", () => {
  // `args: [-y, @modelcontextprotocol/server-memory]`: YAML refuses a plain value starting with @;
  // the error named the character only, not what to write
  test("the error says to quote it, with the value to write (flow and block lists)", () => {
    const a = file("servers:\n  mem:\n    command: npx\n    args: [-y, @modelcontextprotocol/server-memory]\n")
    expect(problems(() => loadConfig({ configPath: a, env: {} }))).toEqual([
      `${a}:4: not valid YAML/JSON: Plain value cannot start with reserved character @; quote the value: "@modelcontextprotocol/server-memory"`,
    ])
    const b = file("servers:\n  mem:\n    command: npx\n    args:\n      - -y\n      - @modelcontextprotocol/server-memory # memory\n")
    expect(problems(() => loadConfig({ configPath: b, env: {} }))).toEqual([
      `${b}:6: not valid YAML/JSON: Plain value cannot start with reserved character @; quote the value: "@modelcontextprotocol/server-memory"`,
    ])
  })
})

describe("~ in the config's own paths", () => {
  // an mcp.json entry's args and env reach the orchestrator without a shell: `--config ~/mo.yaml`
  // was ENOENT; the README's example `plugins: { dirs: [~/.config/mcp-orchestrator/plugins] }`
  // named a directory "~" under wherever the orchestrator ran
  test("--config and MCPO_CONFIG; plugins.dirs and proxy.pinsFile, from the file and the environment", () => {
    const home = mkdtempSync(join(tmpdir(), "mcpo-home-"))
    writeFileSync(join(home, "mo.yaml"), "plugins: { dirs: [~/.config/mcp-orchestrator/plugins, /abs] }\nproxy: { pinsFile: ~/pins.json }\n")
    const a = loadConfig({ configPath: "~/mo.yaml", env: { HOME: home } })
    expect(a.file?.path).toBe(join(home, "mo.yaml"))
    expect(a.config.plugins.dirs).toEqual([join(home, ".config", "mcp-orchestrator", "plugins"), "/abs"])
    expect(a.config.proxy.pinsFile).toBe(join(home, "pins.json"))
    const b = loadConfig({ env: { HOME: home, MCPO_CONFIG: "~/mo.yaml", MCPO_PLUGINS_DIRS: "~/pl" } })
    expect(b.file?.path).toBe(join(home, "mo.yaml"))
    expect(b.config.plugins.dirs).toEqual([join(home, "pl")])
    // --plugins, added after the load (this process's HOME)
    const c = loadFromFlags({ config: join(home, "mo.yaml"), plugins: ["~/extra"] })
    expect(c.config.plugins.dirs).toContain(join(homeDir(), "extra"))
  })
})
