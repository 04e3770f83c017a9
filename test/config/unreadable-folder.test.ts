/**
 * Regression (QA): a config folder this user may not look into (`chmod 000
 * ~/.config/mcp-orchestrator`) was silently "no config": existsSync says false for each config
 * name there, so serve ran on the defaults with no servers, and doctor said "no config file". It is
 * now a config error naming the folder and what to do, as a file in the folder's place is.
 * Tests run as root, where chmod does not deny: serve and doctor run as nobody (setpriv), in a home
 * nobody owns, as a user's own folder would be.
 */
import { expect, test } from "bun:test"
import { chmodSync, chownSync, mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

const NOBODY = 65534
const setpriv = Bun.which("setpriv")

test.skipIf(setpriv === null || process.getuid?.() !== 0)("a config folder that cannot be looked into (chmod 000): serve exits 2 and doctor fails the config check, naming the folder and the fix", async () => {
  await ensureBuilt()
  const env = sandboxEnv({ MCPO_TOOLKIT_ENABLED: "off" })
  const dir = join(env.XDG_CONFIG_HOME!, "mcp-orchestrator")
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, "config.yaml"), "servers:\n  memory: { command: npx, args: [-y, '@modelcontextprotocol/server-memory'] }\n")
  for (const p of [env.HOME!, env.XDG_CONFIG_HOME!, dir, join(dir, "config.yaml")]) chownSync(p, NOBODY, NOBODY)
  chmodSync(env.HOME!, 0o755)
  chmodSync(dir, 0o000)
  const asNobody = (args: string[]) => Bun.spawnSync([setpriv!, `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", BIN, ...args], { env, cwd: env.HOME, stdin: "ignore" })
  const serve = asNobody(["serve"])
  const said = serve.stderr.toString()
  expect(serve.exitCode).toBe(2)
  expect(said).toContain(`${dir}: cannot look for a config file in the config directory (EACCES: permission denied)`)
  expect(said).toContain(`chmod u+rx ${dir}`)
  expect(said).toContain("--config FILE")
  const doc = asNobody(["doctor", "--json"])
  const rep = JSON.parse(doc.stdout.toString()) as { checks: Array<{ name: string; status: string; detail: string; remedy?: string }> }
  const cfg = rep.checks.find((c) => c.name === "config")!
  expect(cfg.status).toBe("fail")
  expect(cfg.detail).toContain("cannot look for a config file in the config directory")
  expect(cfg.remedy).toContain(`chmod u+rx ${dir}`)
}, 120_000)
