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
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { makeFakeDocker, type FakeDocker } from "../docker/fake.ts"
import { connectBinary, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const FIRST_WAIT = /waiting for the first start of a server that has never listed its tools[^\n]*"server":"docker"/
const fakes: FakeDocker[] = []
afterAll(() => {
  for (const f of fakes) f.cleanup()
})

/** `delay`: ms before `gateway run` starts, or FAKE_DOCKER_DELAY as is (`"version=7000"`: a slow probe). */
function setup(version: string, delay: number | string, proxy = ""): { args: string[]; env: Record<string, string>; fake: FakeDocker } {
  const fake = makeFakeDocker({ version, delay: typeof delay === "number" ? `gateway run=${delay}` : delay })
  fakes.push(fake)
  // a server enabled before the orchestrator's first start (the user's docker CLI, Docker Desktop)
  fake.writeState({ enabled: ["duckduckgo"] })
  const env = sandboxEnv({ PATH: `${fake.env.PATH!}:${process.env.PATH ?? ""}`, DOCKER_CONFIG: fake.env.DOCKER_CONFIG! })
  const config = join(env.HOME!, "config.yaml")
  writeFileSync(config, `toolkit: { enabled: "on" }\n${proxy}`)
  return { args: ["serve", "--config", config], env, fake }
}

/** `until`: orchestrator_status is asked again (100 ms apart, at most 30 s) until it holds (a loaded machine probes slowly). */
async function firstList(
  args: string[],
  env: Record<string, string>,
  until: (status: Record<string, unknown>) => boolean = () => true,
  // the log is read from another pipe than the status answer: a line logged before that answer may still be on its way
  logUntil: (log: string) => boolean = () => true,
): Promise<{ names: string[]; search: string; log: string; status: Record<string, unknown> }> {
  const c = await connectBinary(args, env)
  try {
    const tools = (await c.client.listTools(undefined, { timeout: 60_000 })).tools
    const names = tools.map((t) => t.name)
    const search = tools.find((t) => t.name === "search_tools")?.description ?? ""
    let status: Record<string, unknown> = {}
    for (let i = 0; i < 300; i++) {
      status = (await c.client.callTool({ name: "orchestrator_status", arguments: {} })).structuredContent as Record<string, unknown>
      if (until(status) && logUntil(c.stderr())) break
      await Bun.sleep(100)
    }
    return { names, search, log: c.stderr(), status }
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
  // the gateway's row is there once the probe has added it (after the first answer, on a slow machine)
  const r = await firstList(args, env, (st) => docker(st) !== undefined)
  expect(r.names.some((n) => n.startsWith("docker__"))).toBe(false)
  const row = docker(r.status)
  expect(row?.notInFirstList).toContain("not in this connection's first tools/list answer")
}, 120_000)

describe("a slow first probe of the Toolkit (docker mcp version answering late, nothing stored yet)", () => {
  test("the first tools/list waits for the probe as for a first start, and holds the gateway's tools", async () => {
    // 7 s: longer than proxy.listWait (5 s), well within proxy.firstListWait (30 s)
    const { args, env } = setup("v0.43.3", "version=7000")
    const cold = await firstList(args, env)
    expect(cold.names).toContain("docker__echo")
    expect(cold.search).not.toContain("being probed")
  }, 120_000)

  test("a probe still under way when the wait runs out: search_tools' description names the Toolkit as being probed", async () => {
    const { args, env } = setup("v0.43.3", "version=30000", "proxy: { listWait: 1000, firstListWait: 2000 }\n")
    const r = await firstList(args, env)
    expect(r.names.some((n) => n.startsWith("docker__"))).toBe(false)
    expect(r.search).toContain("the Docker Toolkit (being probed)")
  }, 120_000)
})

/**
 * The gateway's failure note as stored in the cache (proxy/silence, next to its stored lists):
 * `failedRuns`, or 0 when none is stored yet.
 */
function gatewayFailedRuns(env: Record<string, string>): number {
  const dir = join(env.XDG_CACHE_HOME!, "mcp-orchestrator", "entries")
  let runs = 0
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const text = readFileSync(join(dir, name), "latin1")
    if (!text.includes("downstream-silence:docker@")) continue
    runs = Math.max(runs, Number(/"failedRuns":(\d+)/.exec(text)?.[1] ?? 0))
  }
  return runs
}

test("a gateway that hangs at start in two runs: the third is not held by it, and the remedy is the gateway's (no servers.docker to raise)", async () => {
  const { args, env, fake } = setup("v0.43.3", 600_000, "proxy: { listWait: 1000, firstListWait: 2000 }\n")
  const gatewayRuns = (): number => fake.argvLog().filter((a) => a[1] === "gateway" && a[2] === "run").length
  // a run counts only when its gateway start has been under way for as long as lists wait for it
  // (firstListWait, then listWait) when it ends: a run ended sooner (a loaded machine) proves no
  // failure and is run again, held longer, until the stored note has counted it
  let hold = 2500
  for (let run = 1; run <= 2; run++) {
    for (let attempt = 0; gatewayFailedRuns(env) < run; attempt++) {
      expect(attempt).toBeLessThan(6)
      const started = gatewayRuns()
      const c = await connectBinary(args, env)
      try {
        await c.client.listTools(undefined, { timeout: 60_000 })
        for (let i = 0; i < 600 && gatewayRuns() <= started; i++) await Bun.sleep(100)
        await Bun.sleep(hold)
      } finally {
        await c.close()
      }
      hold *= 2
    }
  }
  expect(gatewayFailedRuns(env)).toBe(2)
  // the third start: its status row is there once the Toolkit probe has added the gateway (after the
  // first answer on a loaded machine); the warning is logged as the gateway's note is read
  const r = await firstList(args, env, (st) => docker(st)?.notWaitedFor !== undefined, (log) => log.includes("not waited for: it failed before listing"))
  // what the user sees: no docker__ tools, and the answer names the gateway as missing (or, when
  // the first answer came before the Toolkit probe's decision on a loaded machine, the Toolkit
  // itself as being probed: the probe, not the gateway, is then what the answer did not wait for)
  expect(r.names.some((n) => n.startsWith("docker__"))).toBe(false)
  expect(r.search).toMatch(/Not in this list yet[^\n]*(docker\b|the Docker Toolkit \(being probed\))/)
  const row = docker(r.status)
  expect(String(row?.notWaitedFor)).toContain("it failed before listing its tools in each of the last 2 runs")
  expect(r.log).not.toMatch(FIRST_WAIT)
  const warning = r.log.split("\n").find((l) => l.includes("not waited for: it failed before listing its tools in the last runs"))
  expect(warning).toBeDefined()
  const remedy = String((JSON.parse(warning!) as { remedy?: unknown }).remedy)
  expect(remedy).not.toContain("servers.docker")
  expect(remedy).toContain("docker mcp gateway run")
  // the answer it stored (complete only by the gateway's note) is served only while that note is trusted
  const cache = join(env.XDG_CACHE_HOME!, "mcp-orchestrator")
  const stored = readdirSync(cache).filter((f) => f.endsWith(".snapshot.json"))
  expect(stored.length).toBe(1)
  const until = Number(/^\{[^{]*"until":(\d+)/.exec(readFileSync(join(cache, stored[0]!), "utf8"))?.[1])
  expect(until).toBeGreaterThan(Date.now())
}, 180_000)
