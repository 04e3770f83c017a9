/**
 * @module test/docker/desktop-starting.test
 * Docker Desktop in the states a user meets right after login or an update: starting (its engine
 * answers HTTP 500 to the Toolkit's ping, pkg/docker/client.go wraps it as `failed to ping Docker
 * daemon: …`), paused, failed to start, locked off by an administrator. Expected: a starting
 * engine is waited for and the command run again (the answer comes once it is up), and past the
 * waits DESKTOP_STARTING says so with "wait, then retry"; each other state is its own error with
 * its own remedy, not "the daemon is not reachable" or "run the command by hand", and is not retried.
 */
import { describe, expect, test } from "bun:test"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { toolkitFailure } from "../helpers/failure.ts"
import { fakeDockers } from "./fake.ts"

const fake = fakeDockers()
const runsOf = (argv: string[][], cmd: string): number => argv.filter((a) => a.slice(1).join(" ").startsWith(cmd)).length

describe("Docker Desktop still starting its engine", () => {
  for (const version of ["v0.24.0", "v0.43.3"]) {
    test(`${version}: the command is run again once the engine is up, and answers`, async () => {
      const f = fake({ version, fail: "desktop-starting", startingRuns: 2 })
      const servers = await createToolkitDriver({ env: f.env, startingRetryMs: [20, 20, 20] }).serversList()
      expect(Array.isArray(servers)).toBe(true)
      expect(runsOf(f.argvLog(), version === "v0.24.0" ? "server ls" : "profile server ls")).toBe(3)
    })
  }

  test("v0.35.0 (the era probe itself meets the starting engine): probed again, profiles era found", async () => {
    const f = fake({ version: "v0.35.0", profiles: true, fail: "desktop-starting", startingRuns: 1 })
    const d = createToolkitDriver({ env: f.env, startingRetryMs: [20] })
    expect((await d.status()).era).toBe("profiles")
  })

  test("still starting after every wait: DESKTOP_STARTING naming the command, the CLI and the tries; wait and retry", async () => {
    const f = fake({ version: "v0.43.3", fail: "desktop-starting" })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env, startingRetryMs: [10, 10] }).serversList())
    expect(err.code).toBe("DESKTOP_STARTING")
    expect(err.message).toContain("docker mcp profile server ls")
    expect(err.message).toContain("Toolkit v0.43.3")
    expect(err.message).toContain("3 tries")
    expect(err.remedy).toContain("Wait until Docker Desktop says the engine is running")
    expect(runsOf(f.argvLog(), "profile server ls")).toBe(3)
  })

  test("a cancel during the wait ends it at once", async () => {
    const f = fake({ version: "v0.43.3", fail: "desktop-starting" })
    const ac = new AbortController()
    const p = createToolkitDriver({ env: f.env, startingRetryMs: [10 * 60_000] }).serversList({ signal: ac.signal })
    // abort once the first try has failed (it is in the wait now)
    for (let i = 0; i < 200 && runsOf(f.argvLog(), "profile server ls") === 0; i++) await Bun.sleep(50)
    await Bun.sleep(200)
    ac.abort()
    const err = await toolkitFailure(p)
    expect(err.code).toBe("DESKTOP_STARTING")
    expect(runsOf(f.argvLog(), "profile server ls")).toBe(1)
  })
})

describe("each Docker Desktop state is its own error", () => {
  const cases: Array<[string, string, string, string]> = [
    ["Docker Desktop is starting...", "DESKTOP_STARTING", "still starting", "Wait until Docker Desktop"],
    ["Error response from daemon: Docker Desktop is unable to start", "DESKTOP_NOT_RUNNING", "failed to start", "Restart Docker Desktop"],
    ["Error response from daemon: Docker Desktop is manually paused", "DESKTOP_NOT_RUNNING", "paused", "Resume Docker Desktop"],
    ["docker Desktop is not running: dial unix /home/me/.docker/desktop/backend.sock: connect: no such file or directory", "DESKTOP_NOT_RUNNING", "not running", "Start Docker Desktop"],
    ['The "Docker MCP Toolkit" feature needs to be enabled by your Administrator', "FEATURE_DISABLED", "administrator", "administrator"],
  ]
  for (const [stderr, code, said, remedy] of cases) {
    test(`${code}: ${stderr.slice(0, 60)}`, async () => {
      const f = fake({ version: "v0.43.3" })
      f.setOutput("profile server ls", { stdout: "", stderr: `${stderr}\n`, exit: 1 })
      const err = await toolkitFailure(createToolkitDriver({ env: f.env, startingRetryMs: code === "DESKTOP_STARTING" ? [] : [10, 10] }).serversList())
      expect(err.code).toBe(code)
      expect(err.message).toContain(said)
      expect(err.message).toContain("docker mcp profile server ls")
      expect(err.remedy).toContain(remedy)
      // only a starting engine is waited for
      expect(runsOf(f.argvLog(), "profile server ls")).toBe(1)
    })
  }
})

describe("the Docker engine not reachable yet (Docker Desktop booting: its socket appears seconds later)", () => {
  for (const version of ["v0.24.0", "v0.43.3"]) {
    test(`${version}: the command is run again once the socket answers, and answers`, async () => {
      const f = fake({ version, fail: "daemon-down", downRuns: 2 })
      const servers = await createToolkitDriver({ env: f.env, daemonRetryMs: [20, 20, 20] }).serversList()
      expect(Array.isArray(servers)).toBe(true)
      expect(runsOf(f.argvLog(), version === "v0.24.0" ? "server ls" : "profile server ls")).toBe(3)
    })
  }

  test("still unreachable after every wait: DAEMON_DOWN with the tries and the start-Docker remedy; the next command is not waited for again", async () => {
    const f = fake({ version: "v0.43.3", fail: "daemon-down" })
    const d = createToolkitDriver({ env: f.env, daemonRetryMs: [10, 10] })
    const err = await toolkitFailure(d.serversList())
    expect(err.code).toBe("DAEMON_DOWN")
    expect(err.message).toContain("docker mcp profile server ls")
    expect(err.message).toContain("Toolkit v0.43.3")
    expect(err.message).toContain("3 tries")
    expect(err.remedy).toContain("Start Docker")
    expect(runsOf(f.argvLog(), "profile server ls")).toBe(3)
    const again = await toolkitFailure(d.serversList())
    expect(again.code).toBe("DAEMON_DOWN")
    expect(again.message).toContain("not waited for again")
    expect(runsOf(f.argvLog(), "profile server ls")).toBe(4)
  })

  test("permission denied on the socket or a missing context is no boot: not retried", async () => {
    for (const stderr of ["permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: connect: permission denied", 'context "gone": context not found: open /home/me/.docker/contexts/meta/x/meta.json: no such file or directory']) {
      const f = fake({ version: "v0.43.3" })
      f.setOutput("profile server ls", { stdout: "", stderr: `${stderr}\n`, exit: 1 })
      const err = await toolkitFailure(createToolkitDriver({ env: f.env, daemonRetryMs: [10, 10] }).serversList())
      expect(err.code).toBe("DAEMON_DOWN")
      expect(runsOf(f.argvLog(), "profile server ls")).toBe(1)
    }
  })
})
