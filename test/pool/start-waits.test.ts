/**
 * A client's call waiting for its server's start (pool/start-waits): answered before a client gives
 * up (CLIENT_WAIT_CAP_MS, shortened here) while a slow start goes on for the next calls; and once a
 * start hung past its connect budget, the next calls fail at once saying so, while the restarts go on
 * with backoff (an internal listing still waits for them). A real stdio server that reads nothing
 * until a gate file exists (test/fixtures/servers/fault-server --boot-gate). No timed assertions:
 * what the answers say, and the session's state when they came.
 */
import { afterEach, expect, test } from "bun:test"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ConfigSchema } from "../../src/config/index.ts"
import { DownstreamError, silentLogger } from "../../src/core/index.ts"
import { MemoryEraStore, Pool } from "../../src/pool/index.ts"

const FAULT = join(import.meta.dir, "..", "fixtures", "servers", "fault-server.ts")
let pool: Pool | undefined

afterEach(async () => {
  await pool?.[Symbol.asyncDispose]()
  pool = undefined
})

function gated(poolConfig: Record<string, unknown>, clientWaitCapMs?: number): { gate: string; session: ReturnType<Pool["add"]> } {
  const gate = join(mkdtempSync(join(tmpdir(), "qa269-gate-")), "gate")
  pool = new Pool({ config: ConfigSchema.parse({ pool: poolConfig }), log: silentLogger, eras: new MemoryEraStore(), closeGraceMs: 200, ...(clientWaitCapMs !== undefined ? { clientWaitCapMs } : {}) })
  const session = pool.add({ name: "x", source: "config", spec: { command: process.execPath, args: [FAULT, "--boot-gate", gate], protocol: "legacy" } } as never)
  return { gate, session }
}

const failure = (p: Promise<unknown>): Promise<DownstreamError> =>
  p.then(
    (r) => {
      throw new Error(`answered: ${JSON.stringify(r)}`)
    },
    (e: unknown) => e as DownstreamError,
  )

const echo = (): Promise<unknown> => pool!.call("x", "tools/call", { name: "echo", arguments: { message: "hi" } }, {})

test("a call still waiting for a slow start is answered before a client gives up, saying the server is still starting; the start goes on", async () => {
  // the budget (20 s) and the start's (30 s) are both past the client's wait (shortened to 1.5 s)
  const { gate, session } = gated({ callTimeout: "20s", connectTimeout: "30s" }, 1500)
  const e = await failure(echo())
  expect(e.code).toBe("SERVER_UNAVAILABLE")
  expect(e.message).toMatch(/^server x is still starting: this tools\/call waited [\d.]+ s for it \(its start may take up to pool.connectTimeout, 30 s\); it was not sent/)
  expect(e.remedy).toContain("Call again shortly")
  // answered while the start was still under way, which is not given up
  expect(session.startAttempt).toBeDefined()
  writeFileSync(gate, "")
  // (a call during that same start is answered at once: the test below; this one comes once it is up)
  for (let i = 0; i < 400 && session.state !== "ready"; i++) await Bun.sleep(25)
  expect(await echo()).toEqual({ content: [{ type: "text", text: "hi" }] })
  expect(session.failures).toBe(0)
}, 60_000)

test("after a start that hung, calls fail at once saying so and when it is tried next; restarts go on, and a server that answers again is used", async () => {
  const { gate, session } = gated({ callTimeout: "20s", connectTimeout: "1s", restartDelay: "300ms", breakerFailures: 50 })
  // the first call waits for the first start, which hangs: its own failure
  const first = await failure(echo())
  expect(first.code).toBe("CONNECT_FAILED")
  expect(first.message).toContain("did not answer initialize within pool.connectTimeout (1 s)")
  expect(session.failures).toBe(1)
  // the next one is not held for the restart (which would hang too): answered before it fails
  const second = await failure(echo())
  expect(second.code).toBe("SERVER_UNAVAILABLE")
  expect(second.message).toMatch(/^server x hung at its last start: it did not answer initialize within pool.connectTimeout \(1 s\); it is restarted in the background with backoff \((next attempt in [\d.]+ s|a start is under way now, for [\d.]+ s so far, up to 1 s)\); this tools\/call was not sent/)
  expect(second.remedy).toContain("raise pool.connectTimeout")
  expect(session.failures).toBe(1)
  // the restarts go on by themselves: a later one hangs too, and calls keep failing at once
  for (let i = 0; i < 200 && session.failures < 2; i++) await Bun.sleep(25)
  expect(session.failures).toBeGreaterThanOrEqual(2)
  expect((await failure(echo())).message).toContain("hung at its last start")
  // an internal listing still waits for a restart (its budget covers the start), and gets the list once the server answers
  writeFileSync(gate, "")
  const listed = (await pool!.call("x", "tools/list", undefined, { listing: true, idempotent: true })) as { tools: unknown[] }
  expect(listed.tools.length).toBeGreaterThan(0)
  expect(await echo()).toEqual({ content: [{ type: "text", text: "hi" }] })
}, 60_000)

test("a restart backoff longer than a client waits fails the call at once saying when, not a wait past the client's timeout", async () => {
  pool = new Pool({ config: ConfigSchema.parse({ pool: { callTimeout: "20s", restartDelay: "5s", breakerFailures: 50 } }), log: silentLogger, eras: new MemoryEraStore(), closeGraceMs: 200, clientWaitCapMs: 1000 })
  const session = pool.add({ name: "x", source: "config", spec: { command: process.execPath, args: ["-e", "process.exit(3)"], protocol: "legacy" } } as never)
  const first = await failure(echo())
  expect(first.code).toBe("CONNECT_FAILED")
  const second = await failure(echo())
  expect(second.code).toBe("RESTARTING")
  expect(second.message).toMatch(/^server x is restarting after a failure; next attempt in [\d.]+ s, later than a client waits for an answer \(1 s from its arrival\)/)
  // answered before that attempt was made
  expect(session.failures).toBe(1)
}, 60_000)

test("a call arriving while the start an earlier call waited the whole client wait for is still under way is answered at once, saying since when; the next start is waited for again", async () => {
  const { gate, session } = gated({ callTimeout: "20s", connectTimeout: "30s" }, 1500)
  const first = await failure(echo())
  expect(first.message).toMatch(/^server x is still starting: this tools\/call waited/)
  // the same start still under way: not a second 1.5 s (55 s in real life) wait
  const second = await failure(pool!.call("x", "prompts/get", { name: "p" }, {}))
  expect(second.code).toBe("SERVER_UNAVAILABLE")
  expect(second.message).toMatch(/^server x is still starting since [\d.]+ s ago: an earlier tools\/call already waited [\d.]+ s for this same start \(which may take up to pool.connectTimeout, 30 s\); this prompts\/get was not sent, and is answered at once/)
  expect(second.remedy).toContain("orchestrator_status")
  expect(second.details).toMatchObject({ server: "x", method: "prompts/get" })
  expect(session.startAttempt).toBeDefined()
  // once that start ends, calls go through as usual
  writeFileSync(gate, "")
  for (let i = 0; i < 400 && session.state !== "ready"; i++) await Bun.sleep(25)
  expect(await echo()).toEqual({ content: [{ type: "text", text: "hi" }] })
}, 60_000)
