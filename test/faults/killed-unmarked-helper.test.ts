/**
 * A helper that carries nothing of ours but its parent link does not outlive the orchestrator
 * (through the compiled binary, Linux). The downstream (unmarked-helper-server) ignores SIGTERM and
 * stdin EOF and starts `env -i setsid sh -c 'sleep … & wait'`: a session of its own (no group kill
 * reaches it), no `MCPO_OWNER` in its environment, /dev/null for stdio (none of our pipes). Only
 * the parent links (server → sh → sleep) say it is ours. SIGKILL of the orchestrator (or of its
 * whole process group) runs none of its code: its watchdog (core/reaper) walks the parent links
 * from what it ends before it signals. A graceful end (SIGTERM, stdin EOF, the parent's death
 * noticed) notes them before the server is told to end (pool/stdio-transport `noteKin`) and ends
 * them with what the downstreams left. Before, sh and sleep ran on forever after each of these
 * (a graceful end walked the parent links only once the server was SIGKILLed and they led to
 * init). Another orchestrator's helpers of the same kind and a stranger live on.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { ensureBuilt, isAlive } from "../helpers/binary.ts"
import { killAlive, type PidWorld, pidServerWorld, reportedPids, survivors } from "../helpers/pid-world.ts"
import { exitCode, waitFor, waitForStderr } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const SERVER = join(import.meta.dir, "servers", "unmarked-helper-server.ts")
const linux = process.platform === "linux"

/** One warm server `u` that reports its pid, its helper sh's and the sleep's to `pids`. */
const setup = (): PidWorld => pidServerWorld("unmarked", (at) => ({ servers: { u: [SERVER, "--pid-file", at("pids")] } }))

/** The server's pid, its helper sh's and the sleep's, once it reported them. */
const reported = (s: PidWorld): Promise<number[]> => reportedPids(s.at("pids"), 3)

describe.skipIf(!linux)("a helper known only by its parent link ends with the orchestrator", () => {
  for (const how of ["SIGKILL of the orchestrator", "SIGKILL of its whole process group"] as const) {
    test(`${how}: the server ignoring SIGTERM, its env -i setsid helper and that helper's child are gone; another orchestrator's and a stranger live on`, async () => {
      const a = setup()
      const b = setup()
      const group = how !== "SIGKILL of the orchestrator"
      const pa = a.start({ detached: group })
      const pb = b.start()
      const stranger = Bun.spawn(["setsid", "sleep", "300"], { stdio: ["ignore", "ignore", "ignore"] })
      const ours = await reported(a)
      const theirs = await reported(b)
      try {
        expect(ours.length).toBe(3)
        expect(theirs.length).toBe(3)
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

  for (const how of ["SIGTERM", "stdin EOF"] as const) {
    test(`${how} once the server is up: the server ignoring SIGTERM, its env -i setsid helper and that helper's child are gone`, async () => {
      const s = setup()
      const p = s.start({ stderr: "pipe" })
      const ours = await reported(s)
      try {
        expect(ours.length).toBe(3)
        // closed as a running server (not a start abandoned)
        await waitForStderr(p, /downstream ready/, "the server to be up")
        if (how === "SIGTERM") p.kill("SIGTERM")
        else void p.stdin.end()
        expect(await exitCode(p)).toBe(0)
        expect(await survivors(ours)).toEqual([])
      } finally {
        killAlive(ours)
      }
    }, 45_000)
  }

  test("the parent dies (the orchestrator is not killed): the server, its helper and the helper's child are gone", async () => {
    const s = setup()
    // stdin: a FIFO this test holds open, so the orchestrator ends on its parent's death, not on EOF
    const { pid, sh, log, closeStdin } = await s.startUnderShell()
    expect(pid).toBeGreaterThan(0)
    const ours = await reported(s)
    try {
      expect(ours.length).toBe(3)
      expect(isAlive(pid)).toBe(true)
      expect(ours.filter(isAlive)).toEqual(ours)
      sh.kill("SIGKILL")
      // the parent watch polls once a second, then the graceful shutdown runs (1.8 s at most)
      await waitFor("the orchestrator to exit once its parent is gone", () => !isAlive(pid), 15_000)
      expect(readFileSync(log, "utf8")).toContain('"reason":"parent process exited"')
      expect(await survivors(ours)).toEqual([])
    } finally {
      killAlive([pid, ...ours])
      closeStdin()
    }
  }, 45_000)
})
