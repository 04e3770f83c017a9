/**
 * @module test/docker/config-profile.test
 * Toolkit config on a fresh profiles-era install: the implicit `default` profile does not exist
 * until the first server is enabled, and `profile config` on a server the profile does not hold
 * says "server X not found in profile …" (pkg/workingset/config.go). Each case gets its true error:
 * not "set toolkit.profile", not "not in the catalog".
 */
import { afterAll, describe, expect, test } from "bun:test"
import { classifyRun, createToolkitDriver, type RunResult, type Runner } from "../../src/docker/index.ts"
import { toolkitTools } from "../../src/manage/index.ts"
import { toolkitFailure } from "../helpers/failure.ts"
import { makeFakeDocker, type FakeDocker } from "./fake.ts"
import { call } from "./tool-call.ts"

const fakes: FakeDocker[] = []
afterAll(() => fakes.forEach((f) => f.cleanup()))
function fake(version = "v0.43.3"): FakeDocker {
  const f = makeFakeDocker({ version })
  fakes.push(f)
  return f
}


describe("fresh profiles-era install (fake docker v0.43.3, no profile yet)", () => {
  test("config_get for a server: the default profile is not created yet, enable the server first", async () => {
    const f = fake()
    const d = createToolkitDriver({ env: f.env })
    const err = await toolkitFailure(d.configGet("duckduckgo"))
    expect(err.code).toBe("UNKNOWN_PROFILE")
    expect(err.message).toContain("Profile default has not been created yet")
    expect(err.message).toContain("duckduckgo")
    expect(err.remedy).toContain("server_enable")
    expect(err.remedy).not.toContain("toolkit.profile")
    // a read creates nothing
    expect(await d.profilesList()).toEqual([])
  })

  test("config_get of everything: an empty configuration (the gateway reads a missing default profile so)", async () => {
    const d = createToolkitDriver({ env: fake().env })
    expect(await d.configGet()).toEqual({})
    expect(await d.profilesList()).toEqual([])
  })

  test("config_set before any server is enabled: the same, not a catalog error", async () => {
    const d = createToolkitDriver({ env: fake().env })
    const err = await toolkitFailure(d.configSet("duckduckgo", "key", "v"))
    expect(err.code).toBe("UNKNOWN_PROFILE")
    expect(err.message).toContain("not been created yet")
    expect(err.remedy).toContain("server_enable")
  })

  test("config_set on a server not enabled in an existing profile: not in the profile, and how to add it", async () => {
    const d = createToolkitDriver({ env: fake().env })
    await d.serverEnable("fetch") // creates the default profile
    const err = await toolkitFailure(d.configSet("duckduckgo", "key", "v"))
    expect(err.code).toBe("UNKNOWN_SERVER")
    expect(err.message).toContain("Server duckduckgo is not in profile default")
    expect(err.message).not.toContain("catalog")
    expect(err.remedy).toContain("server_enable")
    // once enabled, the same call works
    await d.serverEnable("duckduckgo")
    await d.configSet("duckduckgo", "key", "v")
    expect(await d.configGet("duckduckgo")).toEqual({ duckduckgo: { key: "v" } })
  })

  test("an explicit profile that does not exist is still UNKNOWN_PROFILE with the toolkit.profile remedy", async () => {
    const d = createToolkitDriver({ env: fake().env, profile: "dev" })
    const err = await toolkitFailure(d.configGet("duckduckgo"))
    expect(err.code).toBe("UNKNOWN_PROFILE")
    expect(err.message).toContain("Profile dev does not exist")
    expect(err.remedy).toContain("toolkit.profile")
  })

  test("the MCP tools answer with those texts", async () => {
    const tools = toolkitTools(createToolkitDriver({ env: fake().env }))
    const got = await call(tools, "config_get", { server: "duckduckgo" })
    expect(got.isError).toBe(true)
    expect(got.text).toContain("[UNKNOWN_PROFILE] Profile default has not been created yet")
    expect(got.text).not.toContain("set toolkit.profile")
    await call(tools, "server_enable", { name: "fetch" })
    const set = await call(tools, "config_set", { server: "duckduckgo", key: "k", value: 1 })
    expect(set.isError).toBe(true)
    expect(set.text).toContain("[UNKNOWN_SERVER] Server duckduckgo is not in profile default")
    expect(set.text).not.toContain("not in the catalog")
  })
})

describe("classification of the CLI's texts", () => {
  const run = (stderr: string): RunResult => ({ exitCode: 1, stdout: "", stderr, timedOut: false, durationMs: 1 })

  test("'not found in profile' (real CLI and fake) is not a catalog miss; 'not found in catalog' still is", () => {
    for (const text of ["server duckduckgo not found in profile for argument duckduckgo.key=v", "server duckduckgo not found in profile default", "server duckduckgo not found in profile"]) {
      const e = classifyRun(["mcp", "profile", "config"], run(text), 1000)!
      expect([text, e.code]).toEqual([text, "UNKNOWN_SERVER"])
      expect(e.message).toContain("Server duckduckgo is not in the profile")
      expect(e.message).not.toContain("catalog")
      expect(e.remedy).toContain("server_enable")
    }
    const c = classifyRun(["mcp", "server", "enable"], run('server "nosuch" not found in catalog'), 1000)!
    expect(c.message).toContain("Server nosuch is not in the catalog")
  })

  test("the value of a --set the CLI repeats in its error is not quoted back (it may be a secret)", () => {
    const e = classifyRun(["mcp", "profile", "config"], run("server gh not found in profile for argument gh.token=hunter2 and more"), 1000)!
    expect(JSON.stringify(e.toJSON())).not.toContain("hunter2")
    expect(e.message).toContain("gh.token=…")
  })

  test("real CLI (scripted): config_set on a server missing from the profile names the driver's profile", async () => {
    const runner: Runner = async (req) => {
      const a = req.args.join(" ")
      if (a === "mcp version") return { exitCode: 0, stdout: "v0.43.3\n", stderr: "", timedOut: false, durationMs: 1 }
      return run(`server duckduckgo not found in profile for argument ${a.includes("--set=") ? "duckduckgo.key=1" : "x"}`)
    }
    const err = await toolkitFailure(createToolkitDriver({ runner, profile: "work" }).configSet("duckduckgo", "key", 1))
    expect(err.code).toBe("UNKNOWN_SERVER")
    expect(err.message).toContain("Server duckduckgo is not in profile work")
  })
})
