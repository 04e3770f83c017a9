/**
 * The parent's death while the main thread is held (a long synchronous step): `serve` polls its
 * parent from its event loop (app/shutdown watchParent), which a held thread never runs, so a
 * client that died left the process (and every server it started) running for as long as the step
 * lasted. The watchdog (core/reaper) now watches the parent from outside from launch: once it is
 * gone, it gives the process its poll, the shutdown budget and the guard's grace, then SIGKILLs it
 * and ends what it started. Through the compiled binary under `sh` (its stdin a FIFO held open
 * here: only the parent dies), the thread held by the test-only MCPO_TEST_HOLD_LOOP_MS (120 s: the
 * process must be gone long before the hold ends).
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { ensureBuilt } from "../helpers/binary.ts"
import { killAlive, pidServerWorld, reportedPids, survivors } from "../helpers/pid-world.ts"
import { until } from "../proxy/helpers.ts"

beforeAll(ensureBuilt, 120_000)

const STUBBORN = join(import.meta.dir, "servers", "stubborn-server.ts")
const DETACHING = join(import.meta.dir, "servers", "detaching-server.ts")
const HOLD_MS = 120_000
/** Running (a zombie not yet reaped by whoever adopted it is not). */
const alive = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) [ZX]/s.test(readFileSync(`/proc/${pid}/stat`, "utf8"))
  } catch {
    return false
  }
}

describe.skipIf(process.platform !== "linux")("the parent dies while the main thread is held", () => {
  test("the process is killed by its watchdog long before the thread is free; nothing it started is left", async () => {
    const w = pidServerWorld("held-parent", (at) => ({ servers: { s: [STUBBORN, "--pid-file", at("stubborn.pids")], d: [DETACHING, "--pid-file", at("detaching.pids")] } }), {
      MCPO_TEST_HOLD_LOOP_MS: String(HOLD_MS),
      MCPO_TEST_HOLD_LOOP_WHEN: "", // set below, once the world's dir is known
    })
    w.env.MCPO_TEST_HOLD_LOOP_WHEN = w.at("hold")
    const { pid, sh, log, closeStdin } = await w.startUnderShell()
    const ours = [...(await reportedPids(w.at("stubborn.pids"), 2)), ...(await reportedPids(w.at("detaching.pids"), 3))]
    try {
      expect(pid).toBeGreaterThan(0)
      expect(ours.length).toBe(5)
      writeFileSync(w.at("hold"), "")
      // the hold has begun (its 100 ms poll; generous), then the parent dies; stdin stays open here
      await Bun.sleep(1000)
      sh.kill("SIGKILL")
      // (the bound is the hold itself: without the watchdog the process lives until the hold ends)
      expect(await until(() => !alive(pid), HOLD_MS / 2, 100)).toBe(true)
      expect(await Bun.file(log).text()).toContain("killed by its watchdog")
      expect(await until(async () => (await survivors(ours)).length === 0, 20_000, 200)).toBe(true)
    } finally {
      closeStdin()
      if (alive(pid)) process.kill(pid, "SIGKILL")
      killAlive(ours)
    }
  }, HOLD_MS)
})
