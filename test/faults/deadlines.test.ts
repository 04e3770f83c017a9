/**
 * Deadlines hold through every wait, and a call past its deadline is never written (issue 11 §4),
 * through the compiled binary with the SDK's real Client and a downstream that logs every line it
 * receives. A call with a 1.5 s budget made while its server restarts slowly (or while it is queued
 * behind a slow call) gets its TIMEOUT at its budget: not before it (the product's contract), and
 * while the server still restarts (the slot is still held), seen in the downstream's log and the
 * slow call not yet answered — not by a wall clock, which on a loaded machine is the machine's; the
 * message states the elapsed time, the budget and where the time went, and the downstream's log
 * never shows that call, also once a later call went through. A server that never started and hit
 * the breaker names the time of its next attempt.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { until } from "../proxy/helpers.ts"

const SERVER = join(import.meta.dir, "servers", "request-log-server.ts")
const BUDGET_MS = 1500

/** The elapsed seconds a TIMEOUT message states ("timed out after 1.52 s"), at least the budget's (its lower bound is the contract). */
function statedElapsed(msg: string): number {
  const m = /timed out after (\d+(?:\.\d+)?) s/.exec(msg)
  expect(m, msg).not.toBeNull()
  return Number(m![1])
}

/** Calls `echo` with a fresh tag until it is answered (the server is up) and sees it logged: what was sent before it was logged first. */
async function later(c: Connected, tool: string, log: string): Promise<void> {
  const tag = `later-${crypto.randomUUID()}`
  expect(await until(async () => textOf(await c.client.callTool({ name: tool, arguments: { tag } })) === tag, 20_000, 50)).toBe(true)
  expect(logText(log)).toContain(tag)
}

beforeAll(async () => {
  await ensureBuilt()
})

/** The binary on a config of these servers and pool settings, connected with the SDK Client. */
async function start(servers: Record<string, unknown>, pool: Record<string, unknown>, dirName: string): Promise<{ c: Connected }> {
  const env = sandboxEnv()
  const dir = join(env.HOME!, dirName)
  mkdirSync(dir, { recursive: true })
  const configPath = join(dir, "config.json")
  writeFileSync(configPath, JSON.stringify({ toolkit: { enabled: "off" }, cache: { enabled: false }, pool, servers }))
  return { c: await connectBinary(["serve", "--config", configPath], env) }
}

function logText(path: string): string {
  return existsSync(path) ? readFileSync(path, "utf8") : ""
}

function textOf(r: unknown): string {
  return (((r as { content?: unknown }).content ?? []) as { text?: string }[]).map((x) => x.text ?? "").join("\n")
}

