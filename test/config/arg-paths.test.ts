/**
 * Arguments a shell would have made paths reach the server as written (config/arg-paths, qa56):
 * `args: [./srv.js]` in an entry without `cwd` ran from the directory the editor started the
 * orchestrator in (node: "Cannot find module '<that dir>/srv.js'"), and `~/dir` was not the home
 * directory, both without a word at load. Each is warned about naming the key, file:line and what to
 * write; an entry with `cwd`, an absolute path, `${userHome}/…` and flags are not.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { loadConfig } from "../../src/config/index.ts"
import { BIN, ensureBuilt, sandboxEnv, tempDir } from "../helpers/binary.ts"
import { configDir } from "./helpers.ts"

describe("relative and ~ arguments of a stdio entry", () => {
  test("warned about with the key, file:line and what to write; the entry still loads as written", () => {
    const c = configDir("mcpo-argpaths-")
    const p = c.file(
      [
        "servers:",
        "  rel:",
        "    command: node",
        '    args: ["./srv.js", "--port", "8080", "../data"]',
        "  home:",
        "    command: npx",
        '    args: ["-y", "@modelcontextprotocol/server-filesystem", "~/Documents", "~", "${userHome}/ok", "/abs", "a~/b"]',
        "  withcwd:",
        "    command: node",
        "    cwd: srv",
        '    args: ["./srv.js"]',
        "  off:",
        "    command: node",
        '    args: ["./srv.js", "~/x"]',
        "    disabled: true",
        "mcpServers:",
        '  cur: { "command": "node", "args": ["./index.js"] }',
        "",
      ].join("\n"),
    )
    const { config, warnings } = loadConfig({ configPath: p, env: { HOME: "/home/tester", XDG_CONFIG_HOME: join(c.dir, "none") } })
    const rel = (arg: string) =>
      `is relative to the directory the server starts in, which is the one the editor started the orchestrator in (the entry has no cwd), not the config file's directory; write ${JSON.stringify(join(c.dir, arg))}, or set cwd`
    const ours = (warnings ?? []).filter((w) => /\.args\.\d+ /.test(w))
    // withcwd (relative to its cwd), off (disabled), ${userHome}/ok, /abs, a~/b and flags: none
    expect(ours).toHaveLength(5)
    expect(ours[0]).toStartWith(`servers.rel.args.0 (${p}:4): "./srv.js" ${rel("srv.js")}`)
    expect(ours[1]).toStartWith(`servers.rel.args.3 (${p}:4): "../data" ${rel("../data")}`)
    expect(ours[2]).toBe(`servers.home.args.2 (${p}:7): "~/Documents" reaches the server as written (no shell runs the command, so ~ is not the home directory); write "\${userHome}/Documents"`)
    expect(ours[3]).toStartWith(`servers.home.args.3 (${p}:7): "~" reaches the server as written`)
    expect(ours[4]).toStartWith(`mcpServers.cur.args.0 (${p}:17): "./index.js" ${rel("index.js")}`)
    // nothing is rewritten: the warning says what to write
    expect(config.servers.rel).toMatchObject({ args: ["./srv.js", "--port", "8080", "../data"] })
  })

  test("a config given inline (no file) has no directory the arguments could have meant: no relative-path warning", () => {
    const text = 'servers:\n  a: { command: node, args: ["./srv.js", "~/x"] }\n'
    const { warnings } = loadConfig({ inline: { text, name: "embedded.yaml" }, env: { HOME: "/home/tester", XDG_CONFIG_HOME: "/nonexistent" } })
    expect((warnings ?? []).filter((w) => w.includes(".args."))).toEqual([expect.stringContaining('"~/x" reaches the server as written')])
  })
})

describe("through the binary", () => {
  beforeAll(ensureBuilt, 120_000)

  test("doctor shows the warning with the path to write", () => {
    const dir = tempDir("mcpo-argpaths-bin-")
    writeFileSync(join(dir, "srv.js"), "process.exit(0)\n")
    const cfg = join(dir, "config.yaml")
    writeFileSync(cfg, `toolkit: { enabled: off }\nservers:\n  rel:\n    command: "${process.execPath}"\n    args: ["./srv.js"]\n`)
    const env = sandboxEnv()
    const p = Bun.spawnSync([BIN, "doctor", "--json", "--no-start", "--config", cfg], { env, cwd: env.HOME })
    expect(p.exitCode).toBe(0)
    const rep = JSON.parse(p.stdout.toString()) as { checks: Array<{ name: string; status: string; detail: string }> }
    const warn = rep.checks.find((c) => c.name === "config" && c.status === "warn")
    expect(warn?.detail).toStartWith(`servers.rel.args.0 (${cfg}:5): "./srv.js" is relative to the directory the server starts in`)
    expect(warn?.detail).toContain(`write ${JSON.stringify(join(dir, "srv.js"))}`)
  }, 30_000)
})
