/**
 * Regressions (QA):
 * - an unset `${env:QA_PLAIN}` in the config was reported as `${QA_PLAIN}`, and logged twice at
 *   start (components app and reload: the reloader's check at start loaded the same file again);
 * - with config.yaml and config.json both in the default location, one was read without a word;
 * - the config warnings were logged after "ready": a serve that ended at once (stdin at its end,
 *   a SIGTERM, a usage error) never said them.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { loadConfig } from "../../src/config/index.ts"
import { BIN, connectBinary, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const VAR = "MCPO_TEST_QA_PLAIN_SURELY_UNSET"

describe("an unset variable", () => {
  test("is named as written, and logged once at start", async () => {
    const env = sandboxEnv({ MCPO_TOOLKIT_ENABLED: "off" })
    const cfg = join(env.HOME!, "vars.yaml")
    writeFileSync(cfg, `servers:\n  a:\n    command: ${JSON.stringify(process.execPath)}\n    args: ["--version", "\${env:${VAR}}"]\n`)
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      await c.client.listTools()
      const lines = (): string[] => c.stderr().split("\n").filter((l) => l.includes(VAR))
      // the reloader's check at start runs right after "ready": give it time to (wrongly) log again
      const deadline = Date.now() + 2000
      while (Date.now() < deadline && lines().length < 2) await Bun.sleep(50)
      expect(lines()).toHaveLength(1)
      expect(JSON.parse(lines()[0]!)).toMatchObject({ level: "warn", msg: "config", problem: `servers.a.args.1 (${cfg}:4): \${env:${VAR}} is not set in the environment; it resolves to ""` })
    } finally {
      await c.close()
    }
  }, 30_000)
})

describe("two config files in the default location", () => {
  function home(names: string[]): { env: Record<string, string>; dir: string } {
    const env = sandboxEnv({ MCPO_TOOLKIT_ENABLED: "off" })
    const dir = join(env.XDG_CONFIG_HOME!, "mcp-orchestrator")
    mkdirSync(dir, { recursive: true })
    for (const n of names) writeFileSync(join(dir, n), n.endsWith(".yaml") || n.endsWith(".yml") ? "log: { level: info }\n" : '{"log": {"level": "info"}}\n')
    return { env, dir }
  }

  test("the choice is said: both files named, and the one used", () => {
    const { env, dir } = home(["config.yaml", "config.json"])
    const loaded = loadConfig({ env })
    expect(loaded.file).toMatchObject({ path: join(dir, "config.yaml"), via: "default location", ignored: [join(dir, "config.json")] })
    expect(loaded.file!.warning).toBe(`${dir}: config.yaml and config.json both exist in the default location; using config.yaml (the first of config.yaml, config.yml, config.json, config.jsonc), config.json is not read`)
    const three = home(["config.json", "config.jsonc", "config.yml"])
    expect(loadConfig({ env: three.env }).file!.warning).toBe(
      `${three.dir}: config.yml, config.json and config.jsonc all exist in the default location; using config.yml (the first of config.yaml, config.yml, config.json, config.jsonc), the others are not read`,
    )
    // one file: nothing to say
    expect(loadConfig({ env: home(["config.json"]).env }).file!.warning).toBeUndefined()
  })

  test("doctor warns, naming both files and how to settle it", async () => {
    const { env, dir } = home(["config.json", "config.jsonc"])
    const p = Bun.spawn([BIN, "doctor", "--json"], { env, cwd: env.HOME, stdout: "pipe", stderr: "pipe", stdin: "ignore" })
    const [out, code] = await Promise.all([new Response(p.stdout).text(), p.exited])
    expect(code).toBe(0)
    const rep = JSON.parse(out) as { checks: Array<{ name: string; status: string; detail: string; remedy?: string }> }
    const w = rep.checks.filter((c) => c.detail.includes("default location;"))
    expect(w).toEqual([
      {
        name: "config",
        status: "warn",
        detail: `${dir}: config.json and config.jsonc both exist in the default location; using config.json (the first of config.yaml, config.yml, config.json, config.jsonc), config.jsonc is not read`,
        remedy: `remove or rename the file not meant to be read (${join(dir, "config.jsonc")}), or name the one to use with --config / MCPO_CONFIG`,
      },
    ])
  })

  test("serve logs it even when it ends at once: stdin at its end (serve </dev/null), --no-stdio without an address", async () => {
    const { env } = home(["config.yaml", "config.json"])
    for (const args of [["serve"], ["serve", "--no-stdio"]]) {
      const p = Bun.spawn([BIN, ...args], { env: { ...env, MCPO_POOL_NOT_A_KEY: "1" }, cwd: env.HOME, stdout: "pipe", stderr: "pipe", stdin: "ignore" })
      const [err] = await Promise.all([new Response(p.stderr).text(), p.exited])
      const warned = err.split("\n").filter((l) => l.startsWith("{") && JSON.parse(l).msg === "config").map((l) => JSON.parse(l) as { level: string; problem: string })
      expect(warned.map((w) => w.level)).toEqual(["warn", "warn"])
      expect(warned[0]!.problem).toContain("both exist in the default location")
      expect(warned[1]!.problem).toContain("MCPO_POOL_NOT_A_KEY")
    }
  }, 30_000)

  test("serve logs it once at start", async () => {
    const { env } = home(["config.yaml", "config.json"])
    const c = await connectBinary(["serve"], env)
    try {
      await c.client.listTools()
      const lines = (): string[] => c.stderr().split("\n").filter((l) => l.includes("both exist in the default location"))
      const deadline = Date.now() + 2000
      while (Date.now() < deadline && lines().length < 2) await Bun.sleep(50)
      expect(lines()).toHaveLength(1)
      expect(JSON.parse(lines()[0]!)).toMatchObject({ level: "warn", msg: "config" })
    } finally {
      await c.close()
    }
  }, 30_000)
})
