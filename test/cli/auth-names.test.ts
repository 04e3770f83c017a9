/**
 * Regression (QA qa14): `auth login NAME` for a stdio server said "no remote server (with a url) of
 * that name in the config" — as if the server did not exist — and a misspelled name got no
 * suggestion. A stdio server is now named as such (OAuth is for remote servers; its credentials go
 * in its env), and a misspelled remote server gets a did-you-mean. Both exit 2.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

function run(args: string[], env: Record<string, string>): { code: number; err: string } {
  const r = Bun.spawnSync([BIN, ...args], { env, cwd: env.HOME, stdin: "ignore" })
  return { code: r.exitCode, err: r.stderr.toString() }
}

describe("auth login/logout name the server's problem", () => {
  test("a stdio server, and a misspelled remote one", () => {
    const env = sandboxEnv({ PATH: "/nonexistent" })
    const cfg = join(env.HOME!, "c.yaml")
    writeFileSync(cfg, 'servers:\n  memory: { command: npx, args: [-y, "@modelcontextprotocol/server-memory"] }\n  linear: { url: "https://mcp.linear.app/mcp" }\n')
    for (const verb of ["login", "logout"]) {
      const stdio = run(["auth", verb, "memory", "--config", cfg], env)
      expect(stdio.code).toBe(2)
      expect(stdio.err).toContain("servers.memory is a stdio server (command), not a remote one (url)")
      expect(stdio.err).toContain("servers.memory.env")
    }
    const typo = run(["auth", "login", "linaer", "--config", cfg], env)
    expect(typo.code).toBe(2)
    expect(typo.err).toContain('servers.linaer: no remote server (with a url) of that name in the config; did you mean "linear"?')
  })
})
