/**
 * @module test/cli/parse-secrets
 * `mcp-orchestrator parse config` prints a captured Toolkit config normalized; the secret values it
 * holds (an API key, a token, a connection URL's password: what the driver registers from a
 * `config read`) are masked, as the driver shows a config, and the output stays valid JSON. Before
 * qa359 they were printed as they came, into terminals and the bug reports the command is for.
 * Compiled binary.
 */
import { beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const tag = crypto.randomUUID().replace(/-/g, "").slice(0, 8)
const API_KEY = `Bk${tag}Xz`
const TOKEN = `Nt${tag}Qa`
const URL_PW = `Pg${tag}Wm`

test("parse config masks the secret values of the config it prints, and only those", () => {
  const env = sandboxEnv()
  const file = join(env.HOME!, "config.yaml")
  writeFileSync(file, `brave:\n  api_key: ${API_KEY}\npostgres:\n  url: postgresql://app:${URL_PW}@db:5432/x\nnotion:\n  internalIntegrationToken: ${TOKEN}\n  workspace: myws\n`)
  const p = Bun.spawnSync([BIN, "parse", "config", file], { env, cwd: env.HOME })
  expect(p.exitCode).toBe(0)
  const out = p.stdout.toString()
  for (const v of [API_KEY, TOKEN, URL_PW]) expect(out + p.stderr.toString()).not.toContain(v)
  expect(JSON.parse(out)).toEqual({
    brave: { api_key: "[REDACTED]" },
    postgres: { url: "postgresql://app:[REDACTED]@db:5432/x" },
    notion: { internalIntegrationToken: "[REDACTED]", workspace: "myws" },
  })
})
