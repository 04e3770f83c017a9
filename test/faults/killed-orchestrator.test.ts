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
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, isAlive, reaperOf, sandboxEnv, tempDir } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const STUBBORN = join(import.meta.dir, "servers", "stubborn-server.ts")
const DETACHING = join(import.meta.dir, "servers", "detaching-server.ts")
const linux = process.platform === "linux"

interface Setup {
  dir: string
  config: string
  stubborn: string
  detaching: string
  env: Record<string, string>
}

function setup(): Setup {
  const dir = tempDir("mcpo-killed-")
  const stubborn = join(dir, "stubborn.pids")
  const detaching = join(dir, "detaching.pids")
  const config = join(dir, "config.yaml")
  const bun = JSON.stringify(process.execPath)
  writeFileSync(
    config,
    [
      "servers:",
      `  s: { command: ${bun}, args: [${JSON.stringify(STUBBORN)}, "--pid-file", ${JSON.stringify(stubborn)}] }`,
      `  d: { command: ${bun}, args: [${JSON.stringify(DETACHING)}, "--pid-file", ${JSON.stringify(detaching)}] }`,
      "warm: [s, d]",
      'toolkit: { enabled: "off" }',
      "plugins: { enabled: false }",
      "",
    ].join("\n"),
  )
  return { dir, config, stubborn, detaching, env: sandboxEnv() }
}

const INIT = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "killed", version: "1" } } }) + "\n"

/** Started as an editor does (in a process group of its own when `group`), initialize written. */
function start(s: Setup, group = false) {
  const p = Bun.spawn([BIN, "serve", "--config", s.config], { stdin: "pipe", stdout: "ignore", stderr: "ignore", env: s.env, cwd: s.dir, detached: group })
  p.stdin.write(INIT)
  p.stdin.flush()
  return p
}

/** Every pid in `file` once it holds `n` of them (the servers report themselves and their helpers). */
async function reported(file: string, n: number): Promise<number[]> {
  const read = (): number[] => (existsSync(file) ? readFileSync(file, "utf8").split(/\s+/).filter(Boolean).map(Number) : [])
  for (let i = 0; i < 400 && read().length < n; i++) await Bun.sleep(25)
  return read()
}

/** The processes both servers of `s` reported: stubborn server + grandchild, detaching server + setsid helper + daemon. */
async function processesOf(s: Setup): Promise<number[]> {
  return [...(await reported(s.stubborn, 2)), ...(await reported(s.detaching, 3))]
}

/** Which of `pids` are still alive, waited for up to 10 s (the watchdog gives 250 ms + 250 ms, then SIGKILL). */
async function survivors(pids: number[]): Promise<number[]> {
  for (let i = 0; i < 400 && pids.some(isAlive); i++) await Bun.sleep(25)
  return pids.filter(isAlive)
}

describe.skipIf(!linux)("the orchestrator SIGKILLed: what it started does not outlive it", () => {
  for (const how of ["SIGKILL of the orchestrator", "SIGKILL of its whole process group"] as const) {
    test(`${how}: a server ignoring EOF and SIGTERM, its grandchild, a setsid helper and a daemon are gone; another orchestrator's servers and a stranger live on`, async () => {
      const a = setup()
      const b = setup()
      const group = how !== "SIGKILL of the orchestrator"
      const pa = start(a, group)
      const pb = start(b)
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
        for (const pid of [...ours, ...theirs]) if (isAlive(pid)) process.kill(pid, "SIGKILL")
      }
    }, 30_000)
  }

  test("a clean exit (stdin EOF): the watchdog ends with it, nothing is left", async () => {
    const s = setup()
    const p = start(s)
    const started = await processesOf(s)
    expect(started.length).toBe(5)
    const reaper = reaperOf(p.pid)
    expect(reaper).toBeNumber()
    void p.stdin.end()
    expect(await p.exited).toBe(0)
    expect(await survivors([...started, reaper!])).toEqual([])
  }, 30_000)
})
