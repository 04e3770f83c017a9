/**
 * The Toolkit cache is scoped to the Toolkit it came from: two orchestrators (two editor entries)
 * with different profiles, or a different docker, share the cache directory but never each other's
 * answers. Real cache (file driver in a temp dir), real driver, the fake docker (profiles era).
 */
import { afterAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { cachedToolkit, toolkitScope } from "../../src/app/cached-toolkit.ts"
import { createCache } from "../../src/cache/index.ts"
import { ConfigSchema } from "../../src/config/index.ts"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { makeFakeDocker, type FakeDocker } from "../docker/fake.ts"
import { tempDir } from "../helpers/binary.ts"

const fakes: FakeDocker[] = []
afterAll(() => fakes.forEach((f) => f.cleanup()))

describe("Toolkit cache scope", () => {
  test("the scope differs by profile, docker executable and Docker config; is stable otherwise", () => {
    const env = { PATH: "/usr/bin", HOME: "/home/u" }
    const base = toolkitScope("/opt/docker", "p1", env)
    expect(toolkitScope("/opt/docker", "p1", env)).toBe(base)
    expect(toolkitScope("/opt/docker", "p2", env)).not.toBe(base)
    expect(toolkitScope("/opt/docker", undefined, env)).not.toBe(base)
    expect(toolkitScope("/other/docker", "p1", env)).not.toBe(base)
    expect(toolkitScope("/opt/docker", "p1", { ...env, DOCKER_CONFIG: "/x" })).not.toBe(base)
  })

  test("a server enabled in profile p1 is not reported enabled for p2 from the shared cache, nor the other way round", async () => {
    const f = makeFakeDocker({ version: "v0.43.3" })
    fakes.push(f)
    for (const p of ["p1", "p2"]) expect(Bun.spawnSync(["docker", "mcp", "profile", "create", "--name", p], { env: f.env }).exitCode).toBe(0)
    const dir = tempDir("mcpo-tk-cache-")
    await using cache = createCache(ConfigSchema.parse({ cache: { dir } }).cache, { maintainEvery: 0 })
    const docker = join(f.dir, "bin", "docker")
    const tk = (profile: string) => cachedToolkit(createToolkitDriver({ env: f.env, docker, profile }), cache, toolkitScope(docker, profile, f.env))
    const p1 = tk("p1")
    const p2 = tk("p2")
    expect(await p2.serversList()).toEqual([]) // cached now for p2
    await p1.serverEnable("duckduckgo")
    expect((await p1.serversList()).map((s) => s.name)).toContain("duckduckgo")
    expect((await p2.serversList()).map((s) => s.name)).not.toContain("duckduckgo")
    // p2's own change does not drop what p1 knows, and p1 keeps its server
    await p2.serverEnable("fetch")
    expect((await p2.serversList()).map((s) => s.name)).toEqual(["fetch"])
    expect((await p1.serversList()).map((s) => s.name)).toEqual(["duckduckgo"])
  }, 30_000)
})

describe("Toolkit cache after a change", () => {
  // config_set dropped only the cached config: servers_list kept saying `config: required` (legacy
  // `server ls` reports the setup state) after the value was set, and the model set it again
  test("config_set drops the servers' setup state and the profiles: servers_list reads the new state (legacy, profiles)", async () => {
    for (const version of ["v0.38.0", "v0.43.3"]) {
      const f = makeFakeDocker({ version })
      fakes.push(f)
      const dir = tempDir("mcpo-tk-cache-")
      await using cache = createCache(ConfigSchema.parse({ cache: { dir } }).cache, { maintainEvery: 0 })
      const docker = join(f.dir, "bin", "docker")
      const tk = cachedToolkit(createToolkitDriver({ env: f.env, docker }), cache, toolkitScope(docker, undefined, f.env))
      await tk.serverEnable("filesystem")
      const before = await tk.serversList()
      const profileBefore = version === "v0.43.3" ? await tk.profileShow() : undefined
      await tk.configSet("filesystem", "paths", ["/tmp"])
      const after = await tk.serversList()
      if (version === "v0.38.0") {
        expect({ version, config: before.find((s) => s.name === "filesystem")?.config }).toEqual({ version, config: "required" })
        expect({ version, config: after.find((s) => s.name === "filesystem")?.config }).toEqual({ version, config: "done" })
      } else {
        expect(profileBefore?.servers.find((s) => s.name === "filesystem")?.config ?? {}).toEqual({})
        expect((await tk.profileShow()).servers.find((s) => s.name === "filesystem")?.config).toEqual({ paths: ["/tmp"] })
      }
    }
  }, 60_000)
})
