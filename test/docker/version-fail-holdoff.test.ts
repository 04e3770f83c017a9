/**
 * A `docker mcp version` that fails (exit 1, a panic) is not run again on every Toolkit call: it is
 * held off for the same CLI (its files: docker/cli-stamp) a short time, the calls meanwhile failing
 * with its error and saying so (toolkit_status too); the plugin replaced (an upgrade in place) is
 * read at once. Before, every call ran `docker mcp version` again, twice (the cache key and the era
 * check), and a timing-out one held each call for the whole timeout.
 * Real driver (and cached driver), the fake docker with its `version` broken.
 */
import { describe, expect, test } from "bun:test"
import { join } from "node:path"
import { cachedToolkit, toolkitScope } from "../../src/app/cached-toolkit.ts"
import { createCache } from "../../src/cache/index.ts"
import { ConfigSchema } from "../../src/config/index.ts"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { fakeDockers, type FakeDocker } from "./fake.ts"
import { tempDir } from "../helpers/binary.ts"

const fake = fakeDockers()

const versions = (f: FakeDocker, from: number) => f.argvLog().slice(from).filter((a) => a[1] === "version").length

const PANIC = "panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation]\n\ngoroutine 1 [running]:\nmain.main()\n"

describe("a failing `docker mcp version` is held off", () => {
  for (const broken of [true, PANIC]) {
    test(`${broken === true ? "exit 1" : "a panic"}: five calls run it once, each says it is held off; an upgrade in place reads it at once`, async () => {
      const f = fake({ version: "v0.43.3" })
      f.breakVersion(broken)
      const driver = createToolkitDriver({ env: f.env, docker: join(f.dir, "bin", "docker") })
      const mark = f.argvLog().length
      const errors: string[] = []
      for (let i = 0; i < 5; i++) errors.push(await driver.secretsList().then(() => "ok", (e: Error) => e.message))
      expect(versions(f, mark)).toBe(1)
      expect(errors.every((e) => e !== "ok")).toBe(true)
      expect(errors.slice(1).every((e) => /is not run again for \d+ s/.test(e))).toBe(true)
      // toolkit_status (status) says so too, without running it
      await expect(driver.status()).rejects.toThrow(/docker mcp version` failed \d+ s ago/)
      expect(versions(f, mark)).toBe(1)
      // the plugin replaced by an upgrade (and working): read at once, not after the hold-off
      f.breakVersion(false)
      f.setVersion("v0.43.3")
      expect((await driver.secretsList()).length).toBeGreaterThanOrEqual(0)
      expect(versions(f, mark)).toBe(2)
    }, 60_000)
  }

  test("the era known, the version read after its TTL fails: the cached answers are served and the version is run once, not per call", async () => {
    const f = fake({ version: "v0.43.3" })
    const dir = tempDir("mcpo-tk-hold-")
    const cache = createCache(ConfigSchema.parse({ cache: { dir } }).cache, { maintainEvery: 0 })
    const docker = join(f.dir, "bin", "docker")
    const tk = cachedToolkit(createToolkitDriver({ env: f.env, docker, versionTtlMs: 1 }), cache, toolkitScope(docker, undefined, f.env), f.env)
    const first = (await tk.secretsList()).length
    f.breakVersion()
    await Bun.sleep(5)
    const mark = f.argvLog().length
    for (let i = 0; i < 5; i++) expect((await tk.secretsList()).length).toBe(first)
    expect(versions(f, mark)).toBe(1)
    await cache[Symbol.asyncDispose]()
  }, 60_000)

  test("after the hold-off it is read again (versionHoldMs)", async () => {
    const f = fake({ version: "v0.43.3" })
    f.breakVersion()
    const driver = createToolkitDriver({ env: f.env, docker: join(f.dir, "bin", "docker"), versionHoldMs: 300 })
    await expect(driver.secretsList()).rejects.toThrow()
    f.breakVersion(false)
    await Bun.sleep(1_000)
    expect(Array.isArray(await driver.secretsList())).toBe(true)
  }, 60_000)
})
