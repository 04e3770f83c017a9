/**
 * @module test/app/toolkit-drift.test
 * One unreadable `docker mcp version` (`unknown`, the era probed) is drift of one read, not another
 * CLI: the driver keeps the known version when the probe agrees on the era (no change: no gateway
 * restart, nothing dropped), and the cached Toolkit answers stay on disk until a detection with a
 * real version says the CLI differs. Another real version drops them. Real cache (file driver),
 * real driver, the fake docker.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { cachedToolkit, toolkitScope } from "../../src/app/cached-toolkit.ts"
import { cliDriftJudge } from "../../src/app/toolkit-drift.ts"
import { createCache } from "../../src/cache/index.ts"
import { ConfigSchema } from "../../src/config/index.ts"
import { createToolkitDriver, type ToolkitChange } from "../../src/docker/index.ts"
import { makeFakeDocker, type FakeDocker } from "../docker/fake.ts"
import { tempDir } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

const fakes: FakeDocker[] = []
afterAll(() => fakes.forEach((f) => f.cleanup()))

describe("cached Toolkit answers across a version read that drifts", () => {
  const setup = async (version: string, profiles?: boolean) => {
    const f = makeFakeDocker({ version, ...(profiles !== undefined ? { profiles } : {}) })
    fakes.push(f)
    const dir = tempDir("mcpo-tk-drift-")
    const cache = createCache(ConfigSchema.parse({ cache: { dir } }).cache, { maintainEvery: 0 })
    const docker = join(f.dir, "bin", "docker")
    const scope = toolkitScope(docker, undefined, f.env)
    const tk = cachedToolkit(createToolkitDriver({ env: f.env, docker }), cache, scope, f.env)
    const heard: ToolkitChange[] = []
    const second: ToolkitChange[] = []
    tk.onEraChange((c) => heard.push(c))
    tk.onEraChange((c) => second.push(c))
    await tk.secretsList()
    // the entry as stored by this CLI (keys end with the CLI's identity, app/cached-toolkit)
    const keys = cache.seenKeys("secrets", `${scope}/all@`)
    expect(keys).toHaveLength(1)
    const cached = async (): Promise<boolean> => (await cache.peek("secrets", keys[0]!.key)) !== undefined
    expect(await cached()).toBe(true)
    return { f, cache, tk, heard, second, cached }
  }

  test("`unknown` once (the probe agreeing on the era) is no change: the known version stays, nothing dropped, no listener told; another real version drops", async () => {
    const { f, cache, tk, heard, second, cached } = await setup("v0.43.3")
    await using _ = cache
    expect(await tk.status()).toMatchObject({ version: "v0.43.3", era: "profiles" })
    f.setOutput("version", { stdout: "docker-mcp (devel)\n" })
    expect(await tk.recheck()).toMatchObject({ version: "v0.43.3", era: "profiles" })
    f.setOutput(undefined)
    expect(await tk.recheck()).toMatchObject({ version: "v0.43.3", era: "profiles" })
    expect(heard).toHaveLength(0)
    expect(await cached()).toBe(true)
    // an upgrade in place: another real version, its answers are another CLI's (each listener told once)
    f.setVersion("v0.44.0")
    expect(await tk.recheck()).toMatchObject({ version: "v0.44.0" })
    await waitFor("the upgrade heard", () => heard.length === 1 && second.length === 1, 20_000)
    expect(await cached()).toBe(false)
  }, 60_000)

  test("`unknown` with another era (profiles switched off meanwhile) keeps the cache until a real version says which CLI it is", async () => {
    const { f, cache, tk, heard, cached } = await setup("v0.35.0", true)
    await using _ = cache
    expect(await tk.status()).toMatchObject({ version: "v0.35.0", era: "profiles" })
    f.setOutput("version", { stdout: "docker-mcp (devel)\n" })
    f.setProfilesFeature(false)
    expect(await tk.recheck()).toMatchObject({ version: "unknown", era: "legacy" })
    await waitFor("the change to unknown heard", () => heard.length === 1, 20_000)
    expect(await cached()).toBe(true)
    // the real version again, profiles on again: answers read meanwhile may be the legacy era's
    f.setOutput(undefined)
    f.setProfilesFeature(true)
    expect(await tk.recheck()).toMatchObject({ version: "v0.35.0", era: "profiles" })
    await waitFor("the change back heard", () => heard.length === 2, 20_000)
    expect(await cached()).toBe(false)
  }, 60_000)
})

describe("cliDriftJudge", () => {
  const at = (version: string, era: "legacy" | "profiles") => ({ version, era, generation: era === "legacy" ? ("A" as const) : ("C" as const), profile: null })
  const change = (from: ReturnType<typeof at>, to: ReturnType<typeof at>): ToolkitChange => ({ from, to, reason: "test" })

  test("unknown never drops; back to the same real CLI does not; a real version or era that differs does", () => {
    const judge = cliDriftJudge()
    expect(judge(change(at("v0.43.3", "profiles"), at("unknown", "profiles")))).toBe(false)
    expect(judge(change(at("unknown", "profiles"), at("v0.43.3", "profiles")))).toBe(false)
    expect(judge(change(at("v0.43.3", "profiles"), at("v0.44.0", "profiles")))).toBe(true)
    expect(judge(change(at("v0.44.0", "profiles"), at("v0.44.0", "legacy")))).toBe(true)
  })

  test("an unknown read with another era (a failed probe read as legacy) drops at the next real detection: answers read meanwhile are that era's", () => {
    const judge = cliDriftJudge()
    expect(judge(change(at("v0.35.0", "profiles"), at("unknown", "legacy")))).toBe(false)
    expect(judge(change(at("unknown", "legacy"), at("v0.35.0", "profiles")))).toBe(true)
    // the first detection of the process was unknown: nothing real to differ from, only its era
    const fresh = cliDriftJudge()
    expect(fresh(change(at("unknown", "profiles"), at("v0.43.3", "profiles")))).toBe(false)
    const freshLegacy = cliDriftJudge()
    expect(freshLegacy(change(at("unknown", "legacy"), at("v0.43.3", "profiles")))).toBe(true)
  })
})
