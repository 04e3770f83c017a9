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
import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, isAlive, sandboxEnv, tempDir } from "../helpers/binary.ts"
import { exitCode, waitFor, waitForStderr } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const SERVER = join(import.meta.dir, "servers", "unmarked-helper-server.ts")
const linux = process.platform === "linux"

interface Setup {
  dir: string
  config: string
  pids: string
  env: Record<string, string>
}

function setup(): Setup {
  const dir = tempDir("mcpo-unmarked-")
  const pids = join(dir, "pids")
  const config = join(dir, "config.yaml")
  writeFileSync(
    config,
    [
      "servers:",
      `  u: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(SERVER)}, "--pid-file", ${JSON.stringify(pids)}] }`,
      "warm: [u]",
      'toolkit: { enabled: "off" }',
      "plugins: { enabled: false }",
      "",
    ].join("\n"),
  )
  return { dir, config, pids, env: sandboxEnv() }
}

const INIT = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "unmarked", version: "1" } } }) + "\n"

/** Started as an editor does (in a process group of its own when `group`), initialize written. */
function start(s: Setup, group = false) {
  const p = Bun.spawn([BIN, "serve", "--config", s.config], { stdin: "pipe", stdout: "ignore", stderr: "ignore", env: s.env, cwd: s.dir, detached: group })
  p.stdin.write(INIT)
  p.stdin.flush()
  return p
}

/** The server's pid, its helper sh's and the sleep's, once it reported them. */
function reported(s: Setup): Promise<number[]> {
  const read = (): number[] => (existsSync(s.pids) ? readFileSync(s.pids, "utf8").split(/\s+/).filter(Boolean).map(Number) : [])
  return waitFor("the server to report itself and its helper", () => read().length >= 3 && read(), 15_000)
}

/** Which of `pids` are still alive once they had up to 15 s to go (the watchdog gives 250 ms + 250 ms, then SIGKILL). */
async function survivors(pids: number[]): Promise<number[]> {
  await waitFor("the processes to be gone", () => !pids.some(isAlive), 15_000).catch(() => undefined)
  return pids.filter(isAlive)
}

function cleanUp(pids: number[]): void {
  for (const pid of pids) if (isAlive(pid)) process.kill(pid, "SIGKILL")
}

describe.skipIf(!linux)("a helper known only by its parent link ends with the orchestrator", () => {
  for (const how of ["SIGKILL of the orchestrator", "SIGKILL of its whole process group"] as const) {
    test(`${how}: the server ignoring SIGTERM, its env -i setsid helper and that helper's child are gone; another orchestrator's and a stranger live on`, async () => {
      const a = setup()
      const b = setup()
      const group = how !== "SIGKILL of the orchestrator"
      const pa = start(a, group)
      const pb = start(b)
      const stranger = Bun.spawn(["setsid", "sleep", "300"], { stdio: ["ignore", "ignore", "ignore"] })
      const ours = await reported(a)
      const theirs = await reported(b)
      try {
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
        cleanUp([...ours, ...theirs])
      }
    }, 45_000)
  }

  for (const how of ["SIGTERM", "stdin EOF"] as const) {
    test(`${how} once the server is up: the server ignoring SIGTERM, its env -i setsid helper and that helper's child are gone`, async () => {
      const s = setup()
      const p = Bun.spawn([BIN, "serve", "--config", s.config], { stdin: "pipe", stdout: "ignore", stderr: "pipe", env: s.env, cwd: s.dir })
      p.stdin.write(INIT)
      p.stdin.flush()
      const ours = await reported(s)
      try {
        // closed as a running server (not a start abandoned)
        await waitForStderr(p, /downstream ready/, "the server to be up")
        if (how === "SIGTERM") p.kill("SIGTERM")
        else void p.stdin.end()
        expect(await exitCode(p)).toBe(0)
        expect(await survivors(ours)).toEqual([])
      } finally {
        cleanUp(ours)
      }
    }, 45_000)
  }

  test("the parent dies (the orchestrator is not killed): the server, its helper and the helper's child are gone", async () => {
    const s = setup()
    // stdin: a FIFO this test holds open, so the orchestrator ends on its parent's death, not on EOF
    const fifo = join(s.dir, "stdin")
    expect(Bun.spawnSync(["mkfifo", fifo]).exitCode).toBe(0)
    const stdin = openSync(fifo, "r+")
    writeSync(stdin, INIT)
    const log = join(s.dir, "orchestrator.log")
    const sh = Bun.spawn(["sh", "-c", `"$0" serve --config "$1" <"$3" 2>"$2" & echo $!; wait`, BIN, s.config, log, fifo], { stdin: "ignore", stdout: "pipe", stderr: "ignore", env: s.env, cwd: s.dir })
    const reader = sh.stdout.getReader()
    let out = ""
    while (!out.includes("\n")) {
      const { value, done } = await reader.read()
      if (done) break
      out += new TextDecoder().decode(value)
    }
    const pid = Number(out.split("\n")[0])
    expect(pid).toBeGreaterThan(0)
    const ours = await reported(s)
    try {
      expect(ours.filter(isAlive)).toEqual(ours)
      sh.kill("SIGKILL")
      // the parent watch polls once a second, then the graceful shutdown runs (1.8 s at most)
      await waitFor("the orchestrator to exit once its parent is gone", () => !isAlive(pid), 15_000)
      expect(readFileSync(log, "utf8")).toContain('"reason":"parent process exited"')
      expect(await survivors(ours)).toEqual([])
    } finally {
      cleanUp([pid, ...ours])
      closeSync(stdin)
    }
  }, 45_000)
})
