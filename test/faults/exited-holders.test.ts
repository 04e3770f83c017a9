/**
 * A downstream that exits while the orchestrator runs on takes with it what it left holding its
 * pipes outside its process group (through the compiled binary, Linux): a launcher that starts the
 * real server in a session of its own (`setsid … &`) and exits, a crashed server's helper that kept
 * its stderr. Nobody reads those pipes once the exit is seen (a restart starts a new process), so
 * before, each such process ran until the orchestrator's own exit: one more per restart of a
 * server that keeps exiting. Untouched: the other server and its helper, a stranger of the same user.
 * Fixture: test/faults/servers/stubborn-server.ts (ignores SIGTERM: only the SIGKILL round ends it).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, isAlive, sandboxEnv, tempDir } from "../helpers/binary.ts"
import { statFields } from "../helpers/proc.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const STUBBORN = join(import.meta.dir, "servers", "stubborn-server.ts")
const linux = process.platform === "linux"
const started: number[] = []

afterAll(() => {
  for (const pid of started) if (isAlive(pid)) process.kill(pid, "SIGKILL")
})

/** Pids the stubborn servers reported ("<pid> <grandchild>" lines), each remembered for the clean-up. */
function reported(file: string): number[] {
  if (!existsSync(file)) return []
  const pids = readFileSync(file, "utf8").split(/\s+/).filter(Boolean).map(Number)
  for (const pid of pids) if (!started.includes(pid)) started.push(pid)
  return pids
}

const INIT = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "holders", version: "1" } } }) + "\n"

describe.skipIf(!linux)("what an exited downstream left holding its pipes ends while the orchestrator runs on", () => {
  test("a launcher's setsid'd real server (ignores SIGTERM) and a crashed server's stderr helper are killed; the other server, its helper and a stranger live on", async () => {
    const dir = tempDir("mcpo-holders-")
    const launched = join(dir, "launched")
    const kept = join(dir, "kept")
    const crashHelper = join(dir, "crash-helper")
    const config = join(dir, "config.yaml")
    const bun = JSON.stringify(process.execPath)
    const stub = JSON.stringify(STUBBORN)
    // the launcher waits until the real server reported its pid, then exits: the server holds its pipes
    const launcher = `setsid ${process.execPath} ${STUBBORN} --pid-file ${launched} & while [ ! -s ${launched} ]; do sleep 0.05; done; exit 0`
    // a server that leaves a helper in a session of its own holding only its stderr, then crashes
    const crasher = `setsid sh -c 'trap "" TERM; echo $$ > ${crashHelper}.tmp; mv ${crashHelper}.tmp ${crashHelper}; while :; do sleep 1; done' </dev/null >/dev/null & while [ ! -s ${crashHelper} ]; do sleep 0.05; done; exit 7`
    writeFileSync(
      config,
      [
        "servers:",
        `  launched: { command: sh, args: [${JSON.stringify("-c")}, ${JSON.stringify(launcher)}] }`,
        `  crashed: { command: sh, args: [${JSON.stringify("-c")}, ${JSON.stringify(crasher)}] }`,
        `  kept: { command: ${bun}, args: [${stub}, "--pid-file", ${JSON.stringify(kept)}] }`,
        "warm: [launched, crashed, kept]",
        // one start each: what a restart would leave is not in the way
        "pool: { restartDelay: 10m, restartDelayMax: 10m }",
        'toolkit: { enabled: "off" }',
        "plugins: { enabled: false }",
        "",
      ].join("\n"),
    )
    const stranger = Bun.spawn(["setsid", "sleep", "300"], { stdio: ["ignore", "ignore", "ignore"] })
    started.push(stranger.pid)
    const p = Bun.spawn([BIN, "serve", "--config", config], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env: sandboxEnv(), cwd: dir })
    p.stdin.write(INIT)
    p.stdin.flush()
    try {
      const [server] = await waitFor("the launched server's pid", () => reported(launched).length >= 2 && reported(launched))
      const helper = await waitFor("the crashed server's helper pid", () => existsSync(crashHelper) && Number(readFileSync(crashHelper, "utf8").trim()))
      started.push(helper)
      const [keptServer, keptChild] = await waitFor("the kept server's pids", () => reported(kept).length >= 2 && reported(kept))
      // the fixture's processes really left the launchers' process groups (a group kill misses them)
      expect(statFields(server!)?.[3]).toBe(String(server))
      expect(statFields(helper)?.[3]).toBe(String(helper))
      // both launchers exited; what they left is ended, while the orchestrator runs on
      await waitFor("the launched server and the crash helper to end", () => !isAlive(server!) && !isAlive(helper), 20_000)
      expect(isAlive(p.pid)).toBe(true)
      expect([keptServer!, keptChild!, stranger.pid].filter(isAlive)).toEqual([keptServer!, keptChild!, stranger.pid])
    } finally {
      void p.stdin.end()
      await p.exited
      stranger.kill("SIGKILL")
    }
  }, 60_000)

  test("a helper that closed every pipe it inherited (stdio to /dev/null, a session of its own) ends with the server that started it; another server's own helper lives on", async () => {
    const dir = tempDir("mcpo-carriers-")
    const closedHelper = join(dir, "closed-helper")
    const kept = join(dir, "kept")
    const config = join(dir, "config.yaml")
    // it starts a helper holding none of its pipes (found only by its mark), then exits
    const leaver = `setsid sh -c 'trap "" TERM; echo $$ > ${closedHelper}.tmp; mv ${closedHelper}.tmp ${closedHelper}; while :; do sleep 1; done' </dev/null >/dev/null 2>&1 & while [ ! -s ${closedHelper} ]; do sleep 0.05; done; exit 3`
    writeFileSync(
      config,
      [
        "servers:",
        `  leaver: { command: sh, args: [${JSON.stringify("-c")}, ${JSON.stringify(leaver)}] }`,
        `  kept: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(STUBBORN)}, "--pid-file", ${JSON.stringify(kept)}] }`,
        "warm: [leaver, kept]",
        "pool: { restartDelay: 10m, restartDelayMax: 10m }",
        'toolkit: { enabled: "off" }',
        "plugins: { enabled: false }",
        "",
      ].join("\n"),
    )
    const p = Bun.spawn([BIN, "serve", "--config", config], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env: sandboxEnv(), cwd: dir })
    p.stdin.write(INIT)
    p.stdin.flush()
    try {
      const helper = await waitFor("the leaver's helper pid", () => existsSync(closedHelper) && Number(readFileSync(closedHelper, "utf8").trim()))
      started.push(helper)
      const [keptServer, keptChild] = await waitFor("the kept server's pids", () => reported(kept).length >= 2 && reported(kept))
      // it holds none of the server's pipes: only its mark says whose it is
      expect(statFields(helper)?.[3]).toBe(String(helper))
      await waitFor("the leaver's helper to end", () => !isAlive(helper), 20_000)
      expect(isAlive(p.pid)).toBe(true)
      expect([keptServer!, keptChild!].filter(isAlive)).toEqual([keptServer!, keptChild!])
    } finally {
      void p.stdin.end()
      await p.exited
    }
  }, 60_000)
})
