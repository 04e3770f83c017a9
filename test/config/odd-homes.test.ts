/**
 * Regressions (QA qa19, odd disk state and environment):
 * - a file where the config directory should be (the config saved as ~/.config/mcp-orchestrator
 *   itself) was never read, silently: serve ran on the defaults with no servers and doctor said "no
 *   config file; defaults". It is now a config error naming the file and where the config goes.
 * - a relative XDG_CONFIG_HOME was used as is (the cache and state directories ignore a relative
 *   XDG path, as the XDG rule says), and a relative HOME came back relative from the fallback
 *   (os.homedir() returns $HOME itself): each named another directory from each working directory.
 */
import { expect, test } from "bun:test"
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs"
import { homedir } from "node:os"
import { isAbsolute, join } from "node:path"
import { cacheHome, configHome, stateHome } from "../../src/config/index.ts"
import { BIN, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

test("a file where the config directory should be: serve exits 2 and doctor fails the config check, naming it", async () => {
  await ensureBuilt()
  const env = sandboxEnv()
  mkdirSync(env.XDG_CONFIG_HOME!, { recursive: true })
  const dir = join(env.XDG_CONFIG_HOME!, "mcp-orchestrator")
  writeFileSync(dir, "servers:\n  memory: { command: npx, args: [-y, '@modelcontextprotocol/server-memory'] }\n")
  const serve = Bun.spawnSync([BIN, "serve"], { env, cwd: env.HOME, stdin: "ignore" })
  expect(serve.exitCode).toBe(2)
  expect(serve.stderr.toString()).toContain(`${dir}: a file stands where the config directory should be; no config is read from it`)
  expect(serve.stderr.toString()).toContain(`The config goes in ${join(dir, "config.yaml")}`)
  const doc = Bun.spawnSync([BIN, "doctor", "--json"], { env, cwd: env.HOME })
  const rep = JSON.parse(doc.stdout.toString()) as { checks: Array<{ name: string; status: string; detail: string }> }
  const cfg = rep.checks.find((c) => c.name === "config")!
  expect(cfg.status).toBe("fail")
  expect(cfg.detail).toContain("a file stands where the config directory should be")
}, 30_000)

test("relative XDG_CONFIG_HOME and HOME are not used as relative paths", () => {
  const home = sandboxEnv().HOME!
  expect(configHome({ HOME: home, XDG_CONFIG_HOME: "rel/cfg" })).toBe(join(home, ".config", "mcp-orchestrator"))
  const saved = process.env.HOME
  process.env.HOME = "relhome"
  try {
    for (const p of [configHome({ HOME: "relhome" }), cacheHome(undefined, { HOME: "relhome" }), stateHome({ HOME: "relhome" })]) {
      expect(isAbsolute(p)).toBe(true)
      expect(p.startsWith("relhome")).toBe(false)
    }
  } finally {
    process.env.HOME = saved
  }
  expect(process.env.HOME).toBe(saved)
  expect(homedir()).toBe(saved!)
})

// QA 248: a dotfile link whose target is missing (not stowed yet, its folder moved) was skipped as
// "no config file": serve ran with no servers and doctor said "no config file; defaults".
test("a dangling symlink as the default config file: serve exits 2 and doctor fails the config check, naming its target", async () => {
  await ensureBuilt()
  const env = sandboxEnv()
  const dir = join(env.XDG_CONFIG_HOME!, "mcp-orchestrator")
  mkdirSync(dir, { recursive: true })
  const target = join(env.HOME!, "dotfiles", "mcpo.yaml")
  symlinkSync(target, join(dir, "config.yaml"))
  const serve = Bun.spawnSync([BIN, "serve"], { env, cwd: env.HOME, stdin: "ignore" })
  expect(serve.exitCode).toBe(2)
  expect(serve.stderr.toString()).toContain(`${join(dir, "config.yaml")} (default location): cannot read the config file (ENOENT: a symlink to ${target}, which does not exist)`)
  const doc = Bun.spawnSync([BIN, "doctor", "--json"], { env, cwd: env.HOME })
  const rep = JSON.parse(doc.stdout.toString()) as { checks: Array<{ name: string; status: string; detail: string }> }
  const cfg = rep.checks.find((c) => c.name === "config")!
  expect(cfg.status).toBe("fail")
  expect(cfg.detail).toContain(`a symlink to ${target}, which does not exist`)
  // a real file next to it (config.json) is what is read: the link is then only one of two names
  writeFileSync(join(dir, "config.json"), JSON.stringify({ toolkit: { enabled: "off" }, servers: {} }))
  const doc2 = Bun.spawnSync([BIN, "doctor", "--json"], { env, cwd: env.HOME })
  const cfg2 = (JSON.parse(doc2.stdout.toString()) as { checks: Array<{ name: string; status: string; detail: string }> }).checks.find((c) => c.name === "config")!
  expect(cfg2.detail).toContain(join(dir, "config.json"))
}, 30_000)
