/**
 * The Toolkit path end to end through the built binary, with the fake `docker` on PATH (it answers
 * `docker mcp gateway run …` by starting the real server-everything on stdio):
 * server_enable → gateway session → its tools appear (list_changed) → call → server_disable →
 * tools gone and the gateway session closed (its process exits). Run for a legacy and a profiles era.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { makeFakeDocker, type FakeDocker } from "../docker/fake.ts"
import { childrenOf, connectBinary, ensureBuilt, isAlive, sandboxEnv, type Connected } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = performance.now() + ms
  for (;;) {
    const v = await fn()
    if (v !== undefined) return v
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`)
    await Bun.sleep(50)
  }
}

/** All descendants of pid (children, grandchildren…). */
function descendants(pid: number): number[] {
  const out: number[] = []
  for (const c of childrenOf(pid)) out.push(c, ...descendants(c))
  return out
}

for (const era of [{ version: "v0.26.0", profiles: undefined }, { version: "v0.43.3", profiles: undefined }]) {
  describe(`toolkit gateway workflow (fake docker ${era.version})`, () => {
    let fake: FakeDocker
    let c: Connected
    let listChanged = 0

    beforeAll(async () => {
      fake = makeFakeDocker({ version: era.version })
      const env = sandboxEnv({ PATH: fake.env.PATH!, DOCKER_CONFIG: fake.env.DOCKER_CONFIG! })
      c = await connectBinary(["serve"], env)
      c.client.setNotificationHandler(ToolListChangedNotificationSchema, () => void listChanged++)
    }, 30_000)
    afterAll(async () => {
      await c?.close()
      fake?.cleanup()
    })

    const text = (r: unknown): string => JSON.stringify((r as { content?: unknown }).content)
    const dockerTools = async (): Promise<string[]> => (await c.client.listTools()).tools.map((t) => t.name).filter((n) => n.startsWith("docker__"))

    test("no gateway and no docker__ tools while nothing is enabled", async () => {
      const st = await until("toolkit probe", async () => {
        const r = await c.client.callTool({ name: "orchestrator_status", arguments: {} })
        const tk = (r.structuredContent as { toolkit: { state: string } | null }).toolkit
        return tk && tk.state !== "probing" ? tk : undefined
      })
      expect(st.state).toBe("available")
      expect(await dockerTools()).toEqual([])
    }, 30_000)

    test("server_enable starts the gateway session; its tools appear with list_changed; a call goes through it", async () => {
      const before = listChanged
      const r = await c.client.callTool({ name: "server_enable", arguments: { name: "duckduckgo" } })
      expect(r.isError).toBeFalsy()
      // a client like Cursor does not poll: it waits for list_changed, then lists
      await until("list_changed", async () => (listChanged > before ? true : undefined))
      const tools = await dockerTools()
      expect(tools).toContain("docker__echo")
      const call = await c.client.callTool({ name: "docker__echo", arguments: { message: "via the gateway" } })
      expect(call.isError).toBeFalsy()
      expect(text(call)).toContain("via the gateway")
      const gw = fake.argvLog().find((a) => a[0] === "mcp" && a[1] === "gateway" && a[2] === "run")
      expect(gw).toBeDefined()
    }, 30_000)

    test("server_disable of the last server removes the tools and closes the gateway session", async () => {
      const before = descendants(c.pid!)
      expect(before.length).toBeGreaterThan(0)
      const changes = listChanged
      const r = await c.client.callTool({ name: "server_disable", arguments: { name: "duckduckgo" } })
      expect(r.isError).toBeFalsy()
      await until("list_changed", async () => (listChanged > changes ? true : undefined))
      expect(await dockerTools()).toEqual([])
      await until("gateway process exit", async () => (before.every((p) => !isAlive(p)) ? true : undefined), 10_000)
      const st = await c.client.callTool({ name: "orchestrator_status", arguments: {} })
      expect((st.structuredContent as { servers: Array<{ name: string }> }).servers.map((s) => s.name)).not.toContain("docker")
    }, 30_000)
  })
}
