/**
 * Last breath: the binary ends from every state on its own (within its shutdown budget), and takes
 * every child with it. Downstreams are stubborn (test/faults/servers/stubborn-server.ts ignores
 * SIGTERM and stdin EOF and has a grandchild in its group): only a group SIGKILL before the
 * orchestrator exits ends them.
 * Asserted: exit code 0, the log never says the shutdown budget was exceeded (the product's own
 * verdict on "in time"; a wall clock would be the machine's load), 0 processes of the downstreams'
 * groups left. A process that never exits fails on a generous bound (15 s), not on a figure.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { ensureBuilt, isAlive } from "../helpers/binary.ts"
import { type PidWorld, pidServerWorld, pidsIn, reportedPids } from "../helpers/pid-world.ts"
import { pidsWhere } from "../helpers/proc.ts"
import { BUDGET_OVERRUN, exitCode, restOf, waitFor, waitForStderr } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const STUBBORN = join(import.meta.dir, "servers", "stubborn-server.ts")
const MOMENTS = [0, 10, 50, 100, 150, 300]

/**
 * Two stubborn warm servers (one slow to boot) and a plugin directory: every startup stage is busy.
 * Both report to `pids`; `a` writes each tool called to `calls` as the call reaches it.
 */
function setup(): PidWorld {
  const s = pidServerWorld("life", (at) => ({
    servers: {
      a: [STUBBORN, "--pid-file", at("pids"), "--calls", at("calls")],
      b: [STUBBORN, "--pid-file", at("pids"), "--slow-boot", "400"],
    },
    settings: [`plugins: { dirs: [${JSON.stringify(at("plugins"))}] }`],
  }))
  mkdirSync(s.at("plugins"))
  writeFileSync(join(s.at("plugins"), "hello.js"), `export default { name: "hello", prompts: [{ name: "hi", description: "Say hi", render: () => "hi" }] }\n`)
  return s
}

/** Waits until both servers and their grandchildren reported their pids (4 in all). */
async function booted(s: PidWorld): Promise<number> {
  return (await reportedPids(s.at("pids"), 4)).length
}

/** Processes of the downstreams' groups (each server leads one) still alive, once they had time to be reaped (up to 15 s). */
async function leftovers(s: PidWorld): Promise<number[]> {
  const pids = pidsIn(s.at("pids"))
  const groups = new Set(pids.map(String))
  const find = (): number[] => [...new Set([...pids.filter(isAlive), ...pidsWhere((f) => groups.has(f[2]!) && f[0] !== "Z")])]
  // SIGKILL is delivered before the orchestrator exits; init reaps them when the machine lets it.
  for (let i = 0; i < 600 && find().length > 0; i++) await Bun.sleep(25)
  return find()
}

/** `serve` with its stdout and stderr piped; initialize written unless stdin is ignored. */
const start = (s: PidWorld, stdin: "pipe" | "ignore" = "pipe") => s.start({ stdin, stdout: "pipe", stderr: "pipe" })

/** Waits until a call reached a stubborn server (it is in flight downstream). */
async function callArrived(s: PidWorld): Promise<void> {
  await waitFor("the call to reach the server", () => existsSync(s.at("calls")) && readFileSync(s.at("calls"), "utf8").includes("hang"), 15_000)
}

/** Ends `p` the way `how` says, `ms` after now (a moment in its startup), and returns its exit code and log. */
async function killAt(p: ReturnType<typeof start>, ms: number, how: "eof" | "sigterm" | "sigint"): Promise<{ code: number; err: string }> {
  await Bun.sleep(ms)
  if (how === "eof") void p.stdin!.end()
  else p.kill(how === "sigterm" ? "SIGTERM" : "SIGINT")
  const code = await exitCode(p, `the orchestrator to exit after ${how}`)
  return { code, err: await new Response(p.stderr).text() }
}

