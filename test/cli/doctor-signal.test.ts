/**
 * Regression: `doctor` had no signal handlers. Ctrl-C (or a kill) while it waited for a server to
 * start ended it by the signal itself: no exit hook ran, so a server that ignores SIGTERM (and its
 * grandchild) kept running until the watchdog noticed, a second or two later. Now doctor ends with
 * 128 + the signal's number and takes what it started with it. Through the compiled binary, with a
 * server that ignores SIGTERM/SIGINT/SIGHUP and never answers `initialize`.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"
import { isAlive } from "../helpers/proc.ts"

beforeAll(ensureBuilt, 120_000)

const STUBBORN = join(ROOT, "test", "faults", "servers", "stubborn-server.ts")

async function until(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await Bun.sleep(25)
  }
}

describe("doctor interrupted while a server starts", () => {
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) {
    test(`${signal}: exits ${code}, and the server it started (which ignores the signal) and its grandchild are gone`, async () => {
      const env = sandboxEnv()
      const pidFile = join(env.HOME!, `pids-${signal}`)
      const cfg = join(env.HOME!, "config.json")
      writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, pool: { connectTimeout: "120s" }, servers: { stubborn: { command: process.execPath, args: [STUBBORN, "--pid-file", pidFile, "--slow-boot", "600000"] } } }))
      const p = Bun.spawn([BIN, "doctor", "--config", cfg], { env, cwd: env.HOME, stdout: "pipe", stderr: "pipe", stdin: "ignore" })
      await until("the server to start", () => existsSync(pidFile) && readFileSync(pidFile, "utf8").trim().split(/\s+/).length === 2)
      const pids = readFileSync(pidFile, "utf8").trim().split(/\s+/).map(Number)
      expect(pids.every(isAlive)).toBe(true)
      p.kill(signal)
      // an exit, not a death by the signal (Bun reports both as 128 + n: signalCode tells them apart)
      expect(await p.exited).toBe(code)
      expect(p.signalCode).toBeNull()
      // the exit hook sent them SIGKILL before doctor exited (without it the watchdog did, a second
      // or two later): they end without doctor's run
      await until("the server and its grandchild to end", () => !pids.some(isAlive))
    }, 60_000)
  }
})
