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
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, isAlive, sandboxEnv, tempDir } from "../helpers/binary.ts"
import { statFields } from "../helpers/proc.ts"
import { restOf, waitForStderr } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const DETACHING = join(import.meta.dir, "servers", "detaching-server.ts")
const linux = process.platform === "linux"

interface Setup {
  dir: string
  config: string
  pidFile: string
  env: Record<string, string>
}

function setup(): Setup {
  const dir = tempDir("mcpo-detached-")
  const pidFile = join(dir, "pids")
  const config = join(dir, "config.yaml")
  writeFileSync(
    config,
    [
      "servers:",
      `  d: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(DETACHING)}, "--pid-file", ${JSON.stringify(pidFile)}] }`,
      "warm: [d]",
      'toolkit: { enabled: "off" }',
      "plugins: { enabled: false }",
      "",
    ].join("\n"),
  )
  return { dir, config, pidFile, env: sandboxEnv() }
}

/** The server's pid, its `setsid` grandchild's and its daemon's, once it reported them. */
async function helpers(s: Setup): Promise<{ server: number; setsid: number; daemon: number }> {
  for (let i = 0; i < 400 && !(existsSync(s.pidFile) && readFileSync(s.pidFile, "utf8").includes("\n")); i++) await Bun.sleep(25)
  const [server, setsid, daemon] = readFileSync(s.pidFile, "utf8").trim().split(/\s+/).map(Number)
  return { server: server!, setsid: setsid!, daemon: daemon! }
}

/** Which of `pids` are still alive after a short reap (killed ones are re-parented to init and reaped). */
async function alive(pids: number[]): Promise<number[]> {
  for (let i = 0; i < 600 && pids.some(isAlive); i++) await Bun.sleep(25)
  return pids.filter(isAlive)
}

/** A failed test (the old build) leaves no `sleep 300` behind: the reported helpers are killed, if still there. */
function cleanUp(...sets: { setsid: number; daemon: number }[]): void {
  for (const h of sets) for (const pid of [h.setsid, h.daemon]) if (isAlive(pid)) process.kill(pid, "SIGKILL")
}

const INIT = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "detached", version: "1" } } }) + "\n"
const HANG = JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "d__hang", arguments: {} } }) + "\n"

function start(s: Setup) {
  const p = Bun.spawn([BIN, "serve", "--config", s.config], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env: s.env, cwd: s.dir })
  p.stdin.write(INIT)
  p.stdin.flush()
  return p
}

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
        expect(await alive([ha.server, ha.setsid, ha.daemon])).toEqual([])
        // the graceful shutdown ended them (SIGTERM first), not the exit hook
        const log = await new Response(pa.stderr).text()
        expect(log, log).toContain('"msg":"ended processes the downstreams left running","processes":2')
        expect([hb.server, hb.setsid, hb.daemon, stranger.pid].filter(isAlive)).toEqual([hb.server, hb.setsid, hb.daemon, stranger.pid])
        void pb.stdin.end()
        await pb.exited
        expect(await alive([hb.server, hb.setsid, hb.daemon])).toEqual([])
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
      expect(await alive([h.server, h.setsid, h.daemon])).toEqual([])
    } finally {
      cleanUp(h)
    }
  }, 30_000)
})
