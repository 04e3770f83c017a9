/**
 * Where a stdio server starts (config/stdio-paths): a relative `cwd`, and a relative `command`
 * holding a `/`, start at the config file's directory (as `envFile`), a command from the entry's
 * cwd when it has one; never at the directory the orchestrator runs in. A `cwd` that is a file is
 * blamed on `servers.NAME.cwd`, not on the command; `doctor` checks each stdio server's command
 * (on its PATH) and cwd.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { chmodSync, mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
// a namespace import: on the code before the fix only the tests using the new exports fail
import * as config from "../../src/config/index.ts"
import { BIN, connectBinary, ensureBuilt, ROOT, sandboxEnv, tempDir } from "../helpers/binary.ts"

const FAULT = join(ROOT, "test", "fixtures", "servers", "fault-server.ts")

/** A config directory holding `srv/run.sh` and `run.sh` (both start the fault server) and a plain file. */
function layout(): { dir: string; cfg(text: string): string } {
  const dir = tempDir("mcpo-paths-")
  mkdirSync(join(dir, "srv"))
  for (const f of ["run.sh", "srv/run.sh"]) {
    writeFileSync(join(dir, f), `#!/bin/sh\nexec '${process.execPath}' '${FAULT}'\n`)
    chmodSync(join(dir, f), 0o755)
  }
  writeFileSync(join(dir, "plain.txt"), "not a directory\n")
  return {
    dir,
    cfg(text) {
      const p = join(dir, "config.yaml")
      writeFileSync(p, text)
      return p
    },
  }
}

describe("paths of a stdio entry start at the config file's directory", () => {
  test("cwd, a command with a / (from cwd when set), a bare name left for PATH; mcpServers too", () => {
    const l = layout()
    const p = l.cfg(
      [
        "servers:",
        "  a: { command: ./run.sh }",
        "  b: { command: bin/server, cwd: srv }",
        "  c: { command: ./run.sh, cwd: /opt/x }",
        "  d: { command: node, cwd: ../elsewhere }",
        "  e: { command: /usr/bin/env }",
        "mcpServers:",
        "  f: { command: ../up/run.sh }",
        "",
      ].join("\n"),
    )
    // from a directory that is not the config file's: nothing depends on it
    const { config: c } = config.loadConfig({ configPath: p, env: { PATH: "/usr/bin:/bin" } })
    const s = c.servers as Record<string, { command: string; cwd?: string }>
    expect(s.a).toMatchObject({ command: join(l.dir, "run.sh") })
    expect(s.b).toMatchObject({ command: join(l.dir, "srv", "bin", "server"), cwd: join(l.dir, "srv") })
    expect(s.c).toMatchObject({ command: "/opt/x/run.sh", cwd: "/opt/x" })
    expect(s.d).toMatchObject({ command: "node", cwd: join(l.dir, "..", "elsewhere") })
    expect(s.e).toMatchObject({ command: "/usr/bin/env" })
    expect(s.f).toMatchObject({ command: join(l.dir, "..", "up", "run.sh") })
  })

  test("startProblem names the key: a cwd that is missing or a file, a missing or non-executable command, a name not on PATH", () => {
    const l = layout()
    writeFileSync(join(l.dir, "noexec.sh"), "#!/bin/sh\n")
    chmodSync(join(l.dir, "noexec.sh"), 0o644)
    const PATH = "/usr/bin:/bin"
    const ok = config.startProblem("ok", { command: join(l.dir, "run.sh"), cwd: l.dir }, PATH)
    expect(ok).toBeUndefined()
    expect(config.startProblem("ok", { command: "sh" }, PATH)).toBeUndefined()
    expect(config.startProblem("a", { command: "sh", cwd: join(l.dir, "nope") }, PATH)).toMatchObject({ key: "cwd", problem: `its working directory ${join(l.dir, "nope")} (servers.a.cwd) does not exist` })
    expect(config.startProblem("c", { command: "sh", cwd: join(l.dir, "plain.txt") }, PATH)).toMatchObject({ key: "cwd", problem: `its working directory ${join(l.dir, "plain.txt")} (servers.c.cwd) is not a directory` })
    expect(config.startProblem("b", { command: join(l.dir, "gone.sh") }, PATH)).toMatchObject({ key: "command", problem: `${join(l.dir, "gone.sh")} (servers.b.command) does not exist` })
    expect(config.startProblem("n", { command: join(l.dir, "noexec.sh") }, PATH)).toMatchObject({ key: "command", problem: `${join(l.dir, "noexec.sh")} (servers.n.command) is not executable` })
    expect(config.startProblem("p", { command: "no-such-program-xyz" }, PATH)).toMatchObject({ key: "command", problem: `no program named "no-such-program-xyz" (servers.p.command) on its PATH (${PATH})` })
    // the server's own PATH is the one searched
    expect(config.startProblem("p", { command: "run.sh" }, `${l.dir}:${PATH}`)).toBeUndefined()
  })
})

