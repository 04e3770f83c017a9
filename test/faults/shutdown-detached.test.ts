/**
 * A downstream's helpers that leave its process group (`setsid`, a double-forked daemon) end with
 * the orchestrator too (through the compiled binary, Linux): each child is started with the
 * process's private mark in its environment (core/children), and the shutdown sweeps what carries
 * it, wherever it was re-parented. Nothing else is touched: another orchestrator's helpers and a
 * process of the same user started meanwhile live on.
 * Fixture: test/faults/servers/detaching-server.ts (reports its pid, a `setsid sleep` and a
 * daemonized `sleep`).
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { ensureBuilt, isAlive } from "../helpers/binary.ts"
import { killAlive, type PidWorld, pidServerWorld, reportedPids, survivors } from "../helpers/pid-world.ts"
import { statFields } from "../helpers/proc.ts"
import { restOf, waitForStderr } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const DETACHING = join(import.meta.dir, "servers", "detaching-server.ts")
const linux = process.platform === "linux"

/** One warm detaching server `d` that reports its pid, its `setsid` grandchild's and its daemon's to `pids`. */
const setup = (): PidWorld => pidServerWorld("detached", (at) => ({ servers: { d: [DETACHING, "--pid-file", at("pids")] } }))

/** The server's pid, its `setsid` grandchild's and its daemon's, once it reported them. */
async function helpers(s: PidWorld): Promise<{ server: number; setsid: number; daemon: number }> {
  const [server, setsid, daemon] = await reportedPids(s.at("pids"), 3)
  return { server: server!, setsid: setsid!, daemon: daemon! }
}

/** A failed test (the old build) leaves no `sleep 300` behind: the reported helpers are killed, if still there. */
function cleanUp(...sets: { setsid: number; daemon: number }[]): void {
  killAlive(sets.flatMap((h) => [h.setsid, h.daemon]))
}

const HANG = JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "d__hang", arguments: {} } }) + "\n"

/** `serve` with its stdout and stderr piped, initialize written. */
const start = (s: PidWorld) => s.start({ stdout: "pipe", stderr: "pipe" })

/** Lists the tools and waits for the answer: the server is up (its handshake done), not still starting. */
async function listed(p: ReturnType<typeof start>): Promise<string> {
  p.stdin.write(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) + "\n" + JSON.stringify({ jsonrpc: "2.0", id: 3, method: "tools/list" }) + "\n")
  p.stdin.flush()
  const reader = p.stdout.getReader()
  let out = ""
  // the whole answer line
  while (!/"id":3,"result".*\n/.test(out)) {
    const { value, done } = await reader.read()
    if (done) break
    out += new TextDecoder().decode(value)
  }
  reader.releaseLock()
  return out
}

describe.skipIf(!linux)("helpers that left the downstream's process group end with the orchestrator", () => {
  test("the fixture's helpers really leave the server's process group and session (a group kill misses them)", async () => {
    const s = setup()
    const p = start(s)
    const h = await helpers(s)
    expect(h.daemon).toBeGreaterThan(0)
    const group = (pid: number): string | undefined => statFields(pid)?.[2]
    const session = (pid: number): string | undefined => statFields(pid)?.[3]
    expect(group(h.setsid)).not.toBe(group(h.server))
    expect(session(h.setsid)).not.toBe(session(h.server))
    expect(session(h.daemon)).not.toBe(session(h.server))
    // the daemon's parent is gone: it was re-parented (to init or a subreaper), not to the server
    expect(Number(statFields(h.daemon)?.[1])).not.toBe(h.server)
    void p.stdin.end()
    await p.exited
    cleanUp(h)
  }, 30_000)

  for (const how of ["eof", "sigterm"] as const) {
    test(`${how}: the setsid grandchild and the daemon are gone once the orchestrator exited; another orchestrator's helpers and a stranger live on`, async () => {
      const a = setup()
      const b = setup()
      const pa = start(a)
      const pb = start(b)
      const ha = await helpers(a)
      const hb = await helpers(b)
      expect(await listed(pa)).toContain("d__hang")
      // a process of the same user, started after both, in a session of its own: not ours
      const stranger = Bun.spawn(["setsid", "sleep", "300"], { stdio: ["ignore", "ignore", "ignore"] })
      try {
        if (how === "eof") void pa.stdin.end()
        else pa.kill("SIGTERM")
        expect(await pa.exited).toBe(0)
        expect(await survivors([ha.server, ha.setsid, ha.daemon])).toEqual([])
        // the graceful shutdown ended them (SIGTERM first), not the exit hook
        const log = await new Response(pa.stderr).text()
        expect(log, log).toContain('"msg":"ended processes the downstreams left running","processes":2')
        expect([hb.server, hb.setsid, hb.daemon, stranger.pid].filter(isAlive)).toEqual([hb.server, hb.setsid, hb.daemon, stranger.pid])
        void pb.stdin.end()
        await pb.exited
        expect(await survivors([hb.server, hb.setsid, hb.daemon])).toEqual([])
        expect(isAlive(stranger.pid)).toBe(true)
      } finally {
        stranger.kill("SIGKILL")
        pb.kill("SIGKILL")
        cleanUp(ha, hb)
      }
    }, 30_000)
  }

  test("a second signal (exit at once, a call still in flight): the helpers are gone too", async () => {
    const s = setup()
    const p = start(s)
    const h = await helpers(s)
    expect(await listed(p)).toContain("d__hang")
    p.stdin.write(HANG)
    p.stdin.flush()
    await Bun.sleep(200)
    p.kill("SIGTERM")
    // the second signal once the first is handled (two pending SIGTERMs are delivered as one)
    const before = await waitForStderr(p, /"shutting down"/, "the first signal handled")
    p.kill("SIGTERM")
    await p.exited
    try {
      expect(before + (await restOf(p.stderr))).toContain('"reason":"SIGTERM while shutting down"')
      expect(await survivors([h.server, h.setsid, h.daemon])).toEqual([])
    } finally {
      cleanUp(h)
    }
  }, 30_000)
})
