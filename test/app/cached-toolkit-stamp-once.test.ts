/**
 * One cached Toolkit read stamps the CLI's files once (app/cached-toolkit): the cache key and the
 * version memo (app/toolkit-cli-version) both come from that stamp. Before, each computed its own:
 * every cached read stat'ed each plugin directory's `docker-mcp` twice and read the docker config
 * twice. Counted on the real `statSync` (a spy on node:fs), real cache and driver, the fake docker.
 */
import { afterEach, expect, spyOn, test } from "bun:test"
import * as fs from "node:fs"
import { join } from "node:path"
import { cachedToolkit, toolkitScope } from "../../src/app/cached-toolkit.ts"
import { toolkitCliStamps } from "../../src/app/toolkit-files.ts"
import { createCache } from "../../src/cache/index.ts"
import { ConfigSchema } from "../../src/config/index.ts"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { fakeDockers } from "../docker/fake.ts"
import { tempDir } from "../helpers/binary.ts"

const fake = fakeDockers()
const spies: { mockRestore(): void }[] = []
afterEach(() => {
  for (const s of spies.splice(0)) s.mockRestore()
})

test("a cached read stats each of the CLI's files once, not once for the key and again for the version memo", async () => {
  const f = fake({ version: "v0.43.3" })
  const cache = createCache(ConfigSchema.parse({ cache: { dir: tempDir("mcpo-tk-stamp-") } }).cache, { maintainEvery: 0 })
  const docker = join(f.dir, "bin", "docker")
  const tk = cachedToolkit(createToolkitDriver({ env: f.env, docker }), cache, toolkitScope(docker, undefined, f.env), f.env)
  await tk.profilesList() // cold: the CLI ran, the answer cached
  const pluginFiles = toolkitCliStamps(f.env).length - 1 // the docker config, then each plugin dir's docker-mcp
  const stat = spyOn(fs, "statSync")
  spies.push(stat)
  for (let i = 1; i <= 3; i++) {
    await tk.profilesList()
    const plugins = stat.mock.calls.filter(([p]) => String(p).endsWith(`${"/"}docker-mcp`)).length
    expect({ read: i, plugins }).toEqual({ read: i, plugins: i * pluginFiles })
  }
})
