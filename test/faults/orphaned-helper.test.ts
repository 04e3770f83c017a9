/**
 * A helper whose parent was gone before the orchestrator could read a parent link does not outlive
 * it (through the compiled binary, Linux). The downstream (orphaned-helper-server) ignores SIGTERM
 * and stdin EOF; a shell it starts runs `env -i setsid sh -c 'sleep … & wait'` and exits at once:
 * the helper has a session of its own, no `MCPO_OWNER`, /dev/null for stdio, and no parent link to
 * the server. `serve` is a child subreaper (core/subreaper): the orphan is re-parented to it, and
 * ends with it — on SIGTERM and stdin EOF by the shutdown sweep, on SIGKILL of the orchestrator by
 * its watchdog (told of the adopted process). Before, sh and sleep were re-parented to init and
 * ran on forever after each of these. Another orchestrator's helper of the same kind and a
 * stranger live on; no adopted process is left a zombie while serve runs.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { ensureBuilt, isAlive } from "../helpers/binary.ts"
import { killAlive, type PidWorld, pidServerWorld, reportedPids, survivors } from "../helpers/pid-world.ts"
import { exitCode, waitFor, waitForStderr } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const SERVER = join(import.meta.dir, "servers", "orphaned-helper-server.ts")
const linux = process.platform === "linux"

const setup = (): PidWorld => pidServerWorld("orphaned", (at) => ({ servers: { o: [SERVER, "--pid-file", at("pids")] } }))
const reported = (s: PidWorld): Promise<number[]> => reportedPids(s.at("pids"), 3)

/** The parent pid of `pid` (/proc), undefined once gone. */
function parentOf(pid: number): number | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "latin1")
    return Number(s.slice(s.lastIndexOf(")") + 2).split(" ")[1])
  } catch {
    return undefined
  }
}

/** The children of `pid` that are zombies. */
function zombiesOf(pid: number): number[] {
  const out: number[] = []
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue
    try {
      const s = readFileSync(`/proc/${name}/stat`, "latin1")
      const f = s.slice(s.lastIndexOf(")") + 2).split(" ")
      if (f[0] === "Z" && Number(f[1]) === pid) out.push(Number(name))
    } catch {
      // gone
    }
  }
  return out
}

describe.skipIf(!linux)("a helper orphaned before any parent link was read ends with the orchestrator", () => {
  for (const how of ["SIGTERM", "stdin EOF"] as const) {
    test(`${how}: the orphaned env -i setsid helper and its child are gone, adopted by serve meanwhile and never left a zombie`, async () => {
      const s = setup()
      const p = s.start({ stderr: "pipe" })
      const ours = await reported(s)
      try {
        expect(ours.length).toBe(3)
        await waitForStderr(p, /downstream ready/, "the server to be up")
        const [, sh, sleep] = ours as [number, number, number]
        // re-parented to serve (a child subreaper), not to init
        expect(parentOf(sh)).toBe(p.pid)
        // the helper's own children that end are reaped by sh; one of serve's adopted ones that ends is reaped by serve
        process.kill(sleep, "SIGKILL")
        await waitFor("the helper's sh to end once its sleep is gone", () => parentOf(sh) === undefined || zombiesOf(p.pid).includes(sh), 15_000)
        await waitFor("serve to reap the adopted sh", () => !zombiesOf(p.pid).includes(sh), 15_000)
        expect(isAlive(p.pid)).toBe(true)
        if (how === "SIGTERM") p.kill("SIGTERM")
        else void p.stdin.end()
        expect(await exitCode(p)).toBe(0)
      } finally {
        killAlive(ours)
      }
    }, 45_000)
  }

  for (const how of ["SIGTERM", "stdin EOF", "SIGKILL of the orchestrator"] as const) {
    test(`${how}: the server ignoring SIGTERM, its orphaned env -i setsid helper and that helper's child are gone; another orchestrator's and a stranger live on`, async () => {
      const a = setup()
      const b = setup()
      const pa = a.start({ stderr: "pipe" })
      const pb = b.start()
      const stranger = Bun.spawn(["setsid", "sleep", "300"], { stdio: ["ignore", "ignore", "ignore"] })
      const ours = await reported(a)
      const theirs = await reported(b)
      try {
        expect(ours.length).toBe(3)
        expect(theirs.length).toBe(3)
        await waitForStderr(pa, /downstream ready/, "the server to be up")
        expect(ours.filter(isAlive)).toEqual(ours)
        // the watchdog learns of adopted processes at serve's next look (every 2 s)
        if (how === "SIGKILL of the orchestrator") await Bun.sleep(4500)
        if (how === "SIGTERM") pa.kill("SIGTERM")
        else if (how === "stdin EOF") void pa.stdin.end()
        else pa.kill("SIGKILL")
        expect(await exitCode(pa)).toBe(how === "SIGKILL of the orchestrator" ? 137 : 0)
        expect(await survivors(ours)).toEqual([])
        expect(theirs.filter(isAlive)).toEqual(theirs)
        expect(isAlive(stranger.pid)).toBe(true)
      } finally {
        stranger.kill("SIGKILL")
        pb.kill("SIGKILL")
        await pb.exited
        killAlive([...ours, ...theirs])
      }
    }, 45_000)
  }
})
