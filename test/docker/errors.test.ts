/**
 * @module test/docker/errors.test
 * Every ToolkitError class, produced by the fake docker's documented failure texts and exit codes
 * (and by a scripted runner where the fake cannot reach a state), each with a remedy line.
 */
import { describe, expect, test } from "bun:test"
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ToolkitError } from "../../src/core/index.ts"
import { createSpawnRunner, createToolkitDriver, type RunResult, type Runner } from "../../src/docker/index.ts"
import { maskToolkitText } from "../../src/docker/classify.ts"
import { toolkitFailure } from "../helpers/failure.ts"
import { fakeDockers } from "./fake.ts"

const fake = fakeDockers()

describe("error classes from the fake docker", () => {
  test("DOCKER_NOT_FOUND when docker is not on PATH", async () => {
    const f = fake({ version: "v0.43.3" })
    const err = await toolkitFailure(createToolkitDriver({ env: { ...f.env, PATH: "/nonexistent" } }).status())
    expect(err.code).toBe("DOCKER_NOT_FOUND")
  })

  test("a spawn that fails for another reason than a missing docker says so: E2BIG is INVALID_VALUE, EACCES is COMMAND_FAILED", async () => {
    const f = fake({ version: "v0.43.3" })
    const runner = createSpawnRunner({ env: f.env })
    // one argument over the kernel's limit for a single argument (128 KiB)
    const big = await runner({ args: ["mcp", "config", "write", "x".repeat(200 * 1024)], timeoutMs: 5000 }).catch((e: unknown) => e)
    expect(big).toBeInstanceOf(ToolkitError)
    expect((big as ToolkitError).code).toBe("INVALID_VALUE")
    expect((big as ToolkitError).message).toContain("E2BIG")
    expect((big as ToolkitError).message).not.toContain("x".repeat(100))
    const dir = mkdtempSync(join(tmpdir(), "mcpo-noexec-"))
    const noexec = join(dir, "docker")
    writeFileSync(noexec, "#!/bin/sh\necho hi\n", { mode: 0o644 })
    const denied = await createSpawnRunner({ env: f.env, docker: noexec })({ args: ["mcp", "version"], timeoutMs: 5000 }).catch((e: unknown) => e)
    expect((denied as ToolkitError).code).toBe("COMMAND_FAILED")
    expect((denied as ToolkitError).message).toContain("EACCES")
  })

  const modes: Array<[string, string, string]> = [
    ["no-plugin", "TOOLKIT_NOT_INSTALLED", "not installed"],
    ["daemon-down", "DAEMON_DOWN", "daemon"],
    ["desktop-not-running", "DESKTOP_NOT_RUNNING", "Docker Desktop is not running"],
    ["feature-disabled", "FEATURE_DISABLED", "disabled"],
    ["unknown-flag", "UNKNOWN_FLAG", "unknown flag: --json"],
  ]
  for (const [mode, code, text] of modes) {
    test(`${code} (${mode})`, async () => {
      const f = fake({ version: "v0.27.0", fail: mode })
      const err = await toolkitFailure(createToolkitDriver({ env: f.env }).serversList())
      expect(err.code).toBe(code)
      expect(err.message).toContain(text)
    })
  }

  test("a secret command's gRPC failure keeps its reason: only secret values are masked, not the error after a secret-named word", async () => {
    for (const version of ["v0.24.0", "v0.43.3"]) {
      const f = fake({ version, fail: "secrets-engine-down" })
      const err = await toolkitFailure(createToolkitDriver({ env: f.env }).secretsList())
      expect(err.message).toContain("listing secret: rpc error: code = Unavailable desc = connection error")
      expect(err.message).toContain("secrets-engine.sock: connect: no such file or directory")
      expect(err.message).not.toContain("[REDACTED]")
    }
    // a value that only opens like an error word is still a value
    for (const v of ["db.password: failedPassw0rd", "api_key: error42", "GITHUB_TOKEN=rpc-secret-1"]) expect(maskToolkitText(v)).toContain("[REDACTED]")
  })

  // docker reports a plugin whose metadata call fails as an unknown command (cli-plugins/manager):
  // the plugin that is there is looked at, and what it does is said, distinct from "not installed"
  const broken: Array<[string, RegExp]> = [
    ["plugin-exec-format", /installed at \S+\/cli-plugins\/docker-mcp but does not run: exec format error.*\(ENOEXEC\)/],
    ["plugin-not-executable", /installed at \S+\/cli-plugins\/docker-mcp but does not run: permission denied: it is not executable \(EACCES\)/],
    ["plugin-metadata-panic", /installed at \S+\/cli-plugins\/docker-mcp but does not run: it exits 2: panic: runtime error: invalid memory address or nil pointer dereference \[signal SIGSEGV/],
    ["plugin-panic", /installed but does not run: panic: runtime error: invalid memory address/],
    ["plugin-exit-127", /could not be run \(`docker mcp version` exit 127: .*docker-mcp\.real: not found/],
  ]
  for (const [mode, text] of broken) {
    test(`TOOLKIT_BROKEN, not TOOLKIT_NOT_INSTALLED: ${mode}`, async () => {
      const f = fake({ version: "v0.43.3", fail: mode })
      const err = await toolkitFailure(createToolkitDriver({ env: f.env }).status())
      expect(err.code).toBe("TOOLKIT_BROKEN")
      expect(err.message).toMatch(text)
      expect(err.message).not.toContain("not installed")
      // the Go stack is not quoted, only its reason
      expect(err.message).not.toContain("goroutine")
      expect(err.remedy).toContain("Reinstall the plugin")
    })
  }

  test("PASS_MISSING on secret ls", async () => {
    const f = fake({ version: "v0.43.3", fail: "pass-missing" })
    const d = createToolkitDriver({ env: f.env })
    expect((await toolkitFailure(d.secretsList())).code).toBe("PASS_MISSING")
    expect(await d.profilesList()).toEqual([])
  })

  test("UNKNOWN_SERVER in both eras, nothing written", async () => {
    for (const version of ["v0.27.0", "v0.43.3"]) {
      const f = fake({ version })
      const d = createToolkitDriver({ env: f.env })
      const err = await toolkitFailure(d.serverEnable("no-such-server"))
      expect(err.code).toBe("UNKNOWN_SERVER")
      // every Toolkit error names the CLI it came from, the driver's own refusals too
      expect(err.message).toContain(`[Toolkit ${version}, `)
      expect(await d.serversList()).toEqual([])
      const inspect = await toolkitFailure(d.serverInspect("no-such-server"))
      expect(inspect.code).toBe("UNKNOWN_SERVER")
      expect(inspect.message).toContain(`[Toolkit ${version}, `)
    }
  })

  // the profiles era: `profile server add` refuses a missing profile or catalog before it looks at
  // the name; the driver created the profile and pulled the catalog, then ran the add a third time
  // for a name that was never there (a typo changed the user's Toolkit before it was refused)
  test("profiles era: an unknown name is looked up once, nothing created, the add not repeated", async () => {
    for (const o of [{ version: "v0.43.3" }, { version: "v0.35.0", profiles: true }]) {
      const f = fake(o)
      const d = createToolkitDriver({ env: f.env })
      const err = await toolkitFailure(d.serverEnable("no-such-server"))
      expect({ v: o.version, code: err.code }).toEqual({ v: o.version, code: "UNKNOWN_SERVER" })
      expect(err.message).toContain("nothing was changed")
      expect(err.message).toContain(`[Toolkit ${o.version}, profiles era]`)
      expect(err.details).toMatchObject({ version: o.version, era: "profiles" })
      const log = f.argvLog()
      expect(log.filter((a) => a[1] === "profile" && a[3] === "add")).toHaveLength(1)
      expect(log.some((a) => a[2] === "create")).toBe(false)
      expect(await d.profilesList()).toEqual([])
      // a known name on the same fresh Toolkit still gets the profile created and is added
      expect(await d.serverEnable("duckduckgo")).toMatchObject({ server: "duckduckgo", profile: "default" })
      expect((await d.serversList()).map((s) => s.name)).toEqual(["duckduckgo"])
      // with the profile there, an unknown name is one add, refused by the CLI: no retry
      const before = f.argvLog().length
      expect((await toolkitFailure(d.serverEnable("no-such-server"))).code).toBe("UNKNOWN_SERVER")
      // (the profile's list is read first: a name already there is not added again)
      expect(f.argvLog().slice(before).map((a) => a.slice(1, 4).join(" "))).toEqual(["profile server ls", "profile server add"])
    }
  })

  // legacy `server disable` of a server that is not enabled exits 0: it was answered "Disabled X";
  // the profiles era said "Server not found … search the catalog" of a server that is in the catalog
  test("disabling a server that is not enabled says so in both eras (not success, not \"search the catalog\")", async () => {
    for (const version of ["v0.13.0", "v0.38.0", "v0.43.3"]) {
      const f = fake({ version })
      const d = createToolkitDriver({ env: f.env })
      await d.serverEnable("fetch")
      const err = await toolkitFailure(d.serverDisable("duckduckgo"))
      expect({ version, code: err.code }).toEqual({ version, code: "UNKNOWN_SERVER" })
      expect(err.message).toMatch(/is not enabled|not in the profile/)
      expect(err.message).toContain(`[Toolkit ${version}, `)
      expect(err.remedy).toContain("servers_list")
      expect((await d.serversList()).map((s) => s.name)).toEqual(["fetch"])
      expect(await d.serverDisable("fetch")).toMatchObject({ server: "fetch" })
    }
  })

  test("UNKNOWN_PROFILE for an explicit profile that does not exist (no auto-create)", async () => {
    const f = fake({ version: "v0.43.3" })
    const d = createToolkitDriver({ env: f.env, profile: "ghost" })
    expect((await toolkitFailure(d.serverEnable("duckduckgo"))).code).toBe("UNKNOWN_PROFILE")
    expect((await toolkitFailure(d.profileShow())).code).toBe("UNKNOWN_PROFILE")
    expect(f.argvLog().some((a) => a.includes("create"))).toBe(false)
  })

  test("UNKNOWN_CATALOG for an unpulled OCI catalog", async () => {
    const f = fake({ version: "v0.43.3" })
    expect((await toolkitFailure(createToolkitDriver({ env: f.env }).catalogShow("mcp/other-catalog"))).code).toBe("UNKNOWN_CATALOG")
  })

  test("MISSING_CONFIG when a profile server lacks required config; fixed by config_set", async () => {
    const f = fake({ version: "v0.43.3" })
    const d = createToolkitDriver({ env: f.env })
    await d.serverEnable("filesystem")
    const err = await toolkitFailure(d.toolsList())
    expect(err.code).toBe("MISSING_CONFIG")
    expect(err.message).toContain("Cannot activate profile")
    // the server and the key are on the lines after the first: the message must still name them
    expect(err.message).toContain("missing: filesystem: paths (missing)")
    expect(err.remedy).toContain('config_set with server "filesystem", key "paths"')
    await d.configSet("filesystem", "paths", ["/tmp"])
    expect((await d.toolsList()).map((t) => t.name)).toContain("read_file")
  })

  test("TIMEOUT kills a hanging docker", async () => {
    const f = fake({ version: "v0.43.3", fail: "slow", slowMs: 20_000 })
    const d = createToolkitDriver({ env: f.env, timeoutMs: 1_000 })
    const err = await toolkitFailure(d.serversList())
    expect(err.code).toBe("TIMEOUT")
    expect(err.message).toContain("1000 ms")
  })

  // `docker` runs the plugin as a child sharing our pipes; SIGTERM to `docker` alone left a hung
  // plugin holding them, and the run (and the tool call) waited for it forever despite the timeout
  test("TIMEOUT ends the run when the plugin child ignores SIGTERM and holds the pipes; the plugin is killed", async () => {
    const f = fake({ version: "v0.43.3", fail: "plugin-hang" })
    // room for the fake plugin to start and print before the deadline on a loaded machine (at 1 s it
    // had not printed yet once): the timeout still comes, the plugin never ends by itself
    const d = createToolkitDriver({ env: f.env, timeoutMs: 5_000 })
    const err = await toolkitFailure(d.secretsList())
    expect(err.code).toBe("TIMEOUT")
    expect(err.message).toContain("last output: - Reading profile configuration...")
    const pid = Number(readFileSync(join(f.stateDir, "plugin.pid"), "utf8"))
    // gone or a zombie (PID 1 of a container may not reap it); a SIGKILLed process on a loaded
    // machine may take a moment to be scheduled and die: polled, never ending by itself (it ignores SIGTERM)
    const alive = () => {
      const state = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, "latin1").split(") ")[1]?.[0] : "gone"
      return state !== "gone" && state !== "Z" && state !== "X"
    }
    for (let i = 0; i < 200 && alive(); i++) await Bun.sleep(25)
    expect({ pid, alive: alive() }).toEqual({ pid, alive: false })
  }, 20_000)

  // what a hanging command printed first is the reason the user needs (a registry that does not answer)
  test("TIMEOUT quotes the last thing the command printed on stderr", async () => {
    const f = fake({ version: "v0.43.3" })
    const wrapper = join(f.dir, "bin", "docker")
    const text = await Bun.file(wrapper).text()
    // `version` answered by the wrapper itself (as the fake prints it): under load the fake's own start took most of the 1 s budget
    const hang = `case "$2" in version) echo v0.43.3; exit 0;; *) echo 'Error response from daemon: Get "https://registry-1.docker.io/v2/": net/http: TLS handshake timeout; retrying in 30s' >&2; exec sleep 30;; esac\nexec `
    await Bun.write(wrapper, text.replace("\nexec ", `\n${hang}`))
    const err = await toolkitFailure(createToolkitDriver({ env: f.env, timeoutMs: 1_000 }).serversList())
    expect(err.code).toBe("TIMEOUT")
    expect(err.message).toMatch(/did not finish within 1000 ms \(toolkit\.timeout\); last output: Error response from daemon: .*TLS handshake timeout/)
    expect(err.remedy).toContain("raise toolkit.timeout")
  })

  test("TIMEOUT of a command with the 120 s minimum says the minimum was the budget, not toolkit.timeout", async () => {
    const d = createToolkitDriver({
      timeoutMs: 3_000,
      runner: async (req) =>
        req.args[1] === "version"
          ? { exitCode: 0, stdout: "v0.43.3\n", stderr: "", timedOut: false, durationMs: 1 }
          : { exitCode: 137, stdout: "", stderr: `slow pull (budget ${req.timeoutMs})\n`, timedOut: true, durationMs: 1 },
    })
    const err = await toolkitFailure(d.catalogSearch("web", 3))
    expect(err.code).toBe("TIMEOUT")
    expect(err.message).toContain("did not finish within 120000 ms (the minimum for commands that start servers or pull the catalog, above toolkit.timeout); last output: slow pull (budget 120000)")
    expect(err.remedy).not.toContain("raise toolkit.timeout")
    expect(err.remedy).toContain("at least 120000 ms")
  })

  test("CANCELLED through an AbortSignal", async () => {
    const f = fake({ version: "v0.43.3", fail: "slow", slowMs: 20_000 })
    const d = createToolkitDriver({ env: f.env, timeoutMs: 15_000 })
    await d.status()
    const ac = new AbortController()
    const p = d.secretsList({ signal: ac.signal })
    setTimeout(() => ac.abort(), 300)
    try {
      await p
      throw new Error("expected cancel")
    } catch (e) {
      expect((e as ToolkitError).code).toBe("CANCELLED")
    }
  })

  test("OUTPUT_UNPARSEABLE names command, version, first 200 bytes and the parser-plugin hint", async () => {
    const f = fake({ version: "v0.38.0", fail: "garbage" })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).serversList())
    expect(err.code).toBe("OUTPUT_UNPARSEABLE")
    expect(err.message).toContain("docker mcp server ls --json")
    expect(err.message).toContain("v0.38.0")
    expect(err.message).toContain("garbage output")
    expect(err.remedy).toContain("parser plugin")
    expect(err.details?.head).toBeString()
  })

  test("OBSOLETE_COMMAND triggers a re-probe: profiles switched on after detection", async () => {
    const f = fake({ version: "v0.41.0", profiles: false })
    const d = createToolkitDriver({ env: f.env })
    expect((await d.status()).era).toBe("legacy")
    await d.serverEnable("duckduckgo")
    f.setProfilesFeature(true)
    // legacy `server ls` is now an obsolete stub → re-detect → profiles → `profile server ls`, which
    // (like the first profile command of the real CLI) migrated the enabled server into `default`
    expect((await d.serversList()).map((s) => [s.name, s.profile])).toEqual([["duckduckgo", "default"]])
    expect((await d.status()).era).toBe("profiles")
    const log = f.argvLog().map((a) => a.slice(1, 3).join(" "))
    // detection, the re-detection, and status reading the version again (then probing: v0.41)
    expect(log.filter((x) => x.startsWith("version"))).toHaveLength(3)
    expect(log.at(-1)).toBe("profile list")
  })

  // the other way round: profiles switched off again (v0.28–v0.41) left every call failing with
  // `unknown command "profile"` until the orchestrator was restarted
  test("profiles switched off after detection: `unknown command \"profile\"` triggers a re-probe → legacy", async () => {
    const f = fake({ version: "v0.40.0", profiles: true })
    const d = createToolkitDriver({ env: f.env })
    expect((await d.status()).era).toBe("profiles")
    await d.serverEnable("duckduckgo")
    f.setProfilesFeature(false)
    expect(await d.serversList()).toEqual([])
    expect((await d.status()).era).toBe("legacy")
    expect(await d.serverEnable("fetch")).toEqual({ server: "fetch", era: "legacy", profile: null })
    expect((await d.serversList()).map((s) => s.name)).toEqual(["fetch"])
    const log = f.argvLog().map((a) => a.slice(1, 3).join(" "))
    // detection, the re-detection, and status reading the version again
    expect(log.filter((x) => x.startsWith("version"))).toHaveLength(3)
  })
})

