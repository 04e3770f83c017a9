/**
 * A server that ends by itself once it is up (a crash right after initialize because a variable is
 * missing, a crash on every call, an out-of-memory SIGKILL) is shown with what it said and what to do,
 * as a server that fails its start is, and so is the call it took with it: before, orchestrator_status and the later calls' errors read
 * "server x exited with code 1" and nothing else, its stderr only in our debug-level log.
 * The binary, with the SDK's real Client; servers/crashing-server.ts beside server-memory.
 */
import { beforeAll, expect, test } from "bun:test"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv, writeConfig } from "../helpers/binary.ts"
import { until } from "../proxy/helpers.ts"

beforeAll(ensureBuilt, 120_000)

const CRASHING = join(import.meta.dir, "servers", "crashing-server.ts")
const MEMORY = join(import.meta.dir, "..", "..", "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")

interface Row {
  name: string
  state: string
  lastError?: string
  remedy?: string
}

test("a server that crashes once up is shown with its stderr's reason and a remedy; the other server goes on", async () => {
  const env = sandboxEnv()
  const crashing = (mode: string) => ({ command: process.execPath, args: [CRASHING, mode] })
  const config = writeConfig(env, {
    servers: { afterinit: crashing("after-init"), closing: crashing("closing"), oncall: crashing("on-call"), oom: crashing("oom"), mem: { command: "node", args: [MEMORY] } },
    // the breaker opens at once: one crash each is all this test needs, and no restart races the status
    pool: { breakerFailures: 1, breakerCooldown: "10m" },
  })
  const c = await connectBinary(["serve", "--config", config], env)
  try {
    const status = async (): Promise<Row[]> => ((await c.client.callTool({ name: "orchestrator_status", arguments: {} })).structuredContent as { servers: Row[] }).servers
    const row = async (name: string): Promise<Row | undefined> => (await status()).find((s) => s.name === name)
    await c.client.listTools()
    // the call that crashed it says what it wrote as it ended, not only its exit code
    const crashed = await c.client.callTool({ name: "oncall__boom", arguments: {} })
    expect(crashed.isError).toBe(true)
    expect(JSON.stringify(crashed.content)).toContain("exited with code 1; the tools/call call was not retried\\nstderr: ")
    expect(JSON.stringify(crashed.content)).toContain("fatal: worker pool crashed")
    const killed = await c.client.callTool({ name: "oom__boom", arguments: {} })
    expect(killed.isError).toBe(true)
    expect(JSON.stringify(killed.content)).toContain("killed by SIGKILL")
    for (const name of ["afterinit", "closing", "oncall", "oom"]) expect(await until(async () => (await row(name))?.state === "open-circuit", 20_000, 50)).toBe(true)

    const afterInit = (await row("afterinit"))!
    expect(afterInit.lastError).toContain("exited with code 1")
    expect(afterInit.lastError).toContain("stderr: ")
    expect(afterInit.lastError).toContain("Error: DB_URL is not set")
    // the variable it names, with the env entry to add
    expect(afterInit.remedy).toContain("servers.afterinit.env")
    expect(afterInit.remedy).toContain("DB_URL")

    // its exit (and what it said), not the write that failed first: "cannot write to downstream: EPIPE"
    const closing = (await row("closing"))!
    expect(closing.lastError).toContain("exited with code 1")
    expect(closing.lastError).toContain("Error: REDIS_URL is not set")
    expect(closing.lastError).not.toContain("EPIPE")

    const onCall = (await row("oncall"))!
    expect(onCall.lastError).toContain("fatal: worker pool crashed")
    expect(onCall.remedy).toContain("run its command by hand")

    const oom = (await row("oom"))!
    expect(oom.lastError).toContain("killed by SIGKILL")
    expect(oom.remedy).toContain("out-of-memory")

    // a later call of the crashed server says why too, not only that it is down
    const later = await c.client.callTool({ name: "oncall__boom", arguments: {} })
    expect(later.isError).toBe(true)
    expect(JSON.stringify(later.content)).toContain("fatal: worker pool crashed")

    const ok = await c.client.callTool({ name: "mem__read_graph", arguments: {} })
    expect(ok.isError).toBeFalsy()
  } finally {
    await c.close()
  }
}, 60_000)
