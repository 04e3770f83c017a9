/**
 * The built binary follows the Toolkit CLI changing while it runs (fake `docker` on PATH, v0.40.0):
 * profiles switched off ⇒ toolkit_status and orchestrator_status say `legacy`, and the gateway
 * session runs again with the legacy launch spec (no `--profile`, which a legacy CLI refuses with
 * exit 125), its tools served. Then an in-place upgrade (v0.40.0 → v0.43.3, profiles always on) ⇒
 * the status says the new version and the gateway runs with `--profile` again.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { makeFakeDocker, type FakeDocker } from "../docker/fake.ts"
import { connectBinary, ensureBuilt, sandboxEnv, type Connected } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = performance.now() + ms
  for (;;) {
    const v = await fn()
    if (v !== undefined) return v
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`)
    await Bun.sleep(100)
  }
}

const PROFILE_ARGS = ["mcp", "gateway", "run", "--profile", "default", "--long-lived"]
const LEGACY_ARGS = ["mcp", "gateway", "run", "--long-lived"]

describe("the orchestrator follows the Toolkit CLI changing under it", () => {
  let fake: FakeDocker
  let c: Connected

  beforeAll(async () => {
    fake = makeFakeDocker({ version: "v0.40.0", profiles: true })
    // profile `default` holds duckduckgo; the legacy files have fetch enabled
    writeFileSync(
      join(fake.stateDir, "state.json"),
      JSON.stringify({
        enabled: ["fetch"],
        configYaml: "",
        pulled: true,
        migrated: true,
        secrets: [],
        profiles: { default: { id: "default", name: "Default Profile", servers: [{ name: "duckduckgo", config: {}, tools: null }] } },
      }),
    )
    c = await connectBinary(["serve"], sandboxEnv({ PATH: fake.env.PATH!, DOCKER_CONFIG: fake.env.DOCKER_CONFIG! }))
  }, 30_000)
  afterAll(async () => {
    await c?.close()
    fake?.cleanup()
  })

  const toolkitOfStatus = async (): Promise<Record<string, unknown> | null> => {
    const r = await c.client.callTool({ name: "orchestrator_status", arguments: {} })
    return (r.structuredContent as { toolkit: Record<string, unknown> | null }).toolkit
  }
  const lastGatewayRun = (): string[] | undefined => fake.argvLog().filter((a) => a.slice(0, 3).join(" ") === "mcp gateway run").at(-1)
  const echo = async (message: string): Promise<string | undefined> => {
    const r = await c.client.callTool({ name: "docker__echo", arguments: { message } })
    return r.isError ? undefined : JSON.stringify(r.content)
  }

  test("profiles on: the gateway runs with --profile", async () => {
    await until("toolkit probe", async () => ((await toolkitOfStatus())?.state === "available" ? true : undefined))
    await until("docker__echo", () => echo("first"))
    expect(lastGatewayRun()).toEqual(PROFILE_ARGS)
    expect(await toolkitOfStatus()).toMatchObject({ era: "profiles", generation: "B", version: "v0.40.0", gateway: "running" })
  }, 60_000)

  test("profiles switched off: status says legacy and the gateway runs again without --profile", async () => {
    fake.setProfilesFeature(false)
    const r = await c.client.callTool({ name: "toolkit_status", arguments: {} })
    expect(r.structuredContent).toMatchObject({ available: true, era: "legacy", generation: "A", version: "v0.40.0", profile: null })
    await until("orchestrator_status era", async () => ((await toolkitOfStatus())?.era === "legacy" ? true : undefined))
    await until("legacy gateway run", async () => (JSON.stringify(lastGatewayRun()) === JSON.stringify(LEGACY_ARGS) ? true : undefined))
    expect(await until("docker__echo after the switch", () => echo("after the switch"))).toContain("after the switch")
  }, 60_000)

  test("an in-place upgrade to v0.43.3: status says the new version and the gateway runs with --profile again", async () => {
    fake.setVersion("v0.43.3")
    const r = await c.client.callTool({ name: "toolkit_status", arguments: {} })
    expect(r.structuredContent).toMatchObject({ available: true, era: "profiles", generation: "C", version: "v0.43.3", profile: "default" })
    await until("orchestrator_status version", async () => ((await toolkitOfStatus())?.version === "v0.43.3" ? true : undefined))
    expect(await toolkitOfStatus()).toMatchObject({ era: "profiles", generation: "C" })
    await until("profiles gateway run", async () => (JSON.stringify(lastGatewayRun()) === JSON.stringify(PROFILE_ARGS) ? true : undefined))
    expect(await until("docker__echo after the upgrade", () => echo("after the upgrade"))).toContain("after the upgrade")
  }, 60_000)
})