describe("the process always ends, and takes its children with it", () => {
  for (const how of ["eof", "sigterm"] as const) {
    for (const ms of MOMENTS) {
      test(`${how} ${ms} ms after spawn (initialize sent at once): exit 0 within the shutdown budget, no process left`, async () => {
        const s = setup()
        const p = start(s)
        const { code, err } = await killAt(p, ms, how)
        // a SIGTERM that comes before the handlers are installed ends the process the default way
        // (nothing started yet: what it would leave is what `leftovers` looks for)
        expect(p.signalCode === "SIGTERM" ? "by SIGTERM, before its handlers" : code, err).toBeOneOf(how === "sigterm" ? [0, "by SIGTERM, before its handlers"] : [0])
        expect(err).not.toMatch(BUDGET_OVERRUN)
        expect(await leftovers(s)).toEqual([])
      }, 15_000)
    }
  }

  test("stdin already at EOF at spawn (`serve < /dev/null`): exits at once, never spins", async () => {
    const s = setup()
    const p = start(s, "ignore")
    const code = await exitCode(p, "the orchestrator to exit on its own")
    const err = await new Response(p.stderr).text()
    expect(code, err).toBe(0)
    expect(err).not.toMatch(BUDGET_OVERRUN)
    expect(await leftovers(s)).toEqual([])
  }, 15_000)

  for (const how of ["eof", "sigterm", "sigint"] as const) {
    test(`${how} with a call in flight to a server that ignores SIGTERM and EOF: no orphan`, async () => {
      const s = setup()
      const p = start(s)
      p.stdin!.write(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) + "\n")
      p.stdin!.write(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "a__hang", arguments: {} } }) + "\n")
      p.stdin!.flush()
      // both servers up (their pids reported), the call in flight downstream
      expect(await booted(s)).toBe(4)
      await callArrived(s)
      const { code, err } = await killAt(p, 0, how)
      expect(code, err).toBe(0)
      expect(err).not.toMatch(BUDGET_OVERRUN)
      expect(await leftovers(s)).toEqual([])
    }, 20_000)
  }

  test("a second signal while shutting down ends the process at once, children killed", async () => {
    const s = setup()
    const p = start(s)
    p.stdin!.write(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "a__hang", arguments: {} } }) + "\n")
    p.stdin!.flush()
    expect(await booted(s)).toBe(4)
    await callArrived(s)
    p.kill("SIGTERM")
    // the second signal once the first is handled (two pending SIGTERMs are delivered as one)
    const before = await waitForStderr(p as { stderr: ReadableStream<Uint8Array> }, /"shutting down"/, "the first signal handled")
    p.kill("SIGTERM")
    await exitCode(p, "the orchestrator to exit after the second signal")
    // the graceful path (the call in flight drained first) would not say this
    expect(before + (await restOf(p.stderr as ReadableStream<Uint8Array>))).toContain('"reason":"SIGTERM while shutting down"')
    expect(await leftovers(s)).toEqual([])
  }, 20_000)

  test("the parent dies without closing our stdin: the orchestrator notices and exits", async () => {
    const s = setup()
    // sh starts the orchestrator in the background and prints its pid (its log goes to a file: the
    // shell's stderr would end with the shell); its stdin is a FIFO this test holds open (a pipe from
    // the shell would close with the shell, and the orchestrator would end on stdin EOF instead,
    // never showing it noticed its parent was gone)
    const { pid, sh, log, closeStdin } = await s.startUnderShell()
    expect(pid).toBeGreaterThan(0)
    expect(await booted(s)).toBe(4)
    expect(isAlive(pid)).toBe(true)
    sh.kill("SIGKILL")
    // the watchdog polls once a second, then the shutdown budget applies: 15 s bounds a hang
    await waitFor("the orchestrator to exit once its parent is gone", () => !isAlive(pid), 15_000)
    const err = readFileSync(log, "utf8")
    expect(err).toContain('"reason":"parent process exited"')
    expect(err).not.toMatch(BUDGET_OVERRUN)
    expect(await leftovers(s)).toEqual([])
    closeStdin()
  }, 20_000)
})
