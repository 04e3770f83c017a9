/**
 * Writes to a stdio downstream leave with their burst, after `send` returned: a server whose stdin
 * is gone still fails the calls written to it at once with WRITE_FAILED (never at their timeout),
 * and the pool restarts it. The call whose own write was refused was never sent: it waits for the
 * restart within its budget (test/pool/unsent-resend.test.ts), here shorter than the restart delay.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { ConfigSchema } from "../../src/config/index.ts"
import { silentLogger } from "../../src/core/index.ts"
import { Pool } from "../../src/pool/index.ts"

const DEAF = join(import.meta.dir, "..", "fixtures", "servers", "deaf-stdin.ts")
let pool: Pool | undefined

afterEach(async () => {
  await pool?.[Symbol.asyncDispose]()
  pool = undefined
})

describe("stdio write failure", () => {
  test("calls to a server whose stdin is closed fail at once (WRITE_FAILED) and the server is restarted", async () => {
    // a restart after the call's budget: the call refused unsent is not sent again in time
    pool = new Pool({ config: ConfigSchema.parse({ pool: { callTimeout: "3s", restartDelay: "10s" } }), log: silentLogger })
    const session = pool.add({ name: "deaf", source: "config", spec: { command: process.execPath, args: [DEAF] } } as never)
    await session.ensure()
    // it closes its stdin once initialized: wait until its fd 0 is gone
    for (let i = 0; i < 100 && existsSync(`/proc/${session.pid}/fd/0`); i++) await Bun.sleep(50)
    expect(existsSync(`/proc/${session.pid}/fd/0`)).toBe(false)
    // two calls in one burst: the first line is written at once (its failure is thrown), the second
    // leaves with the rest of the burst (its failure is reported after `send` returned)
    type Outcome = { code?: string; message?: string }
    const fail = (e: unknown): Outcome => e as Outcome
    const [first, second] = await Promise.all([0, 1].map(() => pool!.call("deaf", "tools/call", { name: "echo", arguments: {} }, {}).then((): Outcome => ({ code: "answered" }), fail)))
    // it never got the call, which waited for the restart: past its budget, it says when, and why
    expect(first!.code).toBe("RESTARTING")
    expect(first!.message).toContain("server deaf is restarting after a failure; next attempt in")
    expect((first as { details?: { retryInMs?: number } }).details?.retryInMs).toBeGreaterThan(3000)
    // the one written with the burst may have reached the server: failed at once, not sent again
    expect(second!.code).toBe("WRITE_FAILED")
    expect(session.state).toBe("backoff")
  }, 20_000)
})
