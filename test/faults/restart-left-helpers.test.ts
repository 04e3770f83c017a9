/**
 * A server that keeps exiting does not pile up the helpers it leaves with us (through the compiled
 * binary, Linux). The downstream (restart-leaver-server) starts `setsid sh -c 'trap "" TERM; sleep
 * 300 & wait'` with the environment cleared and stdio on /dev/null (no mark, no pipe of ours, a
 * session of its own) and exits; the pool restarts it. Its helper is re-parented to `serve` (a child subreaper), which
 * attributes it to the server whose death left it, and ends it and its sleep with that server's
 * exit (SIGTERM; the sh, which ignores it, SIGKILL after the grace), logged with a count. Before, each was ended only at the orchestrator's
 * exit: one more `sleep` per restart ("ended processes the downstreams left running: 8" after
 * 10 s). Untouched: another server's orphaned helper (adopted while that server runs) and a
 * stranger of the same user.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { ensureBuilt, isAlive } from "../helpers/binary.ts"
import { killAlive, pidServerWorld, pidsIn, reportedPids } from "../helpers/pid-world.ts"
import { pidsWhere } from "../helpers/proc.ts"
import { collect, exitCode, waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const LEAVER = join(import.meta.dir, "servers", "restart-leaver-server.ts")
const ORPHANED = join(import.meta.dir, "servers", "orphaned-helper-server.ts")
const linux = process.platform === "linux"

describe.skipIf(!linux)("a restarting server's left-behind helpers end with each exit", () => {
  test("after several restarts only the live generation's helper exists; another server's adopted helper and a stranger live on", async () => {
    const s = pidServerWorld("leaver", (at) => ({
      servers: { leaver: [LEAVER, "--pid-file", at("leaver"), "--live-ms", "3000"], other: [ORPHANED, "--pid-file", at("other")] },
      settings: ['toolkit: { enabled: "off" }', "plugins: { enabled: false }", 'pool: { restartDelay: "100ms", restartDelayMax: "200ms" }'],
    }))
    const stranger = Bun.spawn(["setsid", "sleep", "300"], { stdio: ["ignore", "ignore", "ignore"] })
    const p = s.start({ stderr: "pipe" })
    const log = collect(p.stderr)
    const every = (): number[] => pidsIn(s.at("leaver"))
    // each generation's helper sh and its sleep
    const generations = (): number[][] => {
      const all = every()
      const out: number[][] = []
      for (let i = 0; i + 2 < all.length; i += 3) out.push([all[i + 1]!, all[i + 2]!])
      return out
    }
    const helpers = (): number[] => generations().flat()
    let other: number[] = []
    try {
      other = await reportedPids(s.at("other"), 3)
      expect(other.length).toBe(3)
      // four generations: three exits, each leaving its helper with us (each lives 3 s: longer than
      // the 2 s grace before the SIGKILL that ends the previous one's helper)
      await waitFor("four generations of the leaver", () => generations().length >= 4, 90_000)
      // the helpers of every generation but the newest are gone (the newest may still be running);
      // the sh ignores SIGTERM: it took the SIGKILL after the grace
      await waitFor("the earlier generations' helpers to be gone", () => generations().slice(0, -1).flat().every((pid) => !isAlive(pid)), 30_000)
      // walking /proc: serve has at most the live generation's helper adopted, never one per restart
      const adopted = pidsWhere((f) => Number(f[1]) === p.pid && f[0] !== "Z").filter((pid) => helpers().includes(pid))
      expect(adopted.length).toBeLessThanOrEqual(1)
      // nothing of another tree: the other server, its orphaned sh (adopted by serve) and its sleep, the stranger
      expect(other.filter(isAlive)).toEqual(other)
      expect(isAlive(stranger.pid)).toBe(true)
      expect(isAlive(p.pid)).toBe(true)
      expect(log.now()).toMatch(/ended processes the exited server left running/)
    } finally {
      void p.stdin.end()
      await exitCode(p)
      stranger.kill("SIGKILL")
      killAlive([...every(), ...other])
    }
  }, 120_000)
})
