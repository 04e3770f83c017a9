/**
 * @module test/docker/era-probe-transient.test
 * v0.28–v0.41 (or a version that reads as none) need `docker mcp profile list --format json` to tell
 * the era. Only the CLI saying it has no `profile` command means legacy; every other failure of the
 * probe (Docker Desktop not running or starting, the daemon down, the feature off, a locked
 * database, a crash, a refused flag, a timeout: the stderr texts of docs/toolkit.md and the CLI) is
 * an error naming the probe, and the era is decided by a later probe that answers, never "legacy"
 * (whose commands, on v0.28–v0.37 with profiles on, change files the gateway ignores).
 */
import { describe, expect, test } from "bun:test"
import { createToolkitDriver, type ToolkitChange } from "../../src/docker/index.ts"
import { toolkitFailure } from "../helpers/failure.ts"
import { fakeDockers } from "./fake.ts"

const fake = fakeDockers()
const quick = { startingRetryMs: [] as number[], daemonRetryMs: [] as number[] }

/** stderr texts a failing `profile list` prints that are no "unknown command" (exit code, text). */
const TRANSIENT: Array<[string, number, string]> = [
  ["Docker Desktop not running", 1, "Docker Desktop is not running\n"],
  ["Docker Desktop starting (HTTP 500)", 1, "failed to ping Docker daemon: request returned 500 Internal Server Error for API route and version http://%2FUsers%2Fme%2F.docker%2Frun%2Fdocker.sock/v1.51/_ping, check if the server supports the requested API version\n"],
  ["the daemon down", 1, "failed to ping Docker daemon: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n"],
  ["the engine's pipe missing", 1, 'error during connect: Get "http://%2F%2F.%2Fpipe%2FdockerDesktopLinuxEngine/v1.47/_ping": open //./pipe/dockerDesktopLinuxEngine: The system cannot find the file specified.\r\n'],
  ["the socket denied", 1, 'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.47/_ping": dial unix /var/run/docker.sock: connect: permission denied\n'],
  ["the Toolkit feature off", 1, 'The "Docker MCP Toolkit" feature needs to be enabled in Docker Desktop Settings\n'],
  ["a locked database", 1, "listing profiles: database is locked\n"],
  ["a Toolkit file not readable", 1, "open /home/me/.docker/mcp/mcp-toolkit.db: permission denied\n"],
  ["a Go panic", 2, "panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x1029c1b2c]\n"],
  ["a refused flag (exit 125)", 125, "unknown flag: --format\n\nUsage:  docker mcp profile list [flags]\n\nRun 'docker mcp profile list --help' for more information\n"],
  ["another error, exit 1", 1, "Error: context deadline exceeded\n"],
]

describe("a failed era probe that is no `unknown command` does not decide the era", () => {
  for (const [what, exit, stderr] of TRANSIENT) {
    test(`${what}: an error naming the probe, then profiles once it answers`, async () => {
      const f = fake({ version: "v0.35.0", profiles: true })
      f.setOutput("profile list", { stdout: "", stderr, exit })
      const d = createToolkitDriver({ env: f.env, ...quick })
      const err = await toolkitFailure(d.serversList())
      expect(err.message).toContain("era not detected")
      expect(err.details).toMatchObject({ era: "undetermined" })
      // no legacy command ran on the strength of the failed probe
      expect(f.argvLog().some((a) => a[1] === "server" && a[2] === "ls")).toBe(false)
      f.setOutput(undefined)
      expect(await d.status()).toMatchObject({ era: "profiles", version: "v0.35.0" })
    })
  }

  test("the same on a version that reads as none (a dev build): never legacy on a failed probe", async () => {
    const f = fake({ version: "v0.0.0-dev", profiles: true })
    f.setOutput("profile list", { stdout: "", stderr: "listing profiles: database is locked\n", exit: 1 })
    const d = createToolkitDriver({ env: f.env, ...quick })
    const err = await toolkitFailure(d.status())
    expect(err.details).toMatchObject({ era: "undetermined" })
    f.setOutput(undefined)
    expect(await d.status()).toMatchObject({ era: "profiles" })
  })

  test("a probe failing after the era was known: status says unavailable, the era stays, no change is reported", async () => {
    const f = fake({ version: "v0.35.0", profiles: true })
    const d = createToolkitDriver({ env: f.env, ...quick })
    const changes: ToolkitChange[] = []
    d.onEraChange((c) => changes.push(c))
    expect(await d.status()).toMatchObject({ era: "profiles" })
    f.setOutput("profile list", { stdout: "", stderr: "listing profiles: database is locked\n", exit: 1 })
    const err = await toolkitFailure(d.status())
    expect(err.message).toContain("database is locked")
    f.setOutput(undefined)
    expect(await d.status()).toMatchObject({ era: "profiles" })
    expect(changes).toEqual([])
  })
})

describe("the CLI saying it has no `profile` command is legacy, in each of docker's wordings", () => {
  for (const stderr of ['unknown command "profile" for "docker mcp"\n', "docker: 'mcp profile' is not a docker command.\nSee 'docker --help'\n", "docker: unknown command: docker mcp profile\n\nRun 'docker mcp --help' for more information\n"]) {
    test(JSON.stringify(stderr.split("\n")[0]), async () => {
      const f = fake({ version: "v0.35.0", profiles: false })
      f.setOutput("profile list", { stdout: "", stderr, exit: 1 })
      expect(await createToolkitDriver({ env: f.env, ...quick }).status()).toMatchObject({ era: "legacy", version: "v0.35.0" })
    })
  }
})
