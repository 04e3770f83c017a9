/**
 * `pool.maxResultBytesInFlight` for remote downstreams (before: remote bodies were bounded per frame
 * by `pool.maxFrameBytes` but not counted in the budget, so N remote servers answering 60 MiB at
 * once held N × 60 MiB). Now a large remote answer (≥ 256 KiB: a JSON body, an SSE event) counts
 * from its first byte read until the transport handed it on: while one is held part way, another
 * server's large answer fails at once with RESULTS_OVER_BUDGET (a result alone always passes), and
 * the budget is back to nothing afterwards, also after a call given up, a dropped connection, an
 * answer over `pool.maxFrameBytes` or a timeout. Real HTTP servers (`test/faults/servers/budget-http.ts`):
 * a legacy-era Streamable HTTP one (JSON and SSE answers), a 2026-07-28 one (SDK v2) and a legacy
 * HTTP+SSE one (answers on its one GET stream, id last). Budget 4 MiB; answers of 3 MiB.
 */
import { afterAll, afterEach, describe, expect, test } from "bun:test"
import type { ServerSpec } from "../../src/config/index.ts"
import { resultBudget } from "../../src/core/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { startBudgetHttp } from "../faults/servers/budget-http.ts"
import { downstreamFailure as failure } from "../helpers/failure.ts"
import { waitFor } from "../helpers/wait.ts"
import { captureLog, config } from "../proxy/helpers.ts"

const MiB = 1024 * 1024
const BUDGET = 4 * MiB
const srv = startBudgetHttp()
afterAll(() => srv.stop())
afterEach(async () => {
  // nothing left over for the next test (each test checks this itself too)
  await waitFor("the result budget to be empty", () => resultBudget.inFlight === 0)
})

function pool(servers: Record<string, ServerSpec>, log = captureLog(), extra: Record<string, unknown> = {}): Pool {
  const p = new Pool({ config: config({ pool: { restartDelay: 50, maxResultBytesInFlight: BUDGET, ...extra } }), log: log.log })
  for (const [name, spec] of Object.entries(servers)) p.add({ name, source: "config", spec: { timeout: 30_000, ...spec } as ServerSpec })
  return p
}

const text = (r: unknown) => (r as { content: { text: string }[] }).content[0]!.text
const call = (p: Pool, server: string, name: string, args: Record<string, unknown> = {}, opts: Record<string, unknown> = {}) => p.call(server, "tools/call", { name, arguments: args }, opts)

/** Waits until the budget holds at least `mib` MiB (the held answer's bytes read so far). */
const holding = (mib: number) => waitFor(`the result budget to hold ${mib} MiB`, () => resultBudget.inFlight >= mib * MiB)

const KINDS: [string, ServerSpec, Record<string, unknown>][] = [
  ["legacy Streamable HTTP, JSON answers", { url: srv.plain, protocol: "legacy" } as ServerSpec, {}],
  ["legacy Streamable HTTP, an SSE event on the POST's stream", { url: srv.plain, protocol: "legacy" } as ServerSpec, { sse: true }],
  ["2026-07-28 Streamable HTTP", { url: srv.modern, protocol: "modern" } as ServerSpec, {}],
  ["legacy HTTP+SSE (answers on the GET stream, the id last)", { url: srv.sse, transport: "sse" } as ServerSpec, {}],
]

describe("large remote answers count against pool.maxResultBytesInFlight", () => {
  let gates = 0
  for (const [kind, spec, extra] of KINDS) {
    test(`${kind}: while one is held part way another server's fails at once with RESULTS_OVER_BUDGET; the held one arrives whole; the budget is released`, async () => {
      const log = captureLog()
      await using p = pool({ a: spec, b: spec }, log)
      for (const s of ["a", "b"]) expect(text(await call(p, s, "echo", { text: "x" }))).toEndWith(":x")
      const gate = `g${++gates}`
      const held = call(p, "a", "gated", { mib: 3, at: 2, gate, ...extra })
      await holding(2)
      const e = await failure(call(p, "b", "big", { mib: 3, ...extra }))
      expect(e.code).toBe("RESULTS_OVER_BUDGET")
      expect(e.message).toMatch(/^server b sent a result of at least \d+\.\d MiB in answer to tools\/call while 2\.\d MiB of large results were in flight \(pool\.maxResultBytesInFlight 4\.0 MiB\); it was dropped, /)
      expect(e.remedy).toBe("Retry once the other large results were delivered, ask the tool for less data, or raise pool.maxResultBytesInFlight.")
      expect(e.details).toMatchObject({ server: "b", method: "tools/call", limit: BUDGET })
      expect(log.records.some((r) => r.level === "warn" && r.msg === "large result dropped: result budget exceeded")).toBe(true)
      srv.open(gate)
      expect(text(await held)).toHaveLength(3 * MiB)
      // handed on: nothing held any more, and the refused server's answer now passes (alone in flight: even over the budget)
      expect(resultBudget.inFlight).toBe(0)
      expect(text(await call(p, "b", "big", { mib: 3, ...extra }))).toHaveLength(3 * MiB)
      expect(text(await call(p, "b", "big", { mib: 5, ...extra }))).toHaveLength(5 * MiB)
      expect(resultBudget.inFlight).toBe(0)
      for (const s of ["a", "b"]) expect(text(await call(p, s, "echo", { text: "y" }))).toEndWith(":y")
    }, 30_000)
  }
})

describe("the budget is given back whatever ends a large remote answer", () => {
  const spec = { url: srv.plain, protocol: "legacy" } as ServerSpec

  test("the caller gives the call up part way", async () => {
    await using p = pool({ a: spec })
    const ac = new AbortController()
    const held = failure(call(p, "a", "gated", { mib: 3, at: 2, gate: "abort" }, { signal: ac.signal }))
    await holding(2)
    ac.abort()
    expect((await held).code).toBe("CANCELLED")
    await waitFor("the budget to be given back", () => resultBudget.inFlight === 0)
    expect(text(await call(p, "a", "big", { mib: 3 }))).toHaveLength(3 * MiB)
    srv.open("abort")
  })

  test("the server drops the connection part way (JSON and SSE answers)", async () => {
    await using p = pool({ a: spec })
    for (const sse of [false, true]) {
      const gate = `cut-${sse}`
      const held = failure(call(p, "a", "gated", { mib: 3, at: 2, gate, sse }))
      await holding(2)
      srv.cut(gate)
      await held
      await waitFor("the budget to be given back", () => resultBudget.inFlight === 0)
    }
    expect(text(await call(p, "a", "big", { mib: 3 }))).toHaveLength(3 * MiB)
  })

  test("the call times out part way", async () => {
    await using p = pool({ a: { ...spec, timeout: 1500 } as ServerSpec })
    const held = failure(call(p, "a", "gated", { mib: 3, at: 2, gate: "timeout" }))
    await holding(2)
    expect((await held).code).toBe("TIMEOUT")
    await waitFor("the budget to be given back", () => resultBudget.inFlight === 0)
    srv.open("timeout")
  })

  test("an answer over pool.maxFrameBytes", async () => {
    await using p = pool({ a: spec }, captureLog(), { maxFrameBytes: 3 * MiB })
    const held = failure(call(p, "a", "gated", { mib: 4, at: 2, gate: "frame" }))
    await holding(2)
    srv.open("frame")
    expect((await held).code).toBe("FRAME_TOO_LARGE")
    await waitFor("the budget to be given back", () => resultBudget.inFlight === 0)
  })
})
