/**
 * Docker's engine not up yet when serve starts (Docker Desktop closed, or still booting after login):
 * the Toolkit sync the first tools/list waits on does not wait for it (the driver's 1+2+4 s of
 * DAEMON_DOWN retries held every such start's first answer for as long); it fails at the first
 * refusal, and one more sync, with the driver's waits, follows in the background and takes the
 * Toolkit up when the engine appears. Compiled binary, SDK Client, the fake docker whose engine
 * answers from its second command on (FAKE_DOCKER_DOWN_RUNS).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { makeFakeDocker, type FakeDocker } from "../docker/fake.ts"
import { connectBinary, ensureBuilt, resultText, sandboxEnv } from "../helpers/binary.ts"
import { MEMORY } from "../proxy/helpers.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const fakes: FakeDocker[] = []
afterAll(() => {
  for (const f of fakes) f.cleanup()
})

describe("the Docker engine comes up after serve started", () => {
  test("the start's sync does not wait for it; a background sync reads the Toolkit once it answers", async () => {
    const fake = makeFakeDocker({ version: "v0.43.3", fail: "daemon-down", downRuns: 1 })
    fakes.push(fake)
    fake.writeState({ migrated: true, pulled: true, profiles: { default: { id: "default", name: "Default Profile", servers: [] } } })
    const env = sandboxEnv({ PATH: `${fake.env.PATH!}:${process.env.PATH ?? ""}`, DOCKER_CONFIG: fake.env.DOCKER_CONFIG! })
    const config = join(env.HOME!, "config.yaml")
    writeFileSync(config, `toolkit: { enabled: "auto" }\nservers:\n  memory: { command: node, args: [${JSON.stringify(MEMORY)}] }\n`)
    const c = await connectBinary(["serve", "--config", config], env)
    try {
      const names = (await c.client.listTools()).tools.map((t) => t.name)
      expect(names.some((n) => n.startsWith("memory__"))).toBe(true)
      // the sync the first answer waited on failed at the first refusal (not after the driver's
      // 1+2+4 s of waits); the one that follows at once, with those waits, reads the enabled servers
      const again = await waitFor("the sync after Docker came up", () => c.stderr().split("\n").find((l) => l.includes("again, once Docker is up") && !l.includes("sync failed")), 30_000)
      expect(again).toContain("no server enabled")
      const lines = c.stderr().split("\n")
      const failed = lines.findIndex((l) => l.includes("toolkit gateway sync failed") && l.includes("in the background"))
      expect(failed).toBeGreaterThanOrEqual(0)
      expect(lines.findIndex((l) => l === again)).toBeGreaterThan(failed)
      expect(lines[failed]).toContain("Cannot connect to the Docker daemon")
    } finally {
      await c.close()
    }
  }, 60_000)

  // Docker Desktop opened minutes after the editor: the one background sync (the driver's 1+2+4 s
  // of waits) was over long before, and the Toolkit's servers never appeared until a restart. Each
  // kind of "Docker is not up" (engine socket missing; Desktop closed, as macOS words it).
  for (const fail of ["daemon-down", "desktop-not-running"]) {
    test(`${fail}: Docker comes up well after the start; the Toolkit's tools appear without a restart, and the wait is quiet`, async () => {
      const fake = makeFakeDocker({ version: "v0.43.3", fail })
      fakes.push(fake)
      fake.writeState({ migrated: true, pulled: true, profiles: { default: { id: "default", name: "Default Profile", servers: [{ name: "duckduckgo", config: {}, tools: null }] } } })
      const env = sandboxEnv({ PATH: `${fake.env.PATH!}:${process.env.PATH ?? ""}`, DOCKER_CONFIG: fake.env.DOCKER_CONFIG! })
      const config = join(env.HOME!, "config.yaml")
      writeFileSync(config, `toolkit: { enabled: "auto" }\nservers:\n  memory: { command: node, args: [${JSON.stringify(MEMORY)}] }\n`)
      const c = await connectBinary(["serve", "--config", config], env)
      try {
        const first = (await c.client.listTools()).tools.map((t) => t.name)
        expect(first.some((n) => n.startsWith("memory__"))).toBe(true)
        expect(first.some((n) => n.startsWith("docker__"))).toBe(false)
        const reads = (): number => fake.argvLog().filter((a) => a.join(" ").includes("profile server ls")).length
        // Docker stays down past the driver's own waits (1+2+4 s) and a few background tries
        const start = performance.now()
        await waitFor("a few tries while Docker is down", () => reads() >= 3 && performance.now() - start > 12_000, 60_000, 200)
        fake.engineUp()
        // a client that never lists again reaches them through search_tools and call_tool
        const found = await waitFor(
          "the Toolkit's tools after Docker came up",
          async () => {
            const text = resultText(await c.client.callTool({ name: "search_tools", arguments: { query: "echo" } }))
            return text.includes("docker__echo") && text
          },
          90_000,
          500,
        )
        expect(found).toContain("docker__echo")
        const r = await c.client.callTool({ name: "call_tool", arguments: { name: "docker__echo", arguments: { message: "up" } } })
        expect(resultText(r)).toContain("up")
        expect((await c.client.listTools()).tools.map((t) => t.name)).toContain("docker__echo")
        const lines = c.stderr().split("\n")
        // one warning when it failed and one line when Docker came up: not one per try
        expect(lines.filter((l) => l.includes("toolkit gateway sync failed")).length).toBe(1)
        expect(lines.filter((l) => l.includes("Docker came up")).length).toBe(1)
      } finally {
        await c.close()
      }
    }, 180_000)
  }
})

