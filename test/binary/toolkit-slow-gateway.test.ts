/**
 * The Toolkit gateway's first start is waited for as any server's first start ever
 * (proxy.firstListWait, proxy/first-start): a new user's `docker mcp gateway run` pulling its
 * servers' images takes seconds, and Cursor keeps the first tools/list answer for the whole
 * session. Cold: the first answer holds the docker__ tools; warm (its list stored for the same
 * enabled servers): no first-start wait; a gateway still starting when that wait runs out is named
 * in orchestrator_status as missing from the first answer. Through the compiled binary and the fake
 * docker, whose `gateway run` starts late (test/docker/fake.ts `delay`: FAKE_DOCKER_DELAY, "commands
 * that wait so long before they run").
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { makeFakeDocker, type FakeDocker } from "../docker/fake.ts"
import { connectBinary, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const FIRST_WAIT = /waiting for the first start of a server that has never listed its tools[^\n]*"server":"docker"/
const fakes: FakeDocker[] = []
afterAll(() => {
  for (const f of fakes) f.cleanup()
})

function setup(version: string, delayMs: number, proxy = ""): { args: string[]; env: Record<string, string> } {
  const fake = makeFakeDocker({ version, delay: `gateway run=${delayMs}` })
  fakes.push(fake)
  // a server enabled before the orchestrator's first start (the user's docker CLI, Docker Desktop)
  fake.writeState({ enabled: ["duckduckgo"] })
  const env = sandboxEnv({ PATH: `${fake.env.PATH!}:${process.env.PATH ?? ""}`, DOCKER_CONFIG: fake.env.DOCKER_CONFIG! })
  const config = join(env.HOME!, "config.yaml")
  writeFileSync(config, `toolkit: { enabled: "on" }\n${proxy}`)
  return { args: ["serve", "--config", config], env }
}

async function firstList(args: string[], env: Record<string, string>): Promise<{ names: string[]; log: string; status: Record<string, unknown> }> {
  const c = await connectBinary(args, env)
  try {
    const tools = (await c.client.listTools(undefined, { timeout: 60_000 })).tools
    const names = tools.map((t) => t.name)
    const st = await c.client.callTool({ name: "orchestrator_status", arguments: {} })
    return { names, log: c.stderr(), status: st.structuredContent as Record<string, unknown> }
  } finally {
    await c.close()
  }
}

const docker = (status: Record<string, unknown>): Record<string, unknown> | undefined => (status.servers as Array<Record<string, unknown>>).find((s) => s.name === "docker")

for (const version of ["v0.43.3", "v0.27.0"]) {
  describe(`a slow first start of the Toolkit gateway (fake docker ${version})`, () => {
    test("cold: the first tools/list waits for it and holds its tools; warm: answered without that wait", async () => {
      // 6 s: longer than proxy.listWait (5 s), well within proxy.firstListWait (30 s)
      const { args, env } = setup(version, 6000)
      const cold = await firstList(args, env)
      expect(cold.names).toContain("docker__echo")
      expect(cold.log).toMatch(FIRST_WAIT)
      expect(docker(cold.status)?.notInFirstList).toBeUndefined()
      const warm = await firstList(args, env)
      expect(warm.names).toContain("docker__echo")
      expect(warm.log).not.toMatch(FIRST_WAIT)
    }, 120_000)
  })
}

test("a gateway still starting when proxy.firstListWait runs out: orchestrator_status says its tools were not in the first answer", async () => {
  const { args, env } = setup("v0.43.3", 20_000, "proxy: { listWait: 3000, firstListWait: 3000 }\n")
  const r = await firstList(args, env)
  expect(r.names.some((n) => n.startsWith("docker__"))).toBe(false)
  const row = docker(r.status)
  expect(row?.notInFirstList).toContain("not in this run's first tools/list answer")
}, 120_000)
