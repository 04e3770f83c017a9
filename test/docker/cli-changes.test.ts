/**
 * @module test/docker/cli-changes.test
 * The CLI changing under a running driver, and what the CLI cannot say, against the fake docker:
 * an in-place Toolkit upgrade or downgrade (the version is checked again: by toolkit status, after a
 * failure that suggests another CLI, after a TTL), era-change listeners, a command that floods
 * stderr but succeeds, and server names holding a dot (profiles-era `--set srv.key=val` splits at
 * the first dot).
 */
import { describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { createToolkitDriver, type ToolkitChange } from "../../src/docker/index.ts"
import { toolkitFailure } from "../helpers/failure.ts"
import { fakeDockers, type FakeDocker } from "./fake.ts"

const fake = fakeDockers()

describe("an in-place Toolkit upgrade is noticed", () => {
  test("status reads the version again: an upgrade within one era shows, and listeners hear of it", async () => {
    const f = fake({ version: "v0.43.0" })
    const d = createToolkitDriver({ env: f.env })
    expect(await d.status()).toEqual({ era: "profiles", generation: "C", version: "v0.43.0", profile: "default" })
    const changes: ToolkitChange[] = []
    d.onEraChange((c) => void changes.push(c))
    f.setVersion("v0.43.3")
    expect(await d.status()).toEqual({ era: "profiles", generation: "C", version: "v0.43.3", profile: "default" })
    expect(changes.map((c) => [c.from.version, c.to.version])).toEqual([["v0.43.0", "v0.43.3"]])
    // a second status with nothing changed tells nobody
    await d.status()
    expect(changes).toHaveLength(1)
  })

  test("with a version TTL, any operation re-checks: v0.35 → v0.36 inspect uses `catalog server inspect` (readme) from then on", async () => {
    const f = fake({ version: "v0.35.0", profiles: true })
    const d = createToolkitDriver({ env: f.env, versionTtlMs: 0 })
    // before v0.36 the entry comes from `catalog show`, which has no readme text
    expect((await d.serverInspect("duckduckgo")).readme).toBe("")
    f.setVersion("v0.36.0")
    expect((await d.serverInspect("duckduckgo")).readme).toContain("DuckDuckGo")
    expect(f.argvLog().some((a) => a.slice(1, 5).join(" ") === "catalog-next server inspect --format")).toBe(true)
  })

  test("a failure that suggests another CLI re-checks the version at once (no TTL): downgrade v0.36 → v0.35", async () => {
    const f = fake({ version: "v0.36.0", profiles: true })
    const d = createToolkitDriver({ env: f.env })
    expect((await d.serverInspect("duckduckgo")).readme).toContain("DuckDuckGo")
    f.setVersion("v0.35.0")
    // `catalog-next server inspect` is an unknown command on v0.35: the version is read again, and the
    // operation runs once more the way v0.35 does it
    const info = await d.serverInspect("duckduckgo")
    expect(info.tools.map((t) => t.name)).toEqual(["search", "fetch_content"])
    expect((await d.status()).version).toBe("v0.35.0")
  })

  test("a failure that is not about the CLI does not re-run the version check", async () => {
    const f = fake({ version: "v0.43.3" })
    const d = createToolkitDriver({ env: f.env })
    await d.status()
    const before = f.argvLog().filter((a) => a[1] === "version").length
    expect((await toolkitFailure(d.serverEnable("no-such-server"))).code).toBe("UNKNOWN_SERVER")
    expect(f.argvLog().filter((a) => a[1] === "version").length).toBe(before)
  })

  test("an era change found by a failing command (profiles switched off) reaches the listeners, with the new gateway spec", async () => {
    const f = fake({ version: "v0.40.0", profiles: true })
    const d = createToolkitDriver({ env: f.env })
    const changes: ToolkitChange[] = []
    d.onEraChange((c) => void changes.push(c))
    expect((await d.gatewayLaunchSpec()).args).toEqual(["mcp", "gateway", "run", "--profile", "default", "--long-lived"])
    f.setProfilesFeature(false)
    expect(await d.serversList()).toEqual([])
    expect(changes.map((c) => [c.from.era, c.to.era])).toEqual([["profiles", "legacy"]])
    expect((await d.gatewayLaunchSpec()).args).toEqual(["mcp", "gateway", "run", "--long-lived"])
    // and the way back
    f.setProfilesFeature(true)
    expect((await d.recheck()).era).toBe("profiles")
    expect(changes.map((c) => [c.from.era, c.to.era])).toEqual([["profiles", "legacy"], ["legacy", "profiles"]])
  })
})

describe("stderr does not bound a command", () => {
  for (const version of ["v0.27.0", "v0.43.3"]) {
    test(`${version}: a command printing over 1 MiB on stderr still succeeds`, async () => {
      const f = fake({ version, fail: "stderr-flood" })
      const d = createToolkitDriver({ env: f.env, timeoutMs: 20_000 })
      expect(await d.secretsList()).toEqual([{ name: "github.personal_access_token", provider: "docker-pass" }])
      expect((await d.status()).version).toBe(version)
    }, 30_000)
  }

  test("a failing command after a flood of stderr is classified by its last words (the tail is kept)", async () => {
    const f = fake({ version: "v0.43.3", fail: "stderr-flood,pass-missing" })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env, timeoutMs: 20_000 }).secretsList())
    expect(err.code).toBe("PASS_MISSING")
  }, 30_000)
})

