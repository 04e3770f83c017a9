/**
 * A `docker mcp version` that prints no readable version (a garbled pipe, a notice alone: `unknown`)
 * keys the cached Toolkit answers by the version read last for that CLI (its stamp: plugin binary,
 * docker config), as a failed read does (app/toolkit-cli-version). Before, such a read keyed its
 * call by the literal `unknown`: the answers cached under the real version missed (the call ran
 * the CLI again), and the `unknown` read was stored as the CLI's version, so a later failed read
 * served nothing either. A CLI whose version no read ever gave keeps `unknown` keyed by its stamp:
 * another plugin binary never shares its entries.
 * Real cache (file driver in a temp dir), real driver, the fake docker (`version` printing garbage).
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

async function readAll(tk: ToolkitDriver): Promise<unknown[]> {
  return [(await tk.catalogShow()).servers.length, (await tk.secretsList()).length, Object.keys(await tk.configGet()), (await tk.serversList()).map((s) => s.name)]
}

function open(f: FakeDocker, dir: string, versionTtlMs?: number) {
  const cache = createCache(ConfigSchema.parse({ cache: { dir } }).cache, { maintainEvery: 0 })
  const docker = join(f.dir, "bin", "docker")
  const tk = cachedToolkit(createToolkitDriver({ env: f.env, docker, ...(versionTtlMs !== undefined ? { versionTtlMs } : {}) }), cache, toolkitScope(docker, undefined, f.env), f.env)
  return { cache, tk }
}

/** The `docker mcp` commands run since `from`, other than `version`. */
const others = (f: FakeDocker, from: number) =>
  f
    .argvLog()
    .slice(from)
    .map((a) => a.slice(1, 3).join(" "))
    .filter((c) => c !== "version")

const GARBLED = "\u001b[2K\r\n"

describe("cached Toolkit answers when `docker mcp version` prints no readable version", () => {
  for (const version of ["v0.24.0", "v0.43.3"]) {
    test(`${version}: a garbled read serves the answers cached for the CLI's real version, in this process and the next`, async () => {
      const f = fake({ version })
      const dir = tempDir("mcpo-tk-garbled-")
      await createToolkitDriver({ env: f.env }).serverEnable("duckduckgo")
      const first = open(f, dir, 1)
      const answers = await readAll(first.tk)
      f.setOutput("version", { stdout: GARBLED })
      let mark = f.argvLog().length
      await Bun.sleep(5)
      expect(await readAll(first.tk)).toEqual(answers)
      expect(others(f, mark)).toEqual([])
      await first.cache.flush()
      await first.cache[Symbol.asyncDispose]()
      // a new process: still garbled, then failing outright: the real version read last keys them
      mark = f.argvLog().length
      const second = open(f, dir)
      expect(await readAll(second.tk)).toEqual(answers)
      await second.cache.flush()
      await second.cache[Symbol.asyncDispose]()
      f.setOutput(undefined)
      f.breakVersion()
      const third = open(f, dir)
      expect(await readAll(third.tk)).toEqual(answers)
      expect(others(f, mark)).toEqual([])
      await third.cache[Symbol.asyncDispose]()
    }, 90_000)
  }

  test("a plugin replaced while its version is garbled is not the old CLI (its answers are not served)", async () => {
    const f = fake({ version: "v0.43.3" })
    const dir = tempDir("mcpo-tk-garbled-")
    f.setOutput("version", { stdout: GARBLED })
    const first = open(f, dir)
    await first.tk.secretsList()
    await first.cache.flush()
    await first.cache[Symbol.asyncDispose]()
    // an upgrade in place that prints garbage too: another stamp, so another key
    f.setVersion("v0.43.3")
    const mark = f.argvLog().length
    const second = open(f, dir)
    await second.tk.secretsList()
    expect(others(f, mark)).toContain("secret ls")
    await second.cache[Symbol.asyncDispose]()
  }, 60_000)
})