describe("classification with a scripted runner", () => {
  const scripted = (answers: Record<string, Partial<RunResult>>): Runner => async (req) => {
    const key = Object.keys(answers).find((k) => req.args.join(" ").startsWith(k))
    const a = key ? answers[key] : { exitCode: 1, stderr: `unknown command "${req.args[1]}" for "docker mcp"` }
    return { exitCode: 0, stdout: "", stderr: "", timedOut: false, durationMs: 1, ...a }
  }

  test("OBSOLETE_COMMAND surfaces when re-detection still says legacy", async () => {
    const d = createToolkitDriver({
      runner: scripted({
        "mcp version": { stdout: "v0.39.1\n" },
        "mcp server ls": { exitCode: 1, stderr: "This command is obsolete. See `docker mcp profile server ls --help` instead." },
      }),
    })
    const err = await toolkitFailure(d.serversList())
    expect(err.code).toBe("OBSOLETE_COMMAND")
  })

  test("a version probe error is not cached", async () => {
    let up = false
    const runner: Runner = async (req) =>
      up || req.args[1] !== "version"
        ? { exitCode: 0, stdout: req.args[1] === "version" ? "v0.43.0\n" : "[]", stderr: "", timedOut: false, durationMs: 1 }
        : { exitCode: 1, stdout: "", stderr: "Docker Desktop is not running", timedOut: false, durationMs: 1 }
    const d = createToolkitDriver({ runner })
    expect((await toolkitFailure(d.status())).code).toBe("DESKTOP_NOT_RUNNING")
    up = true
    expect((await d.status()).era).toBe("profiles")
  })

  test("exit 125 without a known text is UNKNOWN_FLAG; other failures COMMAND_FAILED", async () => {
    const d1 = createToolkitDriver({ runner: scripted({ "mcp version": { stdout: "v0.20.0" }, "mcp secret": { exitCode: 125, stderr: "bad usage" } }) })
    expect((await toolkitFailure(d1.secretsList())).code).toBe("UNKNOWN_FLAG")
    const d2 = createToolkitDriver({ runner: scripted({ "mcp version": { stdout: "v0.20.0" }, "mcp secret": { exitCode: 3, stderr: "boom" } }) })
    const err = await toolkitFailure(d2.secretsList())
    expect(err.code).toBe("COMMAND_FAILED")
    expect(err.message).toContain("boom")
  })

  test("invalid names are rejected before anything runs", async () => {
    let calls = 0
    const d = createToolkitDriver({ runner: async () => (calls++, { exitCode: 0, stdout: "v0.43.0", stderr: "", timedOut: false, durationMs: 1 }) })
    for (const bad of ["--gateway-arg=--interceptor", "-x", "a,b", "a b", "", "a=b"]) {
      expect((await toolkitFailure(d.serverEnable(bad))).code).toBe("INVALID_NAME")
    }
    expect((await toolkitFailure(d.configSet("fetch", "--x", 1))).code).toBe("INVALID_NAME")
    expect(calls).toBe(0)
  })
})

