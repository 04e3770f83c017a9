/**
 * The shutdown deadline while the main thread is held (a downstream's list of 10 000 tools being
 * processed, any long synchronous step): the budget's timer (1.8 s, app/shutdown) runs on that
 * thread and could not fire, so the process outlived its budget by as long as the thread was held
 * (12 s with a 10 000-tool server; an editor restarting servers waited, or killed it). Now a worker
 * thread (app/exit-guard) kills the process a little after the deadline, and the watchdog
 * (core/reaper) ends its servers: a stubborn one ignoring EOF and SIGTERM, its grandchild, a
 * polite one's setsid helper and daemon. Through the compiled binary; the thread is held by the
 * test-only MCPO_TEST_HOLD_SHUTDOWN_MS (120 s here: the process must be gone long before it ends).
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { ensureBuilt } from "../helpers/binary.ts"
import { killAlive, pidServerWorld, reportedPids, survivors } from "../helpers/pid-world.ts"

beforeAll(ensureBuilt, 120_000)

const STUBBORN = join(import.meta.dir, "servers", "stubborn-server.ts")
const DETACHING = join(import.meta.dir, "servers", "detaching-server.ts")
const HOLD_MS = 120_000

describe.skipIf(process.platform !== "linux")("stdin closed while the main thread is held", () => {
  test("the process ends (killed past its deadline) long before the thread is free; nothing it started is left", async () => {
    const w = pidServerWorld("held", (at) => ({ servers: { s: [STUBBORN, "--pid-file", at("stubborn.pids")], d: [DETACHING, "--pid-file", at("detaching.pids")] } }), { MCPO_TEST_HOLD_SHUTDOWN_MS: String(HOLD_MS) })
    const p = w.start({ stderr: "pipe" })
    const ours = [...(await reportedPids(w.at("stubborn.pids"), 2)), ...(await reportedPids(w.at("detaching.pids"), 3))]
    try {
      expect(ours.length).toBe(5)
      void p.stdin.end()
      // (the bound is the hold itself: without the guard the process lives until the hold ends)
      const ended = await Promise.race([p.exited.then((code) => ({ code })), Bun.sleep(HOLD_MS / 2).then(() => "still running")])
      expect(ended).toEqual({ code: 137 })
      expect(await new Response(p.stderr).text()).toContain("held past the shutdown deadline")
      expect(await survivors(ours)).toEqual([])
    } finally {
      p.kill("SIGKILL")
      killAlive(ours)
    }
  }, HOLD_MS)
})
