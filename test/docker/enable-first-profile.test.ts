/**
 * The first server_enable in the profiles era (the implicit `default` profile not created yet): the
 * profile is created holding the server (`profile create --server=catalog://…`, v0.29 on), and
 * Docker's catalog is read once. Before, v0.43.3 ran `profile server add` twice (refused for the
 * missing profile, then again after `profile create`) and `catalog show` twice (server_enable's
 * lookup of the name, then the driver's). v0.28, whose `create` takes no catalog:// URI, keeps
 * create-then-add. The fake docker counts each subcommand; the real driver, cache and Toolkit tools.
 */
import { describe, expect, test } from "bun:test"
import { join } from "node:path"
import { cachedToolkit, toolkitScope } from "../../src/app/cached-toolkit.ts"
import { createCache } from "../../src/cache/index.ts"
import { ConfigSchema } from "../../src/config/index.ts"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { tempDir } from "../helpers/binary.ts"
import { toolkitTools } from "../../src/manage/index.ts"
import { fakeDockers, type FakeDocker } from "./fake.ts"
import { call } from "./tool-call.ts"

const fake = fakeDockers()

/** How often each `docker mcp` subcommand ran since `from` (flags left out). */
function counts(f: FakeDocker, from: number): Record<string, number> {
  const out: Record<string, number> = {}
  for (const a of f.argvLog().slice(from)) {
    const k = a.slice(1).filter((x) => !x.startsWith("-")).slice(0, 3).join(" ")
    out[k] = (out[k] ?? 0) + 1
  }
  return out
}

describe("the first enable of the profiles era", () => {
  for (const o of [{ version: "v0.43.3" }, { version: "v0.35.0", profiles: true }, { version: "v0.29.0", profiles: true }]) {
    test(`${o.version}: server_enable creates the profile holding the server; add, create and catalog show run once each`, async () => {
      const f = fake(o)
      // as the orchestrator wires it: the Toolkit tools over the cached driver
      const docker = join(f.dir, "bin", "docker")
      await using cache = createCache(ConfigSchema.parse({ cache: { dir: tempDir("mcpo-tk-enable-") } }).cache, { maintainEvery: 0 })
      const driver = cachedToolkit(createToolkitDriver({ env: f.env, docker }), cache, toolkitScope(docker, undefined, f.env), f.env)
      const tools = toolkitTools(driver)
      await driver.status()
      const mark = f.argvLog().length
      const r = await call(tools, "server_enable", { name: "duckduckgo" })
      expect(r.isError).toBeFalsy()
      const c = counts(f, mark)
      expect({ add: c["profile server add"], create: c["profile create"], show: (c["catalog show json"] ?? 0) + (c["catalog-next show json"] ?? 0) }).toEqual({ add: 1, create: 1, show: 1 })
      expect((await driver.serversList()).map((s) => s.name)).toEqual(["duckduckgo"])
    }, 60_000)
  }

  test("the driver alone, the catalog not pulled: an unknown name creates nothing; a known one is created holding it", async () => {
    const f = fake({ version: "v0.43.3" })
    const driver = createToolkitDriver({ env: f.env })
    await expect(driver.serverEnable("no-such-server")).rejects.toThrow(/nothing was changed/)
    expect(await driver.profilesList()).toEqual([])
    const mark = f.argvLog().length
    await driver.serverEnable("time")
    expect(counts(f, mark)["profile server add"]).toBe(1)
    expect((await driver.serversList()).map((s) => s.name)).toEqual(["time"])
  }, 60_000)

  test("v0.28 (no catalog:// in create): created, then added", async () => {
    const f = fake({ version: "v0.28.0", profiles: true })
    const driver = createToolkitDriver({ env: f.env })
    await driver.serverEnable("duckduckgo")
    expect((await driver.serversList()).map((s) => s.name)).toEqual(["duckduckgo"])
    expect(f.argvLog().filter((a) => a[2] === "create").map((a) => a.some((x) => x.startsWith("--server")))).toEqual([false])
  }, 60_000)
})
