/**
 * Regression (QA defect 3): misspelled MCPO_* variables (MCPO_POOL_MAXINFLIGHT, MCPO_LOG_LEVL) were
 * ignored without a word. Every MCPO_* variable that nothing reads is a warning with the closest
 * known name: logged at serve start and shown by doctor; never an error.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { knownEnvNames, loadConfig, unknownEnvWarnings } from "../../src/config/index.ts"
import { BIN, connectBinary, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"
import { configDir } from "./helpers.ts"

const { dir } = configDir("mcpo-envnames-")
const noEnv = { HOME: dir, XDG_CONFIG_HOME: join(dir, "none") }

/** Every MCPO_ name written out in src/ (settings come from the schema; these are the others). */
function namesInSource(): string[] {
  const out = new Set<string>()
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.name.endsWith(".ts")) for (const m of readFileSync(p, "utf8").matchAll(/\bMCPO_[A-Z0-9]+(?:_[A-Z0-9]+)*\b/g)) out.add(m[0])
    }
  }
  walk(join(ROOT, "src"))
  return [...out]
}

describe("unknown MCPO_* variables", () => {
  test("each is one warning with a did-you-mean; the value is ignored, loading goes on", () => {
    const env = { ...noEnv, MCPO_POOL_MAXINFLIGHT: "4", MCPO_LOG_LEVL: "debug", MCPO_pool_queue_limit: "3", MCPO_NOTHING_LIKE_IT: "1" }
    const r = loadConfig({ env })
    expect(r.config.pool.maxInFlight).toBe(64)
    expect(r.envWarnings).toEqual([
      "env MCPO_LOG_LEVL: unknown MCPO_ variable, ignored; did you mean MCPO_LOG_LEVEL?",
      "env MCPO_NOTHING_LIKE_IT: unknown MCPO_ variable, ignored; see docs/config.md for the MCPO_* variables",
      "env MCPO_POOL_MAXINFLIGHT: unknown MCPO_ variable, ignored; did you mean MCPO_POOL_MAX_IN_FLIGHT?",
      "env MCPO_pool_queue_limit: unknown MCPO_ variable, ignored; did you mean MCPO_POOL_QUEUE_LIMIT?",
    ])
    for (const w of r.envWarnings!) expect(r.warnings).toContain(w)
  })

  test("the did-you-mean finds the variable a realistic typo was meant to be (QA: MCPO_POOLMAX got MCPO_TOOLSET)", () => {
    const hint = (name: string): string | undefined => /did you mean (.*)\?$/.exec(unknownEnvWarnings({ [name]: "1" })[0] ?? "")?.[1]
    // cut short, underscores left out: names that begin with it, shortest first
    expect(hint("MCPO_POOLMAX")).toBe("MCPO_POOL_MAX_IN_FLIGHT or MCPO_POOL_MAX_SESSIONS")
    expect(hint("MCPO_POOL_MAX")).toBe("MCPO_POOL_MAX_IN_FLIGHT or MCPO_POOL_MAX_SESSIONS")
    // the same name but for underscores and case: that one alone
    expect(hint("MCPO_POOLMAXINFLIGHT")).toBe("MCPO_POOL_MAX_IN_FLIGHT")
    expect(hint("MCPO_loglevel")).toBe("MCPO_LOG_LEVEL")
    // the section left out
    expect(hint("MCPO_NAME_BUDGET")).toBe("MCPO_PROXY_NAME_BUDGET")
    expect(hint("MCPO_MAX_IN_FLIGHT")).toBe("MCPO_POOL_MAX_IN_FLIGHT")
    // a letter or two off, an s too many, a word too many
    expect(hint("MCPO_HTTP_TOKN")).toBe("MCPO_HTTP_TOKEN")
    expect(hint("MCPO_TOOLSETS")).toBe("MCPO_TOOLSET")
    expect(hint("MCPO_CONFIG_FILE")).toBe("MCPO_CONFIG")
    // nothing like it: no guess
    expect(hint("MCPO_NOTHING_LIKE_IT")).toBeUndefined()
    expect(hint("MCPO_X")).toBeUndefined()
  })

  test("no variable the program reads is reported: settings, MCPO_CONFIG, MCPO_WORKSPACE, MCPO_DEPTH, the test suite's", () => {
    const env: Record<string, string> = {}
    for (const n of [...knownEnvNames(), ...namesInSource().filter((n) => !/^MCPO_(CACHE_)?$/.test(n)), "MCPO_TEST_BIN", "MCPO_TEST_VERBOSE"]) env[n] = "x"
    expect(unknownEnvWarnings(env)).toEqual([])
    for (const n of ["MCPO_CONFIG", "MCPO_WORKSPACE", "MCPO_DEPTH", "MCPO_TOOLSET", "MCPO_HTTP_TOKEN"]) expect(knownEnvNames()).toContain(n)
    // other tools' variables are not ours
    expect(unknownEnvWarnings({ PATH: "/bin", MCP_FOO: "1", XMCPO_LOG_LEVEL: "1" })).toEqual([])
  })
})

describe("through the binary", () => {
  beforeAll(ensureBuilt, 120_000)

  test("doctor shows them (and exits 0: a warning)", async () => {
    const env = sandboxEnv({ PATH: "/nonexistent", MCPO_POOL_MAXINFLIGHT: "4" })
    const p = Bun.spawn([BIN, "doctor", "--json"], { env, cwd: env.HOME, stdout: "pipe", stderr: "pipe", stdin: "ignore" })
    const [out, code] = await Promise.all([new Response(p.stdout).text(), p.exited])
    expect(code).toBe(0)
    const rep = JSON.parse(out) as { checks: Array<{ name: string; status: string; detail: string; remedy?: string }> }
    const w = rep.checks.filter((c) => c.detail.includes("MCPO_POOL_MAXINFLIGHT"))
    expect(w).toEqual([{ name: "environment", status: "warn", detail: "env MCPO_POOL_MAXINFLIGHT: unknown MCPO_ variable, ignored; did you mean MCPO_POOL_MAX_IN_FLIGHT?", remedy: expect.any(String) }])
  })

  test("doctor shows them even when the config does not load", async () => {
    const env = sandboxEnv({ PATH: "/nonexistent", MCPO_LOG_LEVL: "debug" })
    const cfg = join(env.HOME!, "bad.yaml")
    writeFileSync(cfg, "pool: {maxInFlite: 2}\n")
    const p = Bun.spawn([BIN, "doctor", "--config", cfg], { env, cwd: env.HOME, stdout: "pipe", stderr: "pipe", stdin: "ignore" })
    const [out] = await Promise.all([new Response(p.stdout).text(), p.exited])
    expect(out).toContain("! environment: env MCPO_LOG_LEVL: unknown MCPO_ variable, ignored; did you mean MCPO_LOG_LEVEL?")
  })

  test("serve logs them as warnings at start", async () => {
    const env = sandboxEnv({ MCPO_LOG_LEVL: "debug", MCPO_TOOLKIT_ENABLED: "off" })
    const c = await connectBinary(["serve"], env)
    try {
      await c.client.listTools()
      const deadline = Date.now() + 5000
      while (!c.stderr().includes("MCPO_LOG_LEVL") && Date.now() < deadline) await Bun.sleep(25)
      const line = c.stderr().split("\n").find((l) => l.includes("MCPO_LOG_LEVL"))
      expect(line).toBeDefined()
      expect(JSON.parse(line!)).toMatchObject({ level: "warn", problem: "env MCPO_LOG_LEVL: unknown MCPO_ variable, ignored; did you mean MCPO_LOG_LEVEL?" })
    } finally {
      await c.close()
    }
  })
})
