/**
 * Health accounting over time (manual clock for uptimes and cooldowns; the stable mark's timer is
 * real, shortened through `stableAfterMs`):
 * - the stable mark comes back down after a run far longer than it (before, it only grew: a server
 *   that crashed a few times and then ran fine for days needed up to an hour to count as stable),
 *   while a steady crash loop still grows it past its period;
 * - an open breaker honours a remote's longer `Retry-After` (before, its probe went through after the
 *   cooldown, and its error and status said the sooner time).
 */
import { describe, expect, test } from "bun:test"
import { DownstreamError, ManualClock } from "../../src/core/index.ts"
import { Health } from "../../src/pool/index.ts"

const MARK = 5
const settings = { breakerFailures: 100, breakerCooldown: 60_000, restartDelay: 1000, restartDelayMax: 30_000, stableAfterMs: MARK }

/** One connection that is proven by the mark (its real timer), runs `ranMs` on the clock, then crashes. */
async function provenRunThenCrash(h: Health, clock: ManualClock, ranMs: number): Promise<void> {
  h.connected(() => true)
  await Bun.sleep(h.stableAfterMs * 3 + 20)
  clock.advance(ranMs)
  h.failure(new Error("crashed"), true)
}

describe("the stable mark", () => {
  test("a steady crash loop grows it past its period; a run far longer than the mark brings it back to its start", async () => {
    const clock = new ManualClock()
    const h = new Health(clock, settings)
    // a loop of 100 ms runs: 5 → 10 → 20 → 40 → 80 → 160 (past the period: its runs are no longer proven)
    for (const expected of [10, 20, 40, 80, 160]) {
      await provenRunThenCrash(h, clock, 100)
      expect(h.stableAfterMs).toBe(expected)
    }
    // then the server runs fine for days and crashes once: the next start proves itself at the mark's start
    await provenRunThenCrash(h, clock, 3 * 86_400_000)
    expect(h.stableAfterMs).toBe(MARK)
    h.dispose()
  }, 30_000)

  test("a long run ended by us (idle reaping, a stop) brings it down too; a run twice the last one does not", async () => {
    const clock = new ManualClock()
    const h = new Health(clock, settings)
    await provenRunThenCrash(h, clock, 100)
    await provenRunThenCrash(h, clock, 100)
    expect(h.stableAfterMs).toBe(20)
    // twice as long as the last run (under 4×): a loop with some jitter, the mark still grows
    await provenRunThenCrash(h, clock, 200)
    expect(h.stableAfterMs).toBe(40)
    // a run of 4× the last one (800 ms: spans of 2 × 40, 2 × 20, 2 × 10 in it), idle-reaped (abandoned): halved per span, to its start
    h.connected(() => true)
    clock.advance(800)
    h.abandoned()
    expect(h.stableAfterMs).toBe(MARK)
    h.dispose()
  }, 30_000)
})

describe("an open breaker and Retry-After", () => {
  const asking = (ms: number) => new DownstreamError("CONNECT_FAILED", `HTTP 503; the server asks to be tried again in ${ms / 1000} s (Retry-After)`, { details: { retryAfterMs: ms } })

  test("the failure that opens it with a longer Retry-After keeps it open that long, and its error says so", () => {
    const clock = new ManualClock()
    const h = new Health(clock, { ...settings, breakerFailures: 2, breakerCooldown: 10_000 })
    h.failure(new Error("first"))
    expect(h.failure(asking(120_000))).toEqual({ open: true })
    expect(h.breaker.retryInMs()).toBe(120_000)
    expect(h.openError("web").message).toContain("retry in 120s")
    clock.advance(10_000)
    expect(h.breaker.state).toBe("open")
    expect(h.breaker.allow()).toBe(false)
    clock.advance(110_000)
    expect(h.breaker.state).toBe("half-open")
    expect(h.breaker.allow()).toBe(true)
    // the probe fails without a Retry-After: the cooldown again, not the last wait
    h.failure(new Error("probe failed"))
    expect(h.breaker.retryInMs()).toBe(10_000)
    h.dispose()
  })

  test("a shorter Retry-After leaves the cooldown as it is; an unbounded one is capped at 5 min", () => {
    const clock = new ManualClock()
    const h = new Health(clock, { ...settings, breakerFailures: 1, breakerCooldown: 60_000 })
    h.failure(asking(5000))
    expect(h.breaker.retryInMs()).toBe(60_000)
    const c2 = new ManualClock()
    const h2 = new Health(c2, { ...settings, breakerFailures: 1, breakerCooldown: 60_000 })
    h2.failure(asking(86_400_000))
    expect(h2.breaker.retryInMs()).toBe(300_000)
    h.dispose()
    h2.dispose()
  })
})
