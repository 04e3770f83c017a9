/**
 * A `docker mcp` command that hangs when the process stops (Docker Desktop not answering: here the
 * fake's `plugin-hang`, a `docker` that ignores its first SIGTERMs while its plugin, ignoring SIGTERM
 * too, holds the pipes; or `slow`, a command that just takes its time). Before, what waited on it
 * (the Toolkit gateway's first sync, awaited by the orchestrator's close) held the whole shutdown
 * until its budget was spent ("shutdown budget of 1800 ms exceeded") and logged the stop as a failed
 * sync. Now the orchestrator's close stops every `docker` command still running (docker/runner
 * `signal`, graces fitted to the shutdown): exit 0 within the budget, the CLI and its plugin gone.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"
import { initLine, survivors } from "../helpers/pid-world.ts"
import { BUDGET_OVERRUN, collect, exitCode, waitFor } from "../helpers/wait.ts"
import { type FakeDocker, makeFakeDocker } from "../docker/fake.ts"

const fakes: FakeDocker[] = []
afterAll(() => {
  for (const f of fakes) f.cleanup()
})

describe.skipIf(process.platform !== "linux")("SIGTERM while a `docker mcp` command hangs", () => {
  for (const fail of ["plugin-hang", "slow"] as const) {
    test(`${fail}: exit 0 within the shutdown budget, the stop not logged as a failure, the command gone`, async () => {
      await ensureBuilt()
      const fake = makeFakeDocker({ version: "v0.43.3", fail })
      fakes.push(fake)
      const env = sandboxEnv({ PATH: fake.env.PATH!, DOCKER_CONFIG: fake.env.DOCKER_CONFIG! })
      const config = join(env.HOME!, "config.yaml")
      writeFileSync(config, 'servers: {}\ntoolkit: { enabled: "on" }\nplugins: { enabled: false }\n')
      const p = Bun.spawn([BIN, "serve", "--config", config], { stdin: "pipe", stdout: "ignore", stderr: "pipe", env, cwd: env.HOME })
      p.stdin.write(initLine("toolkit-hang"))
      p.stdin.flush()
      const err = collect(p.stderr)
      // the gateway's first sync reads the enabled servers: that command is the one that hangs
      const log = join(fake.stateDir, "argv.log")
      await waitFor("the enabled servers' read to run", () => existsSync(log) && readFileSync(log, "utf8").includes('"profile","server","ls"'), 20_000)
      const plugin = join(fake.stateDir, "plugin.pid")
      if (fail === "plugin-hang") await waitFor("the hung plugin to start", () => existsSync(plugin), 20_000)
      p.kill("SIGTERM")
      expect(await exitCode(p)).toBe(0)
      const text = await err.all
      expect(text).toContain('"reason":"SIGTERM"')
      expect(text).not.toMatch(BUDGET_OVERRUN)
      expect(text).not.toContain("toolkit gateway sync failed")
      if (fail === "plugin-hang") expect(await survivors([Number(readFileSync(plugin, "utf8"))])).toEqual([])
    }, 40_000)
  }
})
