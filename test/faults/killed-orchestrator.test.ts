/**
 * The orchestrator SIGKILLed (`kill -9`, the OOM killer, an editor killing the whole process group
 * of a window it closes): no code of it runs, yet nothing it started outlives it (through the
 * compiled binary, Linux). Its watchdog (core/reaper, a `/bin/sh` in a session of its own started
 * with the first child) sees the pipe from it end and ends what carries its mark: a server that
 * ignores stdin EOF and SIGTERM with a grandchild in its group (stubborn-server), a polite server's
 * `setsid` helper and double-forked daemon (detaching-server). Nothing else is touched: another
 * orchestrator's servers and a stranger process live on. After a clean exit the watchdog ends too.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { ensureBuilt, isAlive, reaperOf } from "../helpers/binary.ts"
import { killAlive, type PidWorld, pidServerWorld, reportedPids, survivors } from "../helpers/pid-world.ts"

beforeAll(ensureBuilt, 120_000)

const STUBBORN = join(import.meta.dir, "servers", "stubborn-server.ts")
const DETACHING = join(import.meta.dir, "servers", "detaching-server.ts")
const linux = process.platform === "linux"

/** Two warm servers: `s` stubborn (reports to stubborn.pids), `d` detaching (to detaching.pids). */
const setup = (): PidWorld =>
  pidServerWorld("killed", (at) => ({
    servers: { s: [STUBBORN, "--pid-file", at("stubborn.pids")], d: [DETACHING, "--pid-file", at("detaching.pids")] },
  }))

/** The processes both servers of `s` reported: stubborn server + grandchild, detaching server + setsid helper + daemon. */
async function processesOf(s: PidWorld): Promise<number[]> {
  return [...(await reportedPids(s.at("stubborn.pids"), 2)), ...(await reportedPids(s.at("detaching.pids"), 3))]
}

describe.skipIf(!linux)("the orchestrator SIGKILLed: what it started does not outlive it", () => {
  for (const how of ["SIGKILL of the orchestrator", "SIGKILL of its whole process group"] as const) {
    test(`${how}: a server ignoring EOF and SIGTERM, its grandchild, a setsid helper and a daemon are gone; another orchestrator's servers and a stranger live on`, async () => {
      const a = setup()
      const b = setup()
      const group = how !== "SIGKILL of the orchestrator"
      const pa = a.start({ detached: group })
      const pb = b.start()
      const stranger = Bun.spawn(["setsid", "sleep", "300"], { stdio: ["ignore", "ignore", "ignore"] })
      const ours = await processesOf(a)
      const theirs = await processesOf(b)
      try {
        expect(ours.length).toBe(5)
        expect(theirs.length).toBe(5)
        expect(ours.filter(isAlive)).toEqual(ours)
        if (group) process.kill(-pa.pid, "SIGKILL")
        else pa.kill("SIGKILL")
        expect(await pa.exited).toBe(137)
        expect(await survivors(ours)).toEqual([])
        expect(theirs.filter(isAlive)).toEqual(theirs)
        expect(isAlive(stranger.pid)).toBe(true)
      } finally {
        stranger.kill("SIGKILL")
        pb.kill("SIGKILL")
        await survivors(theirs)
        killAlive([...ours, ...theirs])
      }
    }, 45_000)
  }

  test("a clean exit (stdin EOF): the watchdog ends with it, nothing is left", async () => {
    const s = setup()
    const p = s.start()
    const started = await processesOf(s)
    expect(started.length).toBe(5)
    const reaper = reaperOf(p.pid)
    expect(reaper).toBeNumber()
    void p.stdin.end()
    expect(await p.exited).toBe(0)
    expect(await survivors([...started, reaper!])).toEqual([])
  }, 45_000)
})
