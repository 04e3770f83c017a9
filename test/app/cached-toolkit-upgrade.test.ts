/**
 * Every cached Toolkit answer (catalog, inspect, config, secrets, profiles, tools, servers) is keyed by
 * the CLI that gave it: an upgrade between two runs of the orchestrator (the plugin binary replaced,
 * the docker executable swapped, or only the version it prints changed) never serves the old era's
 * answers within their TTL. Real cache (file driver in a temp dir), real driver, the fake docker.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { cachedToolkit, toolkitScope } from "../../src/app/cached-toolkit.ts"
import { createCache } from "../../src/cache/index.ts"
import { ConfigSchema } from "../../src/config/index.ts"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { makeFakeDocker, type FakeDocker } from "../docker/fake.ts"
import { tempDir } from "../helpers/binary.ts"

const fakes: FakeDocker[] = []
afterAll(() => fakes.forEach((f) => f.cleanup()))

/** One run of the orchestrator: a new driver and cache over the same cache directory; every cached read once. */
async function run(f: FakeDocker, dir: string): Promise<{ profiles: string[]; catalogRef: string | undefined }> {
  await using cache = createCache(ConfigSchema.parse({ cache: { dir } }).cache, { maintainEvery: 0 })
  const docker = join(f.dir, "bin", "docker")
  const tk = cachedToolkit(createToolkitDriver({ env: f.env, docker }), cache, toolkitScope(docker, undefined, f.env), f.env)
  const profiles = (await tk.profilesList()).map((p) => p.id)
  const catalog = await tk.catalogShow()
  await tk.catalogsList()
  await tk.secretsList()
  await tk.configGet()
  await tk.serverInspect("duckduckgo")
  await tk.serversList()
  return { profiles, catalogRef: catalog.ref }
}

/** The `docker mcp` commands (not `version`) run since `from`. */
const commandsSince = (f: FakeDocker, from: number): string[] =>
  f
    .argvLog()
    .slice(from)
    .map((a) => a.slice(1, 3).join(" "))
    .filter((c) => c !== "version")

const upgrades: Array<[string, (f: FakeDocker) => void]> = [
  ["the plugin binary replaced (setVersion)", (f) => f.setVersion("v0.43.3")],
  ["only the version it prints changed (no file docker looks at moved)", (f) => writeFileSync(join(f.stateDir, "version"), "v0.43.3\n")],
]

describe("cached Toolkit answers after an upgrade between runs", () => {
  for (const [how, upgrade] of upgrades) {
    test(`legacy v0.24.0 → v0.43.3, ${how}: the second run reads every kind from the new CLI`, async () => {
      const f = makeFakeDocker({ version: "v0.24.0" })
      fakes.push(f)
      const dir = tempDir("mcpo-tk-upgrade-")
      await createToolkitDriver({ env: f.env }).serverEnable("duckduckgo")
      const first = await run(f, dir)
      expect(first.profiles).toEqual([])
      // unchanged: the next run is served from the cache (nothing but `version` runs)
      let mark = f.argvLog().length
      await run(f, dir)
      expect(commandsSince(f, mark)).toEqual([])
      upgrade(f)
      mark = f.argvLog().length
      const second = await run(f, dir)
      // the profiles era's answers: the migrated default profile, the OCI catalog
      expect(second.profiles).toContain("default")
      expect(second.catalogRef).toContain("mcp/docker-mcp-catalog")
      const ran = commandsSince(f, mark)
      for (const c of ["profile list", "catalog show", "catalog list", "secret ls", "profile config", "catalog server", "profile server"]) expect({ c, ran: ran.includes(c) }).toEqual({ c, ran: true })
    }, 60_000)
  }
})
