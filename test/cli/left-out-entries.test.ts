/**
 * CLI commands that read the config for something else — `pins`, `cache`, `auth status` — name a
 * server entry left out as invalid (one line on stderr: entry, file:line, the problem; a field in
 * --json), as `doctor` and orchestrator_status do, and still do their job (exit 0, stdout as before).
 */
import { beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

function world(): { run: (...args: string[]) => { code: number; out: string; err: string }; cfg: string } {
  const env = sandboxEnv()
  const cfg = join(env.HOME!, "config.yaml")
  const pinsFile = join(env.HOME!, "pins.json")
  writeFileSync(
    cfg,
    [
      'toolkit: { enabled: "off" }',
      `proxy: { pinTools: block, pinsFile: ${JSON.stringify(pinsFile)} }`,
      "servers:",
      "  fs: { command: \"true\" }",
      "  web: { url: \"https://example.com/mcp\" }",
      "  bad:",
      "    comand: npx",
      "",
    ].join("\n"),
  )
  const at = "2026-12-01T00:00:00.000Z"
  writeFileSync(pinsFile, JSON.stringify({ v: 1, servers: { fs: { read_file: { hash: "a".repeat(64), firstSeen: at } } } }))
  const run = (...args: string[]) => {
    const r = Bun.spawnSync([BIN, ...args, "--config", cfg], { env, cwd: env.HOME })
    return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() }
  }
  return { run, cfg }
}

test("pins, cache and auth status say which entries are left out (and why), and still work", () => {
  const { run, cfg } = world()
  const said = `servers.bad (${cfg}:6) is invalid, so serve leaves it out (the other servers run): servers.bad.comand (${cfg}:7): unknown key; did you mean "command"?`
  for (const args of [["pins", "list"], ["cache", "stats"], ["auth", "status"]]) {
    const r = run(...args)
    expect({ args, code: r.code }).toEqual({ args, code: 0 })
    expect(r.err).toContain(said)
    // one line per entry, on stderr only
    expect(r.err.split("\n").filter((l) => l.includes("servers.bad (")).length).toBe(1)
    expect(r.out).not.toContain("servers.bad")
  }
  expect(run("pins", "list").out).toContain("fs/read_file")
  expect(run("auth", "status").out).toContain("web: not logged in")
  // --json: a field, stdout stays one JSON document
  for (const args of [["pins", "list", "--json"], ["auth", "status", "--json"]]) {
    const j = JSON.parse(run(...args).out) as { invalidServers?: { name: string; entry: string; source: string; problems: string[] }[] }
    expect(j.invalidServers?.map((s) => [s.name, s.entry, s.source])).toEqual([["bad", "servers.bad", `${cfg}:6`]])
    expect(j.invalidServers![0]!.problems[0]).toContain('unknown key; did you mean "command"?')
  }
  // a pins target that is a left-out entry: the entry's problem, not "no server bad is configured"
  const approve = run("pins", "approve", "bad")
  expect(approve.code).toBe(2)
  expect(approve.err).toContain("server bad has no tool pinned: its config entry servers.bad (")
  expect(approve.err).not.toContain("no server bad is configured")
}, 60_000)

test("doctor's remedy for a config error does not tell the user to run doctor", () => {
  const { run } = world()
  const r = run("doctor")
  expect(r.code).toBe(2)
  expect(r.out).toContain("remedy: Fix the keys named")
  expect(r.out).not.toContain("run `mcp-orchestrator doctor`")
})