describe("a JSON command that prints nothing is an error, never an empty list", () => {
  for (const version of ["v0.27.0", "v0.43.3"]) {
    test(`OUTPUT_EMPTY from \`tools ls\` when its gateway fails silently (${version})`, async () => {
      const f = fake({ version, fail: "gateway-fails-silently" })
      const era = version === "v0.43.3" ? "profiles" : "legacy"
      const err = await toolkitFailure(createToolkitDriver({ env: f.env }).toolsList())
      expect(err.code).toBe("OUTPUT_EMPTY")
      expect(err.message).toContain("`docker mcp tools ls --format json`")
      expect(err.message).toContain(`Toolkit ${version}, ${era} era`)
      // the reason from stderr, not the progress lines around it
      expect(err.message).toContain("Can't start duckduckgo: pulling docker image mcp/duckduckgo")
      expect(err.message).not.toContain("Reading profile configuration")
      expect(err.remedy).toContain("docker mcp gateway run")
      expect(err.details).toMatchObject({ command: "docker mcp tools ls --format json", version, era, exitCode: 0 })
    })
  }

  test("the documented failure (exit 1, `starting client: …`) stays COMMAND_FAILED with its text", async () => {
    const f = fake({ version: "v0.43.3", fail: "gateway-fails" })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).toolsList())
    expect(err.code).toBe("COMMAND_FAILED")
    expect(err.message).toContain('starting client: calling "initialize": EOF')
  })

  const scripted = (answers: Record<string, Partial<RunResult>>): Runner => async (req) => {
    const key = Object.keys(answers).find((k) => req.args.join(" ").startsWith(k))
    const a = key ? answers[key] : { exitCode: 1, stderr: `unknown command "${req.args[1]}"` }
    return { exitCode: 0, stdout: "", stderr: "", timedOut: false, durationMs: 1, ...a }
  }

  test("a known reason on stderr is classified (DAEMON_DOWN), still naming the command", async () => {
    const d = createToolkitDriver({ runner: scripted({ "mcp version": { stdout: "v0.43.3\n" }, "mcp secret ls": { stderr: "failed to ping Docker daemon: connection refused\n" } }) })
    const err = await toolkitFailure(d.secretsList())
    expect(err.code).toBe("DAEMON_DOWN")
    expect(err.message).toContain("`docker mcp secret ls --json` printed no output")
  })

  test("every JSON kind: empty stdout is refused; legacy `config read` (raw YAML) may be empty", async () => {
    const d = createToolkitDriver({ runner: scripted({ "mcp version": { stdout: "v0.43.3\n" }, "mcp profile list": { stdout: "[]" }, mcp: { stdout: "\n" } }) })
    for (const call of [() => d.serversList(), () => d.catalogsList(), () => d.catalogShow(), () => d.configGet(), () => d.profileShow(), () => d.secretsList(), () => d.serverInspect("x")]) {
      expect((await toolkitFailure(call())).code).toBe("OUTPUT_EMPTY")
    }
    const legacyD = createToolkitDriver({ runner: scripted({ "mcp version": { stdout: "v0.20.0\n" }, "mcp config read": { stdout: "" } }) })
    expect(await legacyD.configGet()).toEqual({})
  })

  test("an empty era probe is not read as `profiles on`", async () => {
    const d = createToolkitDriver({ runner: scripted({ "mcp version": { stdout: "v0.30.0\n" }, "mcp profile list": { stdout: "", stderr: "" } }) })
    const err = await toolkitFailure(d.status())
    expect(err.code).toBe("OUTPUT_EMPTY")
    expect(err.message).toContain("docker mcp profile list --format json")
  })
})
