/**
 * Regressions (QA): a `docker mcp` that works (its `version` answers) but one command of it fails
 * in its own way was worded as the plugin being gone or broken:
 * - a Go `panic:` in one command's stderr (that command crashed on its input) read as TOOLKIT_BROKEN,
 *   "installed but does not run", with the reinstall remedy;
 * - docker's "unknown command" for a sub-command (`docker: unknown command: docker mcp profile`,
 *   cobra's `unknown command "profile" for "docker mcp"`: a command this CLI era lacks) read as
 *   TOOLKIT_NOT_INSTALLED or a bare "failed".
 * Now: the command that crashed is named, with the Toolkit's version and era and a hint; the
 * sub-command this era lacks is named, with the era and what to use instead. A plugin whose own
 * `version` crashes stays TOOLKIT_BROKEN (test/docker/binary-broken-plugin.test.ts).
 */
import { describe, expect, test } from "bun:test"
import { createSpawnRunner, createToolkitDriver, type Runner } from "../../src/docker/index.ts"
import { toolkitFailure } from "../helpers/failure.ts"
import { fakeDockers } from "./fake.ts"

const fake = fakeDockers()
const PANIC = "panic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:\ngithub.com/docker/mcp-gateway/cmd/docker-mcp/server.Inspect(...)\n\t/go/src/cmd/docker-mcp/server/inspect.go:42 +0x1c4\n"

describe("one docker mcp command that panics", () => {
  test("is that command's crash (named, with the version and era), not a broken plugin", async () => {
    const f = fake({ version: "v0.24.0" })
    f.setOutput("server inspect", { stdout: "", stderr: PANIC, exit: 2 })
    const d = createToolkitDriver({ env: f.env })
    const err = await toolkitFailure(d.serverInspect("fetch"))
    expect(err.code).toBe("COMMAND_FAILED")
    expect(err.message).toContain("`docker mcp server inspect -- fetch` crashed")
    expect(err.message).toContain("panic: runtime error: index out of range")
    expect(err.message).toContain("v0.24.0")
    expect(err.message).not.toContain("does not run")
    expect(err.remedy).not.toContain("Reinstall the plugin")
    expect(err.remedy).toContain("docker mcp version")
    // the plugin itself works: other commands still answer
    expect((await d.serversList()).length).toBeGreaterThanOrEqual(0)
  }, 30_000)
})

describe("a sub-command this CLI era lacks", () => {
  for (const stderr of ['unknown command "profile" for "docker mcp"\nRun \'docker mcp --help\' for usage.\n', "docker: unknown command: docker mcp profile\n\nRun 'docker mcp --help' for more information\n"]) {
    test(`is named with the era and what to use, never "not installed": ${stderr.split("\n")[0]}`, async () => {
      // v0.24.0: the legacy era, which has no `profile` command
      const f = fake({ version: "v0.24.0" })
      f.setOutput("server ls", { stdout: "", stderr, exit: 1 })
      const err = await toolkitFailure(createToolkitDriver({ env: f.env }).serversList())
      expect(err.code).not.toBe("TOOLKIT_NOT_INSTALLED")
      expect(err.message).toContain("has no `docker mcp profile` command")
      expect(err.message).toContain("legacy era")
      expect(err.remedy).toContain("docker mcp server")
    }, 30_000)
  }

  test("the plugin really missing is still 'not installed'", async () => {
    const f = fake({ version: "v0.43.3", fail: "no-plugin" })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).serversList())
    expect(err.code).toBe("TOOLKIT_NOT_INSTALLED")
  }, 30_000)
})

describe("a plugin that crashes on every command, its version too", () => {
  test("a command crashing after the version was read is found to be the plugin broken (TOOLKIT_BROKEN)", async () => {
    const f = fake({ version: "v0.24.0" })
    // the fake docker, until the plugin is replaced by one that crashes on every command (the fake cannot reach that state)
    const spawn = createSpawnRunner({ env: f.env })
    let broken = false
    const runner: Runner = async (req) => (broken ? { stdout: "", stderr: PANIC, exitCode: 2, timedOut: false, durationMs: 1 } : spawn(req))
    const d = createToolkitDriver({ env: f.env, runner })
    expect((await d.status()).version).toBe("v0.24.0")
    broken = true
    const err = await toolkitFailure(d.serverInspect("fetch"))
    expect(err.code).toBe("TOOLKIT_BROKEN")
    expect(err.remedy).toContain("Reinstall the plugin")
  }, 30_000)
})