describe("through the binary", () => {
  beforeAll(ensureBuilt, 120_000)

  test("a relative command next to the config file starts, whatever the orchestrator's cwd; a file as cwd is blamed on servers.c.cwd", async () => {
    const l = layout()
    const cfg = l.cfg(["toolkit: { enabled: off }", "servers:", "  b: { command: ./run.sh }", `  c: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(FAULT)}], cwd: plain.txt }`, ""].join("\n"))
    // started in HOME, not in the config file's directory
    const c = await connectBinary(["serve", "--config", cfg], sandboxEnv())
    try {
      const b = (await c.client.callTool({ name: "b__echo", arguments: { message: "hi" } })) as { content: Array<{ text: string }>; isError?: boolean }
      expect(b.isError, b.content[0]?.text).toBeFalsy()
      expect(b.content[0]!.text).toContain("hi")
      const r = (await c.client.callTool({ name: "c__echo", arguments: { message: "x" } })) as { content: Array<{ text: string }>; isError?: boolean }
      expect(r.isError).toBe(true)
      expect(r.content[0]!.text).toContain(`cannot start ${process.execPath}: its working directory ${join(l.dir, "plain.txt")} (servers.c.cwd) is not a directory`)
      expect(r.content[0]!.text).not.toContain("ENOTDIR")
    } finally {
      await c.close()
    }
  }, 60_000)

  test("doctor warns for each stdio server that cannot start, naming the key (exit 0)", () => {
    const l = layout()
    const cfg = l.cfg(
      [
        "toolkit: { enabled: off }",
        "servers:",
        "  good: { command: ./run.sh }",
        "  nodir: { command: sh, cwd: /nonexistent/dir }",
        "  file: { command: sh, cwd: plain.txt }",
        "  gone: { command: ./missing.sh }",
        "  nopath: { command: no-such-program-xyz }",
        "  off: { command: no-such-program-xyz, disabled: true }",
        "",
      ].join("\n"),
    )
    const env = sandboxEnv()
    const p = Bun.spawnSync([BIN, "doctor", "--json", "--config", cfg], { env, cwd: env.HOME })
    expect(p.exitCode).toBe(0)
    const rep = JSON.parse(p.stdout.toString()) as { checks: Array<{ name: string; status: string; detail: string; remedy?: string }> }
    const servers = rep.checks.filter((c) => c.name === "servers")
    expect(servers.map((c) => [c.status, c.detail])).toEqual([
      ["warn", "server nodir cannot start: its working directory /nonexistent/dir (servers.nodir.cwd) does not exist"],
      ["warn", `server file cannot start: its working directory ${join(l.dir, "plain.txt")} (servers.file.cwd) is not a directory`],
      ["warn", `server gone cannot start: ${join(l.dir, "missing.sh")} (servers.gone.command) does not exist`],
      ["warn", `server nopath cannot start: no program named "no-such-program-xyz" (servers.nopath.command) on its PATH (${env.PATH})`],
      // the one that can start is started as serve starts it (cli/doctor-start), listed and stopped
      ["ok", expect.stringMatching(/^server good started: \d+ tools, MCP /)],
    ])
    for (const c of servers.filter((x) => x.status === "warn")) expect(c.remedy).toBeTruthy()
    // with --no-start nothing is started: its command was found
    const q = Bun.spawnSync([BIN, "doctor", "--json", "--no-start", "--config", cfg], { env, cwd: env.HOME })
    const plain = (JSON.parse(q.stdout.toString()) as { checks: Array<{ name: string; status: string; detail: string }> }).checks.filter((c) => c.name === "servers")
    expect(plain.at(-1)).toEqual({ name: "servers", status: "ok", detail: "1 other stdio server: command found, working directory usable (not started: --no-start)" })
  }, 30_000)
})
