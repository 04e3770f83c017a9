/**
 * The Docker Toolkit changed between two starts (`docker mcp server enable/disable`, `profile server
 * add/remove`, run by the user with the same HOME while no orchestrator runs): the next start's FIRST
 * tools/list holds the new set of docker__ tools. Cursor lists once per session and ignores
 * list_changed, so a stored first answer (app/tool-snapshot, the early face's index) from before the
 * change, or a cached enabled set (cache.ttl.servers), would leave the Toolkit's tools wrong for the
 * whole session. A start with nothing changed is still answered from the stored answer by the early
 * face (the "ready" log line's earlyList). Compiled binary, SDK Client, the fake docker (which writes
 * ~/.docker/mcp as the real CLI does: test/fixtures/fake-docker-lib/state.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { makeFakeDocker, type FakeDocker } from "../docker/fake.ts"
import { connectBinary, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"
import { MEMORY } from "../proxy/helpers.ts"

beforeAll(ensureBuilt, 120_000)

const fakes: FakeDocker[] = []
afterAll(() => {
  for (const f of fakes) f.cleanup()
})

const ERAS = [
  {
    version: "v0.43.3",
    enable: ["mcp", "profile", "server", "add", "default", "--server", "catalog://mcp/docker-mcp-catalog:latest/duckduckgo"],
    disable: ["mcp", "profile", "server", "remove", "default", "duckduckgo"],
    // a profile `default` with nothing in it yet, the catalog pulled (docker mcp catalog pull)
    state: { migrated: true, pulled: true, profiles: { default: { id: "default", name: "Default Profile", servers: [] } } },
  },
  { version: "v0.27.0", enable: ["mcp", "server", "enable", "duckduckgo"], disable: ["mcp", "server", "disable", "duckduckgo"], state: {} },
]

/**
 * Another CLI reads the same state files: the profiles flag turned on (`docker mcp feature enable
 * profiles`, v0.28–v0.41: the enabled servers are then the profile's, not registry.yaml's), or the
 * plugin upgraded into the profiles era. Neither touches ~/.docker/mcp: the docker config and the
 * plugin binary are what changed. A profile `default` left empty from an earlier try of profiles,
 * a legacy server enabled since: before the switch the first answer has docker__echo, after it none.
 */
const SWITCHES = [
  { name: "docker mcp feature enable profiles", version: "v0.41.0", change: (_f: FakeDocker, cli: (a: string[]) => void) => cli(["mcp", "feature", "enable", "profiles"]) },
  { name: "an upgrade of the docker-mcp plugin from v0.27.0 to v0.43.3", version: "v0.27.0", change: (f: FakeDocker) => f.setVersion("v0.43.3") },
]

for (const sw of SWITCHES) {
  describe(`the Toolkit CLI changed between two starts: ${sw.name}`, () => {
    test("the next start's first answer is the new CLI's set of docker__ tools, not the stored one", async () => {
      const fake = makeFakeDocker({ version: sw.version, profiles: false })
      fakes.push(fake)
      fake.writeState({ enabled: ["duckduckgo"], migrated: true, pulled: true, profiles: { default: { id: "default", name: "Default Profile", servers: [] } } })
      const env = sandboxEnv({ PATH: `${fake.env.PATH!}:${process.env.PATH ?? ""}`, DOCKER_CONFIG: fake.env.DOCKER_CONFIG! })
      const config = join(env.HOME!, "config.yaml")
      writeFileSync(config, `toolkit: { enabled: "on" }\nservers:\n  memory: { command: node, args: [${JSON.stringify(MEMORY)}] }\n`)
      const cli = (argv: string[]): void => {
        const r = Bun.spawnSync(["docker", ...argv], { env, stdout: "pipe", stderr: "pipe" })
        expect(r.exitCode, r.stderr.toString()).toBe(0)
      }
      const before = await firstAnswer(["serve", "--config", config], env)
      expect(before.docker).toContain("docker__echo")
      const again = await firstAnswer(["serve", "--config", config], env)
      expect(again.early).toBe(true)
      expect(again.docker).toContain("docker__echo")

      sw.change(fake, cli)
      const after = await firstAnswer(["serve", "--config", config], env)
      expect(after.early).toBe(false)
      expect(after.docker).toEqual([])
    }, 240_000)
  })
}

/** One session as Cursor has it: the first tools/list only; whether the early face answered it. */
async function firstAnswer(args: string[], env: Record<string, string>): Promise<{ docker: string[]; early: boolean }> {
  const c = await connectBinary(args, env)
  try {
    const names = (await c.client.listTools(undefined, { timeout: 60_000 })).tools.map((t) => t.name)
    for (let i = 0; i < 300 && !c.stderr().includes('"msg":"ready"'); i++) await Bun.sleep(20)
    const ready = c.stderr().split("\n").find((l) => l.includes('"msg":"ready"')) ?? ""
    // the run stores its answer once the Toolkit was probed (complete): asked again until it has the gateway decided
    for (let i = 0; i < 300 && !/toolkit gateway (session started|not needed)/.test(c.stderr()); i++) await Bun.sleep(50)
    return { docker: names.filter((n) => n.startsWith("docker__")), early: ready.includes('"earlyList":true') }
  } finally {
    await c.close()
  }
}

for (const era of ERAS) {
  describe(`the Toolkit changed between two starts (fake docker ${era.version})`, () => {
    let env: Record<string, string>
    let args: string[]
    beforeAll(() => {
      const fake = makeFakeDocker({ version: era.version })
      fakes.push(fake)
      fake.writeState(era.state)
      // one editor's restarts: the same HOME (the Toolkit's ~/.docker/mcp, our cache and snapshot)
      env = sandboxEnv({ PATH: `${fake.env.PATH!}:${process.env.PATH ?? ""}`, DOCKER_CONFIG: fake.env.DOCKER_CONFIG! })
      const config = join(env.HOME!, "config.yaml")
      writeFileSync(config, `toolkit: { enabled: "on" }\nservers:\n  memory: { command: node, args: [${JSON.stringify(MEMORY)}] }\n`)
      args = ["serve", "--config", config]
    })

    /** The user's own `docker mcp …`, with the editor's HOME. */
    const cli = (argv: string[]): void => {
      const r = Bun.spawnSync(["docker", ...argv], { env, stdout: "pipe", stderr: "pipe" })
      expect(r.exitCode, r.stderr.toString()).toBe(0)
    }

    const session = (): Promise<{ docker: string[]; early: boolean }> => firstAnswer(args, env)

    test("enable, then disable, between starts: each first answer holds the Toolkit's tools as they are now; unchanged: from the stored answer", async () => {
      const none = await session()
      expect(none.docker).toEqual([])
      // nothing changed: answered from the stored answer, before anything is probed
      const again = await session()
      expect(again.early).toBe(true)
      expect(again.docker).toEqual([])

      cli(era.enable)
      const enabled = await session()
      expect(enabled.early).toBe(false)
      expect(enabled.docker).toContain("docker__echo")
      const enabledAgain = await session()
      expect(enabledAgain.early).toBe(true)
      expect(enabledAgain.docker).toContain("docker__echo")

      cli(era.disable)
      const disabled = await session()
      expect(disabled.docker).toEqual([])
    }, 240_000)
  })
}
