/**
 * @module test/app/toolkit-drift.test
 * One unreadable `docker mcp version` (the driver reads `unknown`, the era probed) is drift of one
 * read, not another CLI: the cached Toolkit answers stay on disk, and the next detection back to
 * the real version drops nothing either. Another real version drops them. Real cache (file driver),
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
  test("`unknown` once and back keeps the cache (and each listener hears of each change once); another real version drops it", async () => {
    const f = makeFakeDocker({ version: "v0.43.3" })
    fakes.push(f)
    const dir = tempDir("mcpo-tk-drift-")
    await using cache = createCache(ConfigSchema.parse({ cache: { dir } }).cache, { maintainEvery: 0 })
    const docker = join(f.dir, "bin", "docker")
    const scope = toolkitScope(docker, undefined, f.env)
    const tk = cachedToolkit(createToolkitDriver({ env: f.env, docker }), cache, scope)
    const heard: ToolkitChange[] = []
    const second: ToolkitChange[] = []
    tk.onEraChange((c) => heard.push(c))
    tk.onEraChange((c) => second.push(c))
    expect(await tk.status()).toMatchObject({ version: "v0.43.3", era: "profiles" })
    await tk.secretsList()
    const cached = async (): Promise<boolean> => (await cache.peek("secrets", `${scope}/all`)) !== undefined
    expect(await cached()).toBe(true)

    // one unreadable `docker mcp version`: the driver says `unknown` (the era probed: profiles)
    f.setOutput("version", { stdout: "docker-mcp (devel)\n" })
    expect(await tk.recheck()).toMatchObject({ version: "unknown", era: "profiles" })
    await waitFor("the change to unknown heard", () => heard.length === 1 && second.length === 1, 20_000)
    expect(await cached()).toBe(true)

    // back to the real version: the same CLI as before, nothing dropped
    f.setOutput(undefined)
    expect(await tk.recheck()).toMatchObject({ version: "v0.43.3" })
    await waitFor("the change back heard", () => heard.length === 2 && second.length === 2, 20_000)
    expect(await cached()).toBe(true)

    // an upgrade in place: another real version, its answers are another CLI's
    f.setVersion("v0.44.0")
    expect(await tk.recheck()).toMatchObject({ version: "v0.44.0" })
    await waitFor("the upgrade heard", () => heard.length === 3, 20_000)
    expect(await cached()).toBe(false)
    expect(second).toHaveLength(3)
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
