/**
 * @module test/docker/config-nested.test
 * Nested Toolkit config in the profiles era, as pkg/workingset/config.go (v0.43.3) has it: `--set
 * srv.a.b=v` nests (`{a: {b: v}}`), `--get-all` prints dotted keys, `--get`/`--del` follow the path;
 * and a set under a key that holds no map, which the CLI drops while exiting 0, is refused by the
 * driver instead of answered "Set". Fake docker (faithful to those rules) and the real driver.
 */
import { describe, expect, test } from "bun:test"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { toolkitFailure } from "../helpers/failure.ts"
import { fakeDockers } from "./fake.ts"

const fake = fakeDockers()

function withServer(config: Record<string, unknown>) {
  const f = fake({ version: "v0.43.3" })
  f.writeState({ migrated: true, pulled: true, profiles: { default: { id: "default", name: "Default Profile", servers: [{ name: "duckduckgo", config, tools: null }] } } })
  return f
}

function docker(f: ReturnType<typeof withServer>, ...args: string[]): { out: string; err: string; code: number } {
  const r = Bun.spawnSync(["docker", "mcp", ...args], { env: f.env })
  return { out: r.stdout.toString(), err: r.stderr.toString(), code: r.exitCode }
}

describe("fake docker: profile config as pkg/workingset/config.go", () => {
  test("a dotted --set nests; --get-all flattens; --get and --del follow the path; the set is echoed", () => {
    const f = withServer({})
    expect(docker(f, "profile", "config", "--set", "duckduckgo.auth.username=me", "default")).toEqual({ out: "duckduckgo.auth.username=me\n", err: "", code: 0 })
    const prof = (f.state().profiles as Record<string, { servers: Array<{ config: unknown }> }>).default!
    expect(prof.servers[0]!.config).toEqual({ auth: { username: "me" } })
    expect(JSON.parse(docker(f, "profile", "config", "--get-all", "--format", "json", "default").out)).toEqual({ "duckduckgo.auth.username": "me" })
    expect(docker(f, "profile", "config", "--get", "duckduckgo.auth", "default").out).toBe("duckduckgo.auth=map[username:me]\n")
    docker(f, "profile", "config", "--del", "duckduckgo.auth.username", "default")
    expect((f.state().profiles as Record<string, { servers: Array<{ config: unknown }> }>).default!.servers[0]!.config).toEqual({})
    expect(docker(f, "profile", "config", "--set", "duckduckgo.x=1", "--del", "duckduckgo.x", "default").err).toContain("cannot both delete and set the same config value")
  })

  test("a set under a key holding no map: exit 0, echoed, nothing stored (as the CLI does)", () => {
    const f = withServer({ auth: "plain" })
    expect(docker(f, "profile", "config", "--set", "duckduckgo.auth.username=me", "default")).toEqual({ out: "duckduckgo.auth.username=me\n", err: "", code: 0 })
    expect((f.state().profiles as Record<string, { servers: Array<{ config: unknown }> }>).default!.servers[0]!.config).toEqual({ auth: "plain" })
  })
})

describe("driver: config_set of a nested key (profiles era)", () => {
  test("under a key that holds no map: refused, naming the key and the way out; nothing sent", async () => {
    const f = withServer({ auth: "plain", region: "eu" })
    const d = createToolkitDriver({ env: f.env })
    const err = await toolkitFailure(d.configSet("duckduckgo", "auth.username", "me"))
    expect(err.code).toBe("INVALID_VALUE")
    expect(err.message).toContain("duckduckgo.auth holds a string, not a map")
    expect(err.message).toContain("nothing was sent")
    expect(err.remedy).toContain('key "auth"')
    expect(f.argvLog().some((a) => a.some((x) => x.startsWith("--set=")))).toBe(false)
    // the value it holds is not quoted (it may be a secret)
    expect(err.message).not.toContain("plain")
  })

  test("under a map or a new key: set, nested, and read back as a dotted key", async () => {
    const f = withServer({ auth: { token: "t" } })
    const d = createToolkitDriver({ env: f.env })
    await d.configSet("duckduckgo", "auth.username", "me")
    await d.configSet("duckduckgo", "limits.max", 3)
    expect((f.state().profiles as Record<string, { servers: Array<{ config: unknown }> }>).default!.servers[0]!.config).toEqual({ auth: { token: "t", username: "me" }, limits: { max: 3 } })
    expect(await d.configGet("duckduckgo")).toEqual({ duckduckgo: { "auth.token": "t", "auth.username": "me", "limits.max": 3 } })
  })
})