describe("server names holding a dot (profiles era: `--set <server>.<key>=<value>` splits at the first dot)", () => {
  /** Profile `default` with servers `time` and `time.zone` (a custom catalog may name a server so), only the latter configured. */
  function dottedProfile(): FakeDocker {
    const f = fake({ version: "v0.43.3" })
    const server = (name: string, config: Record<string, unknown>) => ({ name, config, tools: null })
    writeFileSync(
      join(f.stateDir, "state.json"),
      JSON.stringify({
        enabled: [],
        configYaml: "",
        pulled: true,
        migrated: true,
        secrets: [],
        profiles: { default: { id: "default", name: "default", servers: [server("time", {}), server("time.zone", { key: "v" })] } },
      }),
    )
    return f
  }

  test("config_set of a dotted server is refused before anything is sent, naming the server and why", async () => {
    const f = dottedProfile()
    const d = createToolkitDriver({ env: f.env })
    // `--set=time.zone.key=1` is key `zone.key` of server `time` to the CLI
    const err = await toolkitFailure(d.configSet("time.zone", "key", 1))
    expect(err.code).toBe("INVALID_NAME")
    expect(err.message).toContain('"time.zone"')
    expect(err.message).toContain("first dot")
    expect(err.message).toContain('key "zone.key" of server "time"')
    expect(f.argvLog().some((a) => a.some((x) => x.startsWith("--set")))).toBe(false)
    expect(await d.configGet("time")).toEqual({ time: {} })
    // a name without a dot is still set as before, and read back under its own name
    await d.configSet("time", "tz", "UTC")
    expect(await d.configGet("time")).toEqual({ time: { tz: "UTC" } })
  })

  test("config_get places `--get-all` keys by the profile's server names, not by the first dot", async () => {
    const f = dottedProfile()
    const d = createToolkitDriver({ env: f.env })
    // `--get-all` prints `time.zone.key`: here that is server `time.zone`, key `key`
    expect(await d.configGet("time.zone")).toEqual({ "time.zone": { key: "v" } })
    expect(await d.configGet("time")).toEqual({ time: {} })
    expect(await d.configGet()).toEqual({ "time.zone": { key: "v" } })
  })

  test("nested keys of a plain server stay as they were (one server fits)", async () => {
    const f = fake({ version: "v0.43.3" })
    const d = createToolkitDriver({ env: f.env })
    await d.serverEnable("filesystem")
    await d.configSet("filesystem", "auth.username", "me")
    expect(await d.configGet("filesystem")).toEqual({ filesystem: { "auth.username": "me" } })
  })

  test("the legacy era writes a dotted server under its canonical key (dots become _), as the CLI does", async () => {
    const f = fake({ version: "v0.27.0" })
    const d = createToolkitDriver({ env: f.env })
    await d.configSet("my.srv", "key", "v")
    expect(await d.configGet("my.srv")).toEqual({ "my.srv": { key: "v" } })
  })
})
