/**
 * @module test/docker/binary-cache-after-kill
 * A Toolkit read the binary answered is in the file cache by the time the answer is out: a process
 * killed right after it (as a shutdown whose budget ran out on a busy machine ends one) leaves it,
 * and the next start serves it (partial note included) instead of asking the Toolkit again. Before,
 * the answer raced the entry's write and the kill usually lost it. Real binary, SDK client over
 * stdio, the fake docker; no timed assertion.
 */
import { afterAll, expect, test } from "bun:test"
import { connectBinary, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"
import { makeFakeDocker, type FakeDocker } from "./fake.ts"

const fakes: FakeDocker[] = []
afterAll(() => fakes.forEach((f) => f.cleanup()))

type R = { structuredContent?: Record<string, unknown>; content: Array<{ text?: string }> }
const TOOL = { name: "search", description: "Search", inputSchema: { type: "object" } }

test("each Toolkit read answered just before a kill is served from the cache by the next process", async () => {
  await ensureBuilt()
  const fake = makeFakeDocker({ version: "v0.27.0" })
  fakes.push(fake)
  const env = sandboxEnv({ PATH: fake.env.PATH as string, DOCKER_CONFIG: fake.env.DOCKER_CONFIG as string })
  await Bun.write(`${env.XDG_CONFIG_HOME}/mcp-orchestrator/config.json`, JSON.stringify({ cache: { ttl: { servers: "1h", secrets: "1h", tools: "1h", inspect: "1h" } } }))
  const cases: Array<[string, string, Record<string, unknown>, string]> = [
    ["server ls", JSON.stringify([{ name: "duckduckgo", secrets: "done" }, { description: "no name" }]), {}, "servers_list"],
    ["secret ls", JSON.stringify([{ name: "github.personal_access_token" }, { provider: "no name" }]), {}, "secrets_list"],
    ["tools ls", JSON.stringify([TOOL, { description: "nameless" }]), {}, "toolkit_tools_list"],
    ["server inspect", JSON.stringify({ tools: [{ name: "search", enabled: true }, { description: "nameless" }], readme: "" }), { name: "duckduckgo" }, "server_inspect"],
  ]
  // one process per read, killed the moment its answer is in: only the answer's own write can save it
  for (const [cmd, stdout, args, tool] of cases) {
    fake.setOutput(cmd, { stdout })
    const one = await connectBinary(["serve"], env)
    try {
      const r = (await one.client.callTool({ name: tool, arguments: args })) as R
      expect(r.structuredContent?.leftOut).toMatchObject({ count: 1 })
      process.kill(one.pid as number, "SIGKILL")
    } finally {
      await one.close()
    }
  }
  // the Toolkit now prints complete lists: the next process answers every read from the cache
  fake.setOutput(undefined)
  const two = await connectBinary(["serve"], env)
  try {
    for (const [, , args, tool] of cases) {
      const r = (await two.client.callTool({ name: tool, arguments: args })) as R
      expect({ tool, leftOut: r.structuredContent?.leftOut }).toMatchObject({ tool, leftOut: { count: 1, version: "v0.27.0", era: "legacy" } })
    }
  } finally {
    await two.close()
  }
}, 180_000)
