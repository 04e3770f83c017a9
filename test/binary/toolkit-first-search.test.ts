/**
 * A warm start with a Toolkit server enabled: its first tools/list is answered at once from the
 * stored answer (the `docker__` tools in it), while the Toolkit is still being probed. search_tools,
 * describe_tools and run_code, asked right after, must see what that list showed: before, they
 * searched a catalog without the gateway (it is added once the probe decided) and answered
 * "No tool matches … (9 tools reachable)" for a tool the client had just been shown. The probe is
 * made slow (`docker mcp version` waits), and listWait long, so the outcome does not depend on
 * the machine's speed. Fake docker on PATH (it runs server-everything as the gateway).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { makeFakeDocker, type FakeDocker } from "../docker/fake.ts"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, listUntil, sandboxEnv } from "../helpers/binary.ts"
import { MEMORY } from "../proxy/helpers.ts"

beforeAll(ensureBuilt, 120_000)

describe("a warm start's first search, while the Toolkit is still probed", () => {
  let fake: FakeDocker
  let env: Record<string, string>
  let args: string[]
  beforeAll(() => {
    fake = makeFakeDocker({ version: "v0.43.3", delay: "version=3000" })
    env = sandboxEnv({ PATH: `${fake.env.PATH!}:${process.env.PATH ?? ""}`, DOCKER_CONFIG: fake.env.DOCKER_CONFIG! })
    const config = join(env.HOME!, "config.yaml")
    writeFileSync(config, `toolkit: { enabled: "on" }\nproxy: { listWait: 60s }\nservers:\n  memory: { command: node, args: [${JSON.stringify(MEMORY)}] }\n`)
    args = ["serve", "--config", config]
  })
  afterAll(() => fake?.cleanup())

  test("search_tools, describe_tools and run_code find the docker__ tools the first tools/list showed", async () => {
    const first = await connectBinary(args, env)
    try {
      expect((await first.client.callTool({ name: "server_enable", arguments: { name: "duckduckgo" } })).isError).toBeFalsy()
      expect(await listUntil(first.client, "docker__echo")).toContain("docker__echo")
    } finally {
      await first.close()
    }
    for (const ask of ["search", "describe", "run_code"] as const) {
      const c = await connectBinary(args, env)
      try {
        const names = (await c.client.listTools()).tools.map((t) => t.name)
        expect(names).toContain("docker__echo")
        if (ask === "search") {
          const r = await c.client.callTool({ name: "search_tools", arguments: { query: "echo back the input string" } })
          expect(JSON.stringify(r.content)).toContain("docker__echo")
        } else if (ask === "describe") {
          const r = await c.client.callTool({ name: "describe_tools", arguments: { names: ["docker__echo"] } })
          expect(r.isError).toBeFalsy()
          expect(JSON.stringify(r.content)).toContain("Echoes back")
        } else {
          const r = await c.client.callTool({ name: "run_code", arguments: { code: `return await tools["docker__echo"]({ message: "hi" })` } })
          expect(r.isError).toBeFalsy()
          expect(JSON.stringify(r.content)).toContain("Echo: hi")
        }
      } finally {
        await c.close()
      }
    }
  }, 180_000)
})
