/**
 * The Toolkit gateway follows the CLI when it changes under a running orchestrator: real proxy and
 * pool, the cached driver and ToolkitGateway as the orchestrator wires them, the fake `docker` (its
 * `gateway run` starts server-everything; a legacy-era CLI refuses `--profile` with exit 125).
 * Profiles switched off (v0.28–v0.41) ⇒ the session is started again without `--profile`, at a quiet
 * moment (a call in flight finishes first); a gateway that fails to restart with the old argv makes
 * the driver look again. And the way back (profiles switched on).
 */
import { afterAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { cachedToolkit, toolkitScope } from "../../src/app/cached-toolkit.ts"
import { GATEWAY_SERVER_NAME, ToolkitGateway } from "../../src/app/toolkit-gateway.ts"
import { createCache } from "../../src/cache/index.ts"
import { ConfigSchema } from "../../src/config/index.ts"
import { silentLogger } from "../../src/core/index.ts"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { createProxy } from "../../src/proxy/index.ts"
import { makeFakeDocker, type FakeDocker } from "../docker/fake.ts"
import { tempDir } from "../helpers/binary.ts"
import { config, ctx, groupMembers, until } from "../proxy/helpers.ts"

const fakes: FakeDocker[] = []
afterAll(() => fakes.forEach((f) => f.cleanup()))

const PROFILE_ARGS = ["mcp", "gateway", "run", "--profile", "default", "--long-lived"]
const LEGACY_ARGS = ["mcp", "gateway", "run", "--long-lived"]

/** v0.40.0 with profiles on: profile `default` holds duckduckgo; the legacy files have fetch enabled. */
function fakeToolkit(profilesOn: boolean): FakeDocker {
  const f = makeFakeDocker({ version: "v0.40.0", profiles: profilesOn })
  fakes.push(f)
  writeFileSync(
    join(f.stateDir, "state.json"),
    JSON.stringify({
      enabled: ["fetch"],
      configYaml: "",
      pulled: true,
      migrated: true,
      secrets: [],
      profiles: { default: { id: "default", name: "Default Profile", servers: [{ name: "duckduckgo", config: {}, tools: null }] } },
    }),
  )
  return f
}

async function setup(f: FakeDocker) {
  const cache = createCache(ConfigSchema.parse({ cache: { dir: tempDir("mcpo-tk-era-") } }).cache, { maintainEvery: 0 })
  const docker = join(f.dir, "bin", "docker")
  const toolkit = cachedToolkit(createToolkitDriver({ env: f.env, docker, log: silentLogger }), cache, toolkitScope(docker, undefined, f.env))
  let gateway: ToolkitGateway | undefined
  const proxy = createProxy({ config: config({}), log: silentLogger, closeGraceMs: 500, onServerState: (s, st) => gateway?.sessionState(s, st) })
  gateway = new ToolkitGateway(proxy, toolkit, silentLogger)
  await toolkit.status()
  await gateway.sync("start")
  const args = (): string[] | undefined => (proxy.pool.get(GATEWAY_SERVER_NAME)?.def.spec as { args?: string[] } | undefined)?.args
  const gatewayRuns = (): string[][] => f.argvLog().filter((a) => a.slice(0, 3).join(" ") === "mcp gateway run")
  return {
    toolkit,
    proxy,
    gateway,
    args,
    gatewayRuns,
    async [Symbol.asyncDispose]() {
      await gateway![Symbol.asyncDispose]()
      await proxy[Symbol.asyncDispose]()
      await cache[Symbol.asyncDispose]()
    },
  }
}

describe("the Toolkit gateway follows a change of the CLI", () => {
  test("profiles switched off: status says legacy, and the gateway runs again without --profile after the call in flight ended", async () => {
    const f = fakeToolkit(true)
    await using t = await setup(f)
    expect(t.args()).toEqual(PROFILE_ARGS)
    expect(await until(async () => (await t.proxy.listTools()).some((x) => x.name === "docker__echo"), 15_000)).toBe(true)

    // a call in flight on the running gateway when the change is found
    const call = t.proxy.callTool("docker__trigger-long-running-operation", { duration: 2, steps: 2 }, ctx())
    expect(await until(() => (t.proxy.pool.get(GATEWAY_SERVER_NAME)?.limiter.inFlight ?? 0) > 0, 10_000)).toBe(true)

    f.setProfilesFeature(false)
    // toolkit_status: the same version, so whether profiles are on is probed again
    expect(await t.toolkit.status()).toEqual({ era: "legacy", generation: "A", version: "v0.40.0", profile: null })
    // the call was not cut by the restart: it ran to its end on the old gateway
    const r = await call
    expect(r.isError).toBeFalsy()
    expect(JSON.stringify(r.content)).toContain("completed")

    expect(await until(() => JSON.stringify(t.args()) === JSON.stringify(LEGACY_ARGS), 15_000)).toBe(true)
    await t.gateway.settled()
    expect(await until(() => JSON.stringify(t.gatewayRuns().at(-1)) === JSON.stringify(LEGACY_ARGS), 15_000)).toBe(true)
    // the new session serves (a legacy CLI would refuse the old argv with exit 125)
    expect(await t.proxy.callTool("docker__echo", { message: "after the switch" }, ctx())).toEqual({ content: [{ type: "text", text: "Echo: after the switch" }] })
  }, 60_000)

  test("a gateway that fails to start again with the old argv makes the driver look again: restarted with the new spec", async () => {
    const f = fakeToolkit(true)
    await using t = await setup(f)
    expect(await until(async () => (await t.proxy.listTools()).some((x) => x.name === "docker__echo"), 15_000)).toBe(true)
    // profiles off, and nothing asks the driver; then the gateway process dies
    f.setProfilesFeature(false)
    const pid = t.proxy.pool.get(GATEWAY_SERVER_NAME)!.pid!
    for (const p of groupMembers(pid)) process.kill(p, "SIGKILL")
    // the next call restarts it with `--profile` (exit 125), which makes the driver re-detect
    await t.proxy.callTool("docker__echo", { message: "x" }, ctx()).catch(() => undefined)
    expect(await until(() => JSON.stringify(t.args()) === JSON.stringify(LEGACY_ARGS), 20_000)).toBe(true)
    await t.gateway.settled()
    expect(await until(async () => (await t.proxy.callTool("docker__echo", { message: "back" }, ctx()).catch(() => ({ content: [] }))).content.length > 0, 15_000)).toBe(true)
    expect((await t.toolkit.status()).era).toBe("legacy")
  }, 60_000)

  test("profiles switched on: the gateway starts again with --profile", async () => {
    const f = fakeToolkit(false)
    await using t = await setup(f)
    expect(t.args()).toEqual(LEGACY_ARGS)
    f.setProfilesFeature(true)
    expect((await t.toolkit.status()).era).toBe("profiles")
    expect(await until(() => JSON.stringify(t.args()) === JSON.stringify(PROFILE_ARGS), 15_000)).toBe(true)
    await t.gateway.settled()
    expect(await until(() => JSON.stringify(t.gatewayRuns().at(-1)) === JSON.stringify(PROFILE_ARGS), 15_000)).toBe(true)
    expect(await until(async () => (await t.proxy.listTools()).some((x) => x.name === "docker__echo"), 15_000)).toBe(true)
  }, 60_000)
})
