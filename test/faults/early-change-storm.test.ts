/**
 * A server that sends `notifications/tools/list_changed` nonstop from its start (hostile or buggy;
 * test/faults/servers/early-change-server.ts --storm), beside a healthy one. Each change before the
 * first tools answer asked for a relist that answer waited for (proxy/early-changes), until
 * proxy.listWait ran out: one such server held every client's first tools/list, for all servers,
 * one whole listWait (5.7 s against 0.9 s measured). Now its changes add at most MAX_EARLY_LISTINGS
 * listings to that wait, said once: the first answer comes complete for the healthy server, with
 * the storming one's tools as its last waited listing had them (one more per listing: counted, not timed).
 */
import { describe, expect, test } from "bun:test"
import { join } from "node:path"
import { createProxy } from "../../src/proxy/index.ts"
import { MAX_EARLY_LISTINGS } from "../../src/proxy/early-changes.ts"
import { BUN, captureLog, config } from "../proxy/helpers.ts"

const SERVER = join(import.meta.dir, "servers", "early-change-server.ts")
const TEN_MINUTES = 600_000

describe("a server announcing tool list changes nonstop from its start", () => {
  test("does not hold the first tools/list: it comes complete for the healthy server, the bound said once", async () => {
    const { log, records } = captureLog()
    const cfg = config({ servers: { storm: { command: BUN, args: [SERVER, "--storm"] }, calm: { command: BUN, args: [SERVER] } }, proxy: { listWait: TEN_MINUTES } })
    await using proxy = createProxy({ config: cfg, log, closeGraceMs: 200 })
    const names = (await proxy.listTools()).map((t) => t.name)
    // the healthy server: what it registered after its first listing too (its own early change waited for)
    expect(names.filter((n) => n.startsWith("calm__")).sort()).toEqual(["calm__t1", "calm__t2", "calm__t3"])
    // each of its tools answers holds one tool more: the first answer waited for at most
    // MAX_EARLY_LISTINGS of its listings (counted, not timed; before, as many as it could make)
    const storm = names.filter((n) => n.startsWith("storm__")).length
    expect(storm).toBeGreaterThan(0)
    expect(storm).toBeLessThanOrEqual(MAX_EARLY_LISTINGS + 1)
    const said = records.filter((r) => String(r.msg).includes("keeps announcing list changes"))
    expect(said.length).toBe(1)
    expect(said[0]!.server).toBe("storm")
    expect(said[0]!.kind).toBe("tools")
    // later lists do not wait either, nor say it again
    expect((await proxy.listTools()).some((t) => t.name === "calm__t3")).toBe(true)
    expect(records.filter((r) => String(r.msg).includes("keeps announcing list changes")).length).toBe(1)
  }, 60_000)
})
