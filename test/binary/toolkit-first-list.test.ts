/**
 * The Toolkit gateway's tools in the first tools/list, as Cursor sees them (it lists once, right
 * after initialize, and ignores list_changed): with a Toolkit server enabled, every start's first
 * answer holds the `docker__` tools — cold (nothing stored) and warm (the early face's stored
 * answer) alike; and after server_disable answers, the tools are gone from the list at once and
 * from the next start's first answer. Fake docker on PATH (it runs server-everything as the gateway).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { makeFakeDocker, type FakeDocker } from "../docker/fake.ts"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"
import { MEMORY } from "../proxy/helpers.ts"

beforeAll(ensureBuilt, 120_000)

for (const version of ["v0.43.3", "v0.27.0"]) {
  describe(`first tools/list with a Toolkit server enabled (fake docker ${version})`, () => {
    let fake: FakeDocker
    let env: Record<string, string>
    let args: string[]
    beforeAll(() => {
      fake = makeFakeDocker({ version })
      // the same HOME (cache, snapshot) for every start, as one editor's restarts
      env = sandboxEnv({ PATH: `${fake.env.PATH!}:${process.env.PATH ?? ""}`, DOCKER_CONFIG: fake.env.DOCKER_CONFIG! })
      // a configured server besides the Toolkit (it lists long before the Toolkit is probed)
      const config = join(env.HOME!, "config.yaml")
      writeFileSync(config, `toolkit: { enabled: "on" }\nservers:\n  memory: { command: node, args: [${JSON.stringify(MEMORY)}] }\n`)
      args = ["serve", "--config", config]
    })
    afterAll(() => fake?.cleanup())

    const firstList = async (): Promise<string[]> => {
      const c = await connectBinary(args, env)
      try {
        return (await c.client.listTools()).tools.map((t) => t.name).filter((n) => n.startsWith("docker__"))
      } finally {
        await c.close()
      }
    }

    test("every start's first answer holds the docker__ tools (5 starts: cold, then warm)", async () => {
      const c = await connectBinary(args, env)
      try {
        expect((await c.client.callTool({ name: "server_enable", arguments: { name: "duckduckgo" } })).isError).toBeFalsy()
        // the enable answers once the gateway was added: listed, its tools are there
        let tools: string[] = []
        for (let i = 0; i < 100 && !tools.includes("docker__echo"); i++) {
          tools = (await c.client.listTools()).tools.map((t) => t.name)
          if (!tools.includes("docker__echo")) await Bun.sleep(100)
        }
        expect(tools).toContain("docker__echo")
      } finally {
        await c.close()
      }
      const counts: number[] = []
      for (let i = 0; i < 5; i++) counts.push((await firstList()).length)
      expect(counts.every((n) => n > 0)).toBe(true)
      expect(new Set(counts).size).toBe(1)
    }, 120_000)

    test("server_disable: its answer comes once the tools are gone; the next start's first answer has none", async () => {
      const c = await connectBinary(args, env)
      try {
        const r = await c.client.callTool({ name: "server_disable", arguments: { name: "duckduckgo" } })
        expect(r.isError).toBeFalsy()
        expect((await c.client.listTools()).tools.some((t) => t.name.startsWith("docker__"))).toBe(false)
        const call = await c.client.callTool({ name: "call_tool", arguments: { name: "docker__echo", arguments: { message: "x" } } })
        expect(call.isError).toBe(true)
      } finally {
        await c.close()
      }
      for (let i = 0; i < 3; i++) expect(await firstList()).toEqual([])
    }, 120_000)
  })
}
