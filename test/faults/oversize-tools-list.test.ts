/**
 * A server whose tools/list answer is over pool.maxFrameBytes (test/faults/servers/many-tools-server.ts,
 * 4 000 tools of ~1 KB against a 1 MiB limit). Each retry of the listing (the backoff, then the
 * breaker's) re-read the whole answer and warned again, and the status row said "sending a message
 * over the 1.0 MiB limit" without the key to raise. Now the row names pool.maxFrameBytes and the
 * sizes, and the failure is warned once per streak (with the remedy), the retries at debug; the
 * retries still back off into the open breaker.
 */
import { describe, expect, test } from "bun:test"
import { join } from "node:path"
import { createProxy } from "../../src/proxy/index.ts"
import { BUN, captureLog, config, until } from "../proxy/helpers.ts"

const SERVER = join(import.meta.dir, "servers", "many-tools-server.ts")

describe("a tools/list answer over pool.maxFrameBytes", () => {
  test("the status names the key and the sizes; warned once while the retries back off into the breaker", async () => {
    const { log, records } = captureLog()
    const cfg = config({ servers: { many: { command: BUN, args: [SERVER, "--tools", "4000"] } }, pool: { maxFrameBytes: 1024 * 1024, restartDelay: 50, restartDelayMax: 100 }, proxy: { listWait: 3000 } })
    await using proxy = createProxy({ config: cfg, log, closeGraceMs: 200 })
    await proxy.listTools()
    // the retries fail the same way until the breaker opens (5 failures)
    expect(await until(() => records.some((r) => String(r.msg).includes("circuit breaker open") && r.server === "many"), 30_000, 50)).toBe(true)
    const warned = records.filter((r) => r.level === "warn" && r.msg === "listing tools failed; trying again" && r.server === "many")
    expect(warned.length).toBe(1)
    expect(String(warned[0]!.error)).toContain("the limit is pool.maxFrameBytes (1.0 MiB;")
    expect(String(warned[0]!.remedy)).toContain("raise pool.maxFrameBytes")
    const row = (await proxy.status!()).servers.find((s) => s.name === "many")!
    expect(row.tools).toBe(0)
    expect(row.lastError).toMatch(/^tools\/list failed: server many .*; the limit is pool\.maxFrameBytes \(1\.0 MiB; [\d.]+ MiB of the answer read when it was dropped\)$/)
  }, 60_000)
})
