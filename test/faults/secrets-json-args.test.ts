/**
 * @module test/faults/secrets-json-args
 * Settings handed to a stdio server as JSON in an argument (`--config '{"apiKey":"…"}'`, as
 * Smithery's CLI takes a server's settings; `--config={…}`) and a secret-named flag with its value
 * after a colon (`--apikey:X`, .NET and Windows tools) are read as an env value's JSON and as
 * `--apikey=X` are: a server printing its argv does not hand the keys to the model, the log and
 * `doctor --json` (its effective config, its command-line warning) do not show them. Before qa359
 * neither was registered and each came back in the tool result and doctor's report. Compiled binary.
 */
import { beforeAll, expect, test } from "bun:test"
import { join } from "node:path"
import { BIN, connectBinary, ensureBuilt, sandboxEnv, writeConfig } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const ECHO = join(import.meta.dir, "..", "fixtures", "servers", "env-echo-server.ts")
const tag = crypto.randomUUID().replace(/-/g, "").slice(0, 8)
const JSON_KEY = `Js${tag}Pk`
const ATTACHED_JSON_KEY = `Ja${tag}Wq`
const COLON_KEY = `Co${tag}Lz`
const VALUES = [JSON_KEY, ATTACHED_JSON_KEY, COLON_KEY]
const ARGS = [ECHO, "--config", JSON.stringify({ braveApiKey: JSON_KEY, region: "eu" }), `--config2=${JSON.stringify({ auth: { token: ATTACHED_JSON_KEY } })}`, `--apikey:${COLON_KEY}`]

function config(env: Record<string, string>): string {
  return writeConfig(env, { log: { level: "debug" }, toolkit: { enabled: "off" }, servers: { smithery: { command: process.execPath, args: ARGS } } })
}

test("keys in a JSON argument or after --apikey: reach neither the model nor the log", async () => {
  const env = sandboxEnv()
  const c = await connectBinary(["serve", "--config", config(env)], env)
  try {
    const r = await c.client.callTool({ name: "smithery__whoami", arguments: {} })
    expect(JSON.parse((r.content as { text: string }[])[0]!.text).argv).toEqual([
      "--config",
      JSON.stringify({ braveApiKey: "[REDACTED]", region: "eu" }),
      `--config2=${JSON.stringify({ auth: { token: "[REDACTED]" } })}`,
      "--apikey:[REDACTED]",
    ])
    const status = JSON.stringify(await c.client.callTool({ name: "orchestrator_status", arguments: {} }))
    for (const v of VALUES) expect(JSON.stringify(r) + status).not.toContain(v)
  } finally {
    await c.close()
  }
  for (const v of VALUES) expect(c.stderr()).not.toContain(v)
}, 60_000)

test("doctor --json neither quotes them nor misses that they are on a command line", () => {
  const env = sandboxEnv()
  const p = Bun.spawnSync([BIN, "doctor", "--json", "--no-start", "--config", config(env)], { env, cwd: env.HOME })
  const out = p.stdout.toString() + p.stderr.toString()
  for (const v of VALUES) expect(out).not.toContain(v)
  const report = JSON.parse(p.stdout.toString()) as { checks: { name: string; detail: string }[] }
  const warning = report.checks.find((c) => c.name === "config" && c.detail.includes("command line"))?.detail
  expect(warning).toContain("args[2] after --config, args[3], args[4]")
}, 60_000)
