/**
 * Regression (QA defect 6): `doctor` exited 1 on an invalid config while the README (and every
 * other command) says a config error exits 2. It exits 2 for an invalid config, 0 when only
 * warnings were found.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

async function run(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn([BIN, ...args], { env, cwd: env.HOME, stdout: "pipe", stderr: "pipe", stdin: "ignore" })
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { code, out, err }
}

describe("doctor's exit code agrees with the other commands", () => {
  test("an invalid config: doctor (text and --json) exits 2, as serve does", async () => {
    const env = sandboxEnv({ PATH: "/nonexistent" })
    const cfg = join(env.HOME!, "bad.yaml")
    writeFileSync(cfg, "pool:\n  maxInFlight: 1.5\n")
    const text = await run(["doctor", "--config", cfg], env)
    expect(text.code).toBe(2)
    expect(text.out).toContain(`✗ config: Invalid configuration:`)
    expect(text.out).toContain(`pool.maxInFlight (${cfg}:2): expected an integer, got number 1.5`)
    expect((await run(["doctor", "--config", cfg, "--json"], env)).code).toBe(2)
    expect((await run(["serve", "--config", cfg], env)).code).toBe(2)
  })
  test("a missing --config file is a config error too (2)", async () => {
    const env = sandboxEnv({ PATH: "/nonexistent" })
    expect((await run(["doctor", "--config", join(env.HOME!, "nope.yaml")], env)).code).toBe(2)
  })
  test("a valid config with only warnings exits 0", async () => {
    const env = sandboxEnv({ PATH: "/nonexistent", MCPO_LOG_LEVL: "x" })
    expect((await run(["doctor"], env)).code).toBe(0)
  })
  test("an HTTP allow-list entry that can never match is a warning naming the key, its source and what to write (exit 0)", async () => {
    const env = sandboxEnv({ PATH: "/nonexistent", MCPO_HTTP_ALLOWED_HOSTS: "https://x.example/mcp,ok.example" })
    const cfg = join(env.HOME!, "c.yaml")
    writeFileSync(cfg, 'toolkit: { enabled: "off" }\nhttp:\n  allowedOrigins: ["app.example.com", "https://ok.example"]\n')
    const r = await run(["doctor", "--config", cfg], env)
    expect(r.code).toBe(0)
    expect(r.out).toContain(`! http: http.allowedOrigins (${cfg}:3): entry "app.example.com" can never match: an Origin is scheme://host[:port], e.g. "https://app.example.com"`)
    expect(r.out).toContain('! http: http.allowedHosts (env MCPO_HTTP_ALLOWED_HOSTS): entry "https://x.example/mcp" can never match: a Host is name[:port], without scheme or path: use "x.example"')
    // entries that work are not reported
    expect(r.out).not.toContain('entry "ok.example"')
    expect(r.out).not.toContain('entry "https://ok.example"')
  })
})
