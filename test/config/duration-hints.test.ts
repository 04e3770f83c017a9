/**
 * Regression (QA round 5, item 9): `timeout: 60` in a server entry (Cline / Roo Code's
 * mcp_settings.json spelling, in seconds) was read as 60 ms without a word, so every call of that
 * server failed with TIMEOUT. A bare number that small in a duration key where it is surely meant
 * as seconds now gives a warning naming the key, its source and the value to write (serve logs it,
 * doctor shows it); keys where a few milliseconds make sense (plugin deadlines) and 0 (off) are
 * left alone, and writing a unit silences it.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { loadConfig } from "../../src/config/index.ts"
import { BIN, connectBinary, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"
import { configDir } from "./helpers.ts"

const FAULT = join(ROOT, "test", "fixtures", "servers", "fault-server.ts")
const { file } = configDir("mcpo-durations-")
const warnings = (path: string, env: Record<string, string> = {}): string[] => loadConfig({ configPath: path, env }).warnings ?? []
const hint = (n: number) => `${n} is read as ${n} ms (a bare number is milliseconds); did you mean "${n}s"? Write "${n}s", or "${n}ms" to keep ${n} ms and silence this warning`

describe("small bare numbers in durations meant as seconds", () => {
  test("server timeout and toolTimeouts, pool and proxy keys: one warning each, with file:line; none where the value is meant", () => {
    const p = file(
      [
        "servers:",
        "  f:",
        "    command: node",
        "    timeout: 60",
        "    toolTimeouts: { build: 600, quick: 2s }",
        "pool:",
        "  connectTimeout: 30",
        "  callTimeout: \"90\"",
        "proxy:",
        "  listWait: 5",
        "toolkit: { timeout: 20 }",
        "",
      ].join("\n"),
    )
    expect(warnings(p)).toEqual([
      `servers.f.timeout (${p}:4): ${hint(60)}`,
      `servers.f.toolTimeouts.build (${p}:5): ${hint(600)}`,
      `pool.connectTimeout (${p}:7): ${hint(30)}`,
      `pool.callTimeout (${p}:8): "90" is read as 90 ms (a bare number is milliseconds); did you mean "90s"? Write "90s", or "90ms" to keep 90 ms and silence this warning`,
      `proxy.listWait (${p}:10): ${hint(5)}`,
      `toolkit.timeout (${p}:11): ${hint(20)}`,
    ])
    // none for a unit, a plausible number of ms, 0 (off), plugin deadlines (small on purpose), a server timeout of 1000 or more
    const quiet = file(
      [
        "servers:",
        "  f: { command: node, timeout: 60s, toolTimeouts: { a: 60ms, b: 120000 } }",
        "  g: { command: node, timeout: 1000 }",
        "pool: { idleTimeout: 0, healthInterval: 0, connectTimeout: 45000 }",
        "proxy: { listWait: 0 }",
        "plugins: { routeDeadline: 20, toolsDeadline: 100 }",
        "",
      ].join("\n"),
    )
    expect(warnings(quiet)).toEqual([])
  })

  test("Cline/Roo's mcpServers timeout (seconds, up to 3600) is warned about, and says so", () => {
    const p = file(JSON.stringify({ mcpServers: { f: { command: "node", timeout: 60 }, g: { command: "node", timeout: 1800 } } }, null, 2), "json")
    expect(warnings(p)).toEqual([
      `mcpServers.f.timeout (${p}:5): 60 is read as 60 ms (a bare number is milliseconds; Cline and Roo Code write this key in seconds); did you mean "60s"? Write "60s", or "60ms" to keep 60 ms and silence this warning`,
      `mcpServers.g.timeout (${p}:9): 1800 is read as 1.8s (a bare number is milliseconds; Cline and Roo Code write this key in seconds); did you mean "1800s"? Write "1800s", or "1800ms" to keep 1.8s and silence this warning`,
    ])
  })

  test("from the environment too", () => {
    const p = file("log: { level: info }\n")
    expect(warnings(p, { MCPO_POOL_CALL_TIMEOUT: "45" })).toEqual([`pool.callTimeout (env MCPO_POOL_CALL_TIMEOUT): ${hint(45)}`])
  })
})

describe("through the binary", () => {
  beforeAll(ensureBuilt, 120_000)

  test("doctor shows the QA config's timeout: 60 as a warning with a remedy (exit 0); serve logs it", async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "cfg-timeout.json")
    writeFileSync(cfg, JSON.stringify({ mcpServers: { f: { command: process.execPath, args: [FAULT], timeout: 60 } }, toolkit: { enabled: "off" } }))
    const expected = `mcpServers.f.timeout (${cfg}:1): 60 is read as 60 ms (a bare number is milliseconds; Cline and Roo Code write this key in seconds); did you mean "60s"? Write "60s", or "60ms" to keep 60 ms and silence this warning`
    const p = Bun.spawnSync([BIN, "doctor", "--json", "--config", cfg], { env, cwd: env.HOME })
    expect(p.exitCode).toBe(0)
    const rep = JSON.parse(p.stdout.toString()) as { checks: Array<{ name: string; status: string; detail: string; remedy?: string }> }
    expect(rep.checks.filter((c) => c.status === "warn" && c.name === "config")).toEqual([
      { name: "config", status: "warn", detail: expected, remedy: 'write the duration with its unit: "60s" for seconds, or "60ms" to keep milliseconds' },
    ])

    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      await c.client.listTools()
      const find = (): string | undefined => c.stderr().split("\n").find((l) => l.includes("mcpServers.f.timeout"))
      // stderr is read as it arrives
      for (let i = 0; i < 400 && find() === undefined; i++) await Bun.sleep(25)
      const line = find()
      expect(line).toBeDefined()
      expect(JSON.parse(line!)).toMatchObject({ level: "warn", msg: "config", problem: expected })
    } finally {
      await c.close()
    }
  }, 30_000)
})
