/**
 * @module test/faults/secrets-short-flags
 * A password given to a stdio server after a short flag, as mysql, mongosh or sshpass take it
 * (`-p pass`, attached `-ppass`) or in curl's `-u user:pass`, is a configured secret like one after
 * `--password`: a downstream that prints its argv (the env-echo fixture's `whoami`) does not hand it
 * to the model, the log does not show it, and `doctor --json` neither quotes it in the effective
 * config nor fails to warn that it is on a command line. A port mapping after `-p` and a uid:gid
 * after `-u` stay as they are. Before qa359 none of the three passwords was registered: each came
 * back in the tool result and in doctor's report. Compiled binary, real SDK Client.
 */
import { beforeAll, expect, test } from "bun:test"
import { join } from "node:path"
import { BIN, connectBinary, ensureBuilt, sandboxEnv, writeConfig } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const ECHO = join(import.meta.dir, "..", "fixtures", "servers", "env-echo-server.ts")
const tag = crypto.randomUUID().slice(0, 4)
// passwords as people type them: punctuation, no token shape, under 16 characters
const SEPARATE = `Hunter2!${tag}`
const ATTACHED = `W0rd#${tag}x`
const PAIR = `S3c!${tag}q`
const ARGS = [ECHO, "-u", "app", "-p", SEPARATE, `-p${ATTACHED}`, "--user", `deploy:${PAIR}`, "-p", "8080:80", "-u", "1000:1000"]

function config(env: Record<string, string>): string {
  return writeConfig(env, { log: { level: "debug" }, toolkit: { enabled: "off" }, servers: { db: { command: process.execPath, args: ARGS } } })
}

test("a password after -p, attached to -p or in -u user:pass reaches neither the model nor the log", async () => {
  const env = sandboxEnv()
  const c = await connectBinary(["serve", "--config", config(env)], env)
  try {
    const r = await c.client.callTool({ name: "db__whoami", arguments: {} })
    const argv = JSON.parse((r.content as { text: string }[])[0]!.text).argv as string[]
    // the child got them (masked in what comes back), the port mapping and uid:gid stay
    expect(argv).toEqual(["-u", "app", "-p", "[REDACTED]", "-p[REDACTED]", "--user", "deploy:[REDACTED]", "-p", "8080:80", "-u", "1000:1000"])
    const status = JSON.stringify(await c.client.callTool({ name: "orchestrator_status", arguments: {} }))
    for (const v of [SEPARATE, ATTACHED, PAIR]) expect(JSON.stringify(r) + status).not.toContain(v)
  } finally {
    await c.close()
  }
  for (const v of [SEPARATE, ATTACHED, PAIR]) expect(c.stderr()).not.toContain(v)
}, 60_000)

test("doctor --json neither quotes such a password nor misses that it is on a command line", () => {
  const env = sandboxEnv()
  const p = Bun.spawnSync([BIN, "doctor", "--json", "--no-start", "--config", config(env)], { env, cwd: env.HOME })
  const out = p.stdout.toString() + p.stderr.toString()
  for (const v of [SEPARATE, ATTACHED, PAIR]) expect(out).not.toContain(v)
  const report = JSON.parse(p.stdout.toString()) as { checks: { name: string; detail: string }[] }
  const warning = report.checks.find((c) => c.name === "config" && c.detail.includes("command line"))?.detail
  expect(warning).toContain("args[4] after -p")
  expect(warning).toContain("args[5]")
  expect(warning).toContain("args[7] after --user")
  expect(warning).not.toContain("args[9]")
}, 60_000)
