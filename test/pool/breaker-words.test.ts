/**
 * What a server that keeps failing says through its breaker's refusal: the last failure's cause, even
 * when that failure had no remedy of its own, and for a command that ends with code 0 at once (a
 * config typo) a remedy that says so.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { ConfigSchema } from "../../src/config/index.ts"
import { silentLogger } from "../../src/core/index.ts"
import { MemoryEraStore, Pool } from "../../src/pool/index.ts"
import { waitFor } from "../helpers/wait.ts"

let pool: Pool | undefined

afterEach(async () => {
  await pool?.[Symbol.asyncDispose]()
  pool = undefined
})

type Refusal = { code?: string; message?: string; remedy?: string }

/** Calls `name` until its breaker refuses (2 failures open it). */
async function refusal(code: string): Promise<Refusal> {
  const config = ConfigSchema.parse({ pool: { breakerFailures: 2, breakerCooldown: "10m", restartDelay: 20, restartDelayMax: 50 } })
  pool = new Pool({ config, log: silentLogger, eras: new MemoryEraStore(), closeGraceMs: 200 })
  const session = pool.add({ name: "quits", source: "config", spec: { command: process.execPath, args: ["-e", code] } } as never)
  await session.ensure().catch(() => undefined)
  await waitFor("the breaker to open", () => session.state === "open-circuit", 20_000)
  return pool.call("quits", "tools/call", { name: "x", arguments: {} }, {}).then(
    () => ({}),
    (e: Refusal) => e,
  )
}

describe("the breaker's refusal", () => {
  test("carries the last failure's cause when that failure named no remedy of its own", async () => {
    const e = await refusal("process.exit(5)")
    expect(e.code).toBe("BREAKER_OPEN")
    expect(e.message).toContain("unavailable after 2 consecutive failures")
    expect(e.message).toContain("exited with code 5 before answering initialize")
  }, 30_000)

  test("a command that ends with code 0 at once says its command ran to its end instead of serving", async () => {
    const e = await refusal("process.exit(0)")
    expect(e.code).toBe("BREAKER_OPEN")
    expect(e.message).toContain("exited with code 0")
    expect(e.remedy).toContain("ended with code 0 (success) without a word")
    expect(e.remedy).toContain("servers.quits.command and args")
  }, 30_000)
})
