/**
 * Crash loops of any period back off and open the breaker; a server that ran long and crashed once
 * restarts at once. The stable mark (the uptime that proves a connection healthy) is shortened
 * through `stableAfterMs`, so a loop "just past the mark" takes seconds, not minutes.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { ConfigSchema } from "../../src/config/index.ts"
import { silentLogger } from "../../src/core/index.ts"
import { MemoryEraStore, Pool } from "../../src/pool/index.ts"
import { waitFor } from "../helpers/wait.ts"

const SHORT_LIVED = join(import.meta.dir, "..", "fixtures", "servers", "short-lived-server.ts")
let pool: Pool | undefined

afterEach(async () => {
  await pool?.[Symbol.asyncDispose]()
  pool = undefined
})

function loopPool(stableAfterMs: number): Pool {
  const config = ConfigSchema.parse({ pool: { restartDelay: 20, restartDelayMax: 100, breakerFailures: 5, breakerCooldown: "10m" } })
  return new Pool({ config, log: silentLogger, stableAfterMs, eras: new MemoryEraStore(), closeGraceMs: 200 })
}

describe("crash loops", () => {
  test("a server that crashes just after the stable mark each time ends with its breaker open, not restarted forever", async () => {
    // up 1 s each time, the mark 300 ms: before, each run was proven healthy at 300 ms, its crash
    // reset backoff and breaker, and it was restarted every ~1 s for as long as the orchestrator ran
    pool = loopPool(300)
    const session = pool.add({ name: "flaky", source: "config", spec: { command: process.execPath, args: [SHORT_LIVED, "1000"] } } as never)
    await session.ensure()
    // counts the restarts seen (a new pid): the fix opens the breaker after 6 runs
    let starts = 0
    let last = session.pid
    await waitFor(
      "the breaker to open, or a 13th restart",
      () => {
        if (session.pid !== undefined && session.pid !== last) {
          starts++
          last = session.pid
        }
        return session.state === "open-circuit" || starts > 12
      },
      45_000,
    )
    expect(session.state).toBe("open-circuit")
    expect(starts).toBeLessThanOrEqual(12)
    const e = await pool.call("flaky", "tools/list", undefined, { idempotent: true }).catch((x: unknown) => x as { code?: string; message?: string; remedy?: string })
    expect(e).toMatchObject({ code: "BREAKER_OPEN" })
    // says what happened (its own words) and what to do
    expect((e as { message: string }).message).toContain("worker died after 1000 ms")
  }, 60_000)

  test("a server that ran well past the mark and crashed once restarts at once", async () => {
    pool = loopPool(200)
    const session = pool.add({ name: "steady", source: "config", spec: { command: process.execPath, args: [SHORT_LIVED, "0"] } } as never)
    await session.ensure()
    await Bun.sleep(1000)
    await pool.call("steady", "tools/call", { name: "crash", arguments: {} }, {}).catch(() => undefined)
    await waitFor("the crash to be seen", () => session.state !== "ready", 10_000)
    // the first restart delay (pool.restartDelay 20 ms ± 20 %), not a grown backoff, and no breaker
    expect(session.breaker.consecutiveFailures).toBe(1)
    await waitFor("the restart", () => session.state === "ready", 20_000)
  }, 30_000)
})

describe("health pings", () => {
  test("a server that does not implement ping (answers -32601) is alive, not restarted at each health check", async () => {
    const config = ConfigSchema.parse({ pool: { healthInterval: 300, restartDelay: 20, restartDelayMax: 100 } })
    pool = new Pool({ config, log: silentLogger, eras: new MemoryEraStore(), closeGraceMs: 200 })
    const session = pool.add({ name: "noping", source: "config", spec: { command: process.execPath, args: [SHORT_LIVED, "0", "--no-ping"] } } as never)
    await session.ensure()
    const pid = session.pid
    // several health checks (the sweeper runs every 250 ms, a check once the server is idle 300 ms)
    await Bun.sleep(2500)
    expect(session.pid).toBe(pid)
    expect(session.state).toBe("ready")
    expect(session.failures).toBe(0)
  }, 30_000)
})

describe("a health ping on a dying connection", () => {
  test("a ping refused by a dying server's stdin waits for its exit: its last error is what it said, not the refused write", async () => {
    const DEAF = join(import.meta.dir, "..", "fixtures", "servers", "deaf-stdin.ts")
    const config = ConfigSchema.parse({ pool: { healthInterval: 300, restartDelay: "10s", restartDelayMax: "10s" } })
    pool = new Pool({ config, log: silentLogger, eras: new MemoryEraStore(), closeGraceMs: 200 })
    // it closes its stdin once initialized and exits 400 ms later, saying REDIS_URL is not set; a
    // health check comes meanwhile (the sweeper runs every 250 ms, the server idle since it was added)
    const session = pool.add({ name: "dying", source: "config", spec: { command: process.execPath, args: [DEAF, "--exit-after", "400"] } } as never)
    await session.ensure()
    await waitFor("the server to be down", () => session.state === "backoff" || session.state === "open-circuit", 15_000)
    expect(session.lastError).toContain("exited with code 1")
    expect(session.lastError).toContain("REDIS_URL is not set")
  }, 30_000)
})
