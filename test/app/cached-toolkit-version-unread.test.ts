/**
 * Cached Toolkit answers are keyed by the CLI's version (app/cached-toolkit). When `docker mcp
 * version` cannot be read (a deleted docker context, a broken plugin, Docker Desktop restarting),
 * the version read last for that CLI keys them: in this process (the driver's last read), and in a
 * new one (kept in the cache per CLI stamp, app/toolkit-cli-version). Before, the key was `unread`,
 * matched nothing, and the call ran (or failed) instead of serving the cached answer. Also: a cold
 * call runs `docker mcp version` once, shared by the cache key and the era detection.
 * Real cache (file driver in a temp dir), real driver, the fake docker (its `version` alone broken).
 */
import { describe, expect, test } from "bun:test"
import { join } from "node:path"
import { cachedToolkit, toolkitScope } from "../../src/app/cached-toolkit.ts"
import { createCache } from "../../src/cache/index.ts"
import { ConfigSchema } from "../../src/config/index.ts"
import { createToolkitDriver, type ToolkitDriver } from "../../src/docker/index.ts"
import { fakeDockers, type FakeDocker } from "../docker/fake.ts"
import { tempDir } from "../helpers/binary.ts"

const fake = fakeDockers()

/** Every cached read once; what they answered (comparable between runs). */
async function readAll(tk: ToolkitDriver): Promise<unknown[]> {
  return [
    (await tk.profilesList()).map((p) => p.id),
    (await tk.catalogShow()).servers.length,
    (await tk.catalogsList()).length,
    (await tk.secretsList()).length,
    Object.keys(await tk.configGet()),
    (await tk.serverInspect("duckduckgo")).name,
    (await tk.serversList()).map((s) => s.name),
  ]
}

/** A run of the orchestrator: its own driver and cache over the cache directory `dir`. */
function open(f: FakeDocker, dir: string, versionTtlMs?: number) {
  const cache = createCache(ConfigSchema.parse({ cache: { dir } }).cache, { maintainEvery: 0 })
  const docker = join(f.dir, "bin", "docker")
  const tk = cachedToolkit(createToolkitDriver({ env: f.env, docker, ...(versionTtlMs !== undefined ? { versionTtlMs } : {}) }), cache, toolkitScope(docker, undefined, f.env), f.env)
  return { cache, tk }
}

/** The `docker mcp` commands run since `from`, `version` apart or alone. */
const since = (f: FakeDocker, from: number) => {
  const all = f.argvLog().slice(from).map((a) => a.slice(1, 3).join(" "))
  return { others: all.filter((c) => c !== "version"), versions: all.filter((c) => c === "version").length }
}

describe("cached Toolkit answers when `docker mcp version` fails", () => {
  for (const version of ["v0.24.0", "v0.43.3"]) {
    test(`${version}: the answers cached for the CLI are served, in the same process and in a new one`, async () => {
      const f = fake({ version })
      const dir = tempDir("mcpo-tk-unread-")
      await createToolkitDriver({ env: f.env }).serverEnable("duckduckgo")
      // the version trusted 1 ms: each cached read asks `docker mcp version` again
      const first = open(f, dir, 1)
      const answers = await readAll(first.tk)
      f.breakVersion()
      let mark = f.argvLog().length
      await Bun.sleep(5)
      expect(await readAll(first.tk)).toEqual(answers)
      // served from the cache: the version was tried (and failed), nothing else ran
      expect(since(f, mark).others).toEqual([])
      expect(since(f, mark).versions).toBeGreaterThan(0)
      await first.cache.flush()
      await first.cache[Symbol.asyncDispose]()
      // a new process, the version still unreadable: the version read last for this CLI keys them
      mark = f.argvLog().length
      const second = open(f, dir)
      expect(await readAll(second.tk)).toEqual(answers)
      expect(since(f, mark).others).toEqual([])
      await second.cache[Symbol.asyncDispose]()
      // the version readable again: the same answers, still from the cache
      f.breakVersion(false)
      mark = f.argvLog().length
      const third = open(f, dir)
      expect(await readAll(third.tk)).toEqual(answers)
      expect(since(f, mark).others).toEqual([])
      await third.cache[Symbol.asyncDispose]()
    }, 90_000)
  }

  test("the plugin replaced since: a version unread is not the old CLI's (its answers are not served)", async () => {
    const f = fake({ version: "v0.24.0" })
    const dir = tempDir("mcpo-tk-unread-")
    const first = open(f, dir)
    await first.tk.secretsList()
    await first.cache[Symbol.asyncDispose]()
    f.setVersion("v0.43.3")
    f.breakVersion()
    const second = open(f, dir)
    // no version read for this plugin binary: the call goes to the CLI, which fails saying why
    // (the legacy answer is never served for the new CLI)
    await expect(second.tk.secretsList()).rejects.toThrow()
    await second.cache[Symbol.asyncDispose]()
  }, 60_000)

  test("a cold call runs `docker mcp version` once (the cache key and the era detection share it)", async () => {
    for (const version of ["v0.24.0", "v0.43.3"]) {
      const f = fake({ version })
      const { cache, tk } = open(f, tempDir("mcpo-tk-unread-"))
      const mark = f.argvLog().length
      await tk.secretsList()
      expect({ version, runs: since(f, mark).versions }).toEqual({ version, runs: 1 })
      await cache[Symbol.asyncDispose]()
    }
  }, 60_000)
})
