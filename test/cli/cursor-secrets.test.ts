/**
 * @module test/cli/cursor-secrets
 * `cursor connect --import` prints why an entry stays in mcp.json, and that reason quotes the entry:
 * a whole command line (`npx -y pkg --api-key X`) in the split it asks for, a relative command with
 * its secret-bearing text, the command line an `${env:…}` variable completes. Every such reason is
 * masked of the entry's secrets, as written and as resolved; before qa359 only a schema problem was,
 * and the others printed the key on the terminal (and into whatever captured it). Compiled binary.
 */
import { beforeAll, expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const tag = crypto.randomUUID().replace(/-/g, "").slice(0, 8)
const FLAGGED = `Kf83${tag}Xq2Lm`
const RESOLVED = `Zr61${tag}Wp9Tb`
const SHORT_P = `Hunter2!${tag.slice(0, 3)}`

test("the reasons cursor connect gives for entries it keeps name no secret of theirs", () => {
  const env = sandboxEnv({ QA359_TOKEN: RESOLVED })
  const dir = join(env.HOME!, "proj", ".cursor")
  mkdirSync(dir, { recursive: true })
  const file = join(dir, "mcp.json")
  writeFileSync(
    file,
    JSON.stringify({
      mcpServers: {
        line: { command: `npx -y some-pkg --api-key ${FLAGGED}` },
        env: { command: "npx -y other-pkg --token ${env:QA359_TOKEN}" },
        rel: { command: `./bin/mysql-mcp -u app -p ${SHORT_P}` },
        plain: { command: "npx -y plain-pkg" },
      },
    }),
  )
  const p = Bun.spawnSync([BIN, "cursor", "connect", "--import", "--dry-run", "--file", file, "--command", "/bin/true"], { env, cwd: env.HOME })
  const out = p.stdout.toString() + p.stderr.toString()
  expect(p.exitCode).toBe(0)
  // each stays, told why (the split to write), the secret masked in it
  for (const name of ["line", "env", "rel", "plain"]) expect(out).toContain(`kept in mcp.json: ${name} (`)
  expect(out).toContain('"--api-key", "[REDACTED]"')
  expect(out).toContain('"--token", "[REDACTED]"')
  expect(out).toContain('-u app -p [REDACTED]" is a relative path')
  expect(out).toContain('write command: npx, args: ["-y", "plain-pkg"]')
  for (const v of [FLAGGED, RESOLVED, SHORT_P]) expect(out).not.toContain(v)
})