describe("deadlines", () => {
  test("a call made while its server restarts slowly times out at its budget and is never sent afterwards", async () => {
    const dir = sandboxEnv().HOME!
    const log = join(dir, "restart.log")
    const marker = join(dir, "started")
    const { c } = await start(
      { r: { command: process.execPath, args: [SERVER, "--log", log, "--marker", marker, "--restart-boot", "6000"], timeout: "1.5s" } },
      { restartDelay: "300ms" },
      "restart",
    )
    try {
      expect((await c.client.listTools()).tools.map((t) => t.name)).toContain("r__echo")
      const crashed = await c.client.callTool({ name: "r__crash", arguments: {} })
      expect(crashed.isError).toBe(true)

      const tag = `late-${crypto.randomUUID()}`
      const t0 = performance.now()
      const r = await c.client.callTool({ name: "r__echo", arguments: { tag } })
      const elapsed = performance.now() - t0
      // the error comes at the budget, not when the restart completes: the restarted server (6 s
      // asleep before it reads) has not been initialized yet
      expect(logText(log).match(/"method":"initialize"/g)?.length).toBe(1)
      expect(r.isError).toBe(true)
      const msg = textOf(r)
      expect(msg).toContain("[TIMEOUT]")
      expect(elapsed).toBeGreaterThanOrEqual(BUDGET_MS - 50)
      // real elapsed time, the budget and where it went; not "after 2ms"
      expect(msg).toMatch(/tools\/call timed out after [\d.]+ s \(budget 1\.5 s; [\d.]+ s of it waiting for the server to restart\); it was not sent to the server/)
      expect(statedElapsed(msg)).toBeGreaterThanOrEqual(1.4)

      // the server comes back; a later call goes through and is logged (the log works), and the
      // timed-out call, made before it, has still never reached the server
      await later(c, "r__echo", log)
      expect(logText(log)).not.toContain(tag)
      expect(logText(log).match(/"method":"initialize"/g)?.length).toBe(2)
    } finally {
      await c.close()
    }
  }, 60_000)

  test("a call queued behind a slow one times out at its budget and is never sent when the slot frees", async () => {
    const dir = sandboxEnv().HOME!
    const log = join(dir, "queue.log")
    const { c } = await start({ q: { command: process.execPath, args: [SERVER, "--log", log], timeout: "1.5s", toolTimeouts: { sleep: "10s" }, maxInFlight: 1 } }, {}, "queue")
    try {
      await c.client.listTools()
      let slowAnswered = false
      const slow = c.client.callTool({ name: "q__sleep", arguments: { ms: 8000 } }).finally(() => (slowAnswered = true))
      expect(await until(() => logText(log).includes('"name":"sleep"'), 15_000, 50)).toBe(true)
      const tag = `queued-${crypto.randomUUID()}`
      const t0 = performance.now()
      const r = await c.client.callTool({ name: "q__echo", arguments: { tag } })
      const elapsed = performance.now() - t0
      // answered at its budget while the slow call still held the slot, not when it freed
      expect(slowAnswered).toBe(false)
      expect(r.isError).toBe(true)
      expect(elapsed).toBeGreaterThanOrEqual(BUDGET_MS - 50)
      expect(textOf(r)).toMatch(/timed out after [\d.]+ s \(budget 1\.5 s; [\d.]+ s of it waiting for a free slot\); it was not sent to the server/)
      expect(statedElapsed(textOf(r))).toBeGreaterThanOrEqual(1.4)
      expect(textOf(await slow)).toBe("slept")
      // a call made once the slot is free goes through; the timed-out one, queued before it, never did
      await later(c, "q__echo", log)
      expect(logText(log)).not.toContain(tag)
    } finally {
      await c.close()
    }
  }, 30_000)

  test("a first call that waited for its server's first listing past its budget is answered at its deadline and never sent", async () => {
    const dir = sandboxEnv().HOME!
    const log = join(dir, "first.log")
    const { c } = await start({ s: { command: process.execPath, args: [SERVER, "--log", log, "--boot", "2500"], timeout: "1.5s" } }, {}, "first")
    try {
      const tag = `first-${crypto.randomUUID()}`
      const r = await c.client.callTool({ name: "s__echo", arguments: { tag } })
      expect(r.isError).toBe(true)
      // at its deadline, while its server still starts (before, a call sent before any list waited for
      // the whole first list, then timed out when it came in): said as a call of a listed tool of a
      // starting server is (test/proxy/list-wait.test.ts, QA 13)
      expect(textOf(r)).toContain("[SERVER_UNAVAILABLE] Server s is still starting, so s__echo cannot be called yet")
      // its server is asked for its tools once up (after its 2.5 s boot); the call is never sent
      for (let i = 0; i < 1000 && !logText(log).includes('"method":"tools/list"'); i++) await Bun.sleep(20)
      expect(logText(log)).toContain('"method":"tools/list"')
      await later(c, "s__echo", log)
      expect(logText(log)).not.toContain(tag)
    } finally {
      await c.close()
    }
  }, 30_000)

  test("a timeout on the wire states the real elapsed time and the budget", async () => {
    const dir = sandboxEnv().HOME!
    const log = join(dir, "wire.log")
    const { c } = await start({ w: { command: process.execPath, args: [SERVER, "--log", log], timeout: "1.5s" } }, {}, "wire")
    try {
      await c.client.listTools()
      const r = await c.client.callTool({ name: "w__sleep", arguments: { ms: 5000 } })
      expect(r.isError).toBe(true)
      expect(textOf(r)).toMatch(/tools\/call timed out after [\d.]+ s \(budget 1\.5 s\); the downstream was sent a cancellation/)
      // the real elapsed time (at least the budget), not the budget restated
      expect(statedElapsed(textOf(r))).toBeGreaterThanOrEqual(1.5)
    } finally {
      await c.close()
    }
  }, 30_000)

  test("a server that never started and hit the breaker says when its next attempt is", async () => {
    const { c } = await start(
      { dead: { command: process.execPath, args: [SERVER, "--die"] }, ok: { command: process.execPath, args: [SERVER, "--log", join(sandboxEnv().HOME!, "ok.log")] } },
      { breakerFailures: 2, restartDelay: "100ms", breakerCooldown: "30s" },
      "breaker",
    )
    try {
      await c.client.listTools()
      const status = async () => (await c.client.callTool({ name: "orchestrator_status", arguments: {} })).structuredContent as { servers: { name: string; state: string; retryAt?: number }[] }
      expect(await until(async () => (await status()).servers.find((s) => s.name === "dead")?.state === "open-circuit", 10_000, 50)).toBe(true)
      const asked = Date.now()
      const r = await c.client.callTool({ name: "dead__echo", arguments: {} })
      expect(r.isError).toBe(true)
      const msg = textOf(r)
      expect(msg).toContain("[SERVER_UNAVAILABLE]")
      const m = /circuit breaker open after 2 consecutive failures; next attempt in ([\d.]+) s/.exec(msg)
      expect(m).not.toBeNull()
      // the figure: a real time within the 30 s cooldown, matching the status' retryAt
      const inS = Number(m![1])
      expect(inS).toBeGreaterThan(0)
      expect(inS).toBeLessThanOrEqual(30)
      const retryAt = (await status()).servers.find((s) => s.name === "dead")!.retryAt!
      // the moment the message counted from (retryAt − inS) lies between the question and now,
      // give or take the message's rounding: the same retryAt, whatever the machine's load
      const said = retryAt - inS * 1000
      expect(said).toBeGreaterThanOrEqual(asked - 1000)
      expect(said).toBeLessThanOrEqual(Date.now() + 1000)
    } finally {
      await c.close()
    }
  }, 30_000)
})
