/**
 * Pure parts of the pool: restart backoff, circuit breaker (manual clock, no sleeping), limiter, env.
 */
import { describe, expect, test } from "bun:test"
import { CallCancel, ManualClock } from "../../src/core/index.ts"
import { childEnv, CircuitBreaker, Limiter, restartDelay, TextRing } from "../../src/pool/index.ts"

describe("restartDelay", () => {
  test("1 s × 2ⁿ within ±20 %, capped at 30 s", () => {
    const expected = [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]
    for (const [n, base] of expected.entries()) {
      const lo = restartDelay(n, 1000, 30_000, () => 0)
      const hi = restartDelay(n, 1000, 30_000, () => 0.999999)
      const mid = restartDelay(n, 1000, 30_000, () => 0.5)
      expect(mid).toBe(base)
      expect(lo).toBe(Math.round(Math.min(30_000, base * 0.8)))
      expect(hi).toBeLessThanOrEqual(30_000)
      if (base < 30_000) expect(Math.abs(hi - base * 1.2)).toBeLessThanOrEqual(1)
    }
  })
  test("random jitter stays in the band", () => {
    for (let i = 0; i < 200; i++) {
      const d = restartDelay(2, 1000, 30_000)
      expect(d).toBeGreaterThanOrEqual(3200)
      expect(d).toBeLessThanOrEqual(4800)
    }
  })
})

describe("CircuitBreaker", () => {
  test("opens after 5 consecutive failures, one probe after the cooldown, success closes", () => {
    const clock = new ManualClock()
    const b = new CircuitBreaker(clock, 5, 60_000)
    for (let i = 0; i < 4; i++) {
      expect(b.allow()).toBe(true)
      b.failure()
    }
    expect(b.state).toBe("closed")
    b.failure()
    expect(b.state).toBe("open")
    expect(b.allow()).toBe(false)
    expect(b.retryInMs()).toBe(60_000)
    clock.advance(59_999)
    expect(b.allow()).toBe(false)
    clock.advance(1)
    expect(b.state).toBe("half-open")
    expect(b.allow()).toBe(true) // the probe
    expect(b.allow()).toBe(false) // nobody else while it runs
    b.success()
    expect(b.state).toBe("closed")
    expect(b.allow()).toBe(true)
  })
  test("a failed probe re-opens for a full cooldown; a success in between resets the count", () => {
    const clock = new ManualClock()
    const b = new CircuitBreaker(clock, 3, 1000)
    b.failure()
    b.failure()
    b.success()
    b.failure()
    b.failure()
    expect(b.state).toBe("closed")
    b.failure()
    expect(b.state).toBe("open")
    clock.advance(1000)
    expect(b.allow()).toBe(true)
    b.failure()
    expect(b.state).toBe("open")
    expect(b.retryInMs()).toBe(1000)
  })
})

describe("Limiter", () => {
  test("limit, FIFO queue, busy error when the queue is full", async () => {
    const l = new Limiter(2, 1, "srv")
    expect(l.tryAcquire()).toBe(true)
    expect(l.tryAcquire()).toBe(true)
    expect(l.tryAcquire()).toBe(false)
    let got = false
    const waiting = l.acquire().then(() => (got = true))
    expect(l.queued).toBe(1)
    await expect(l.acquire()).rejects.toMatchObject({ code: "BUSY" })
    l.release()
    await waiting
    expect(got).toBe(true)
    expect(l.inFlight).toBe(2)
    l.release()
    l.release()
    expect(l.inFlight).toBe(0)
  })
  test("a queued caller that aborts leaves the queue", async () => {
    const l = new Limiter(1, 5, "srv")
    l.tryAcquire()
    const ac = new AbortController()
    const p = l.acquire(ac.signal)
    ac.abort()
    await expect(p).rejects.toMatchObject({ code: "CANCELLED" })
    expect(l.queued).toBe(0)
  })
  test("the same with a CallCancel, which never makes an AbortSignal on this path; an already aborted one is not queued", async () => {
    const l = new Limiter(1, 5, "srv")
    l.tryAcquire()
    const c = new CallCancel()
    const p = l.acquire(c)
    const kept = l.acquire(new CallCancel())
    expect(l.queued).toBe(2)
    expect((c as unknown as { controller?: AbortController }).controller).toBeUndefined()
    c.abort(new Error("client cancelled"))
    await expect(p).rejects.toMatchObject({ code: "CANCELLED" })
    expect(l.queued).toBe(1)
    l.release() // the slot passes to the waiter that is still there
    await kept
    const gone = new CallCancel()
    gone.abort(new Error("x"))
    await expect(l.acquire(gone)).rejects.toMatchObject({ code: "CANCELLED" })
    expect(l.queued).toBe(0)
    expect(l.inFlight).toBe(1)
  })
})

describe("Limiter idle", () => {
  // qa341: a question relayed for a call that ended waits for the server's last call to end (proxy/relay-cancel)
  test("onIdle fires when the last call ends, not while a queued call takes the slot; stop ends it; a throwing listener stops nothing", async () => {
    const l = new Limiter(1, 5, "srv")
    let idle = 0
    const stopThrower = l.onIdle(() => {
      throw new Error("listener fault")
    })
    const stop = l.onIdle(() => idle++)
    l.tryAcquire()
    const queued = l.acquire()
    l.release() // the slot passes to the queued call: still busy
    await queued
    expect(idle).toBe(0)
    l.release()
    expect(idle).toBe(1)
    expect(l.inFlight).toBe(0)
    stop()
    stopThrower()
    l.tryAcquire()
    l.release()
    expect(idle).toBe(1)
  })
})

describe("Limiter deadlines", () => {
  test("a queued caller past its deadline gets its own error and leaves the queue; one timer serves all", async () => {
    const l = new Limiter(1, 10, "srv")
    l.tryAcquire()
    const t0 = performance.now()
    const late = l.acquire(undefined, t0 + 30, () => new Error("late"))
    const later = l.acquire(undefined, t0 + 400, () => new Error("later"))
    const never = l.acquire(undefined)
    expect(l.queued).toBe(3)
    await expect(late).rejects.toThrow("late")
    expect(performance.now() - t0).toBeGreaterThanOrEqual(29)
    expect(l.queued).toBe(2)
    await expect(later).rejects.toThrow("later")
    expect(l.queued).toBe(1)
    l.release() // the slot passes to the caller without a deadline
    await never
    expect(l.inFlight).toBe(1)
  })
  test("a caller that got its slot before its deadline is not rejected later", async () => {
    const l = new Limiter(1, 10, "srv")
    l.tryAcquire()
    const p = l.acquire(undefined, performance.now() + 20, () => new Error("late"))
    l.release()
    await p
    await Bun.sleep(40)
    expect(l.inFlight).toBe(1)
    expect(l.queued).toBe(0)
  })
})

describe("childEnv", () => {
  test("base variables plus the server's env, nothing else", () => {
    const env = childEnv({ API_TOKEN: "t" }, { PATH: "/bin", HOME: "/h", SECRET_OF_OTHERS: "x", GITHUB_TOKEN: "y" })
    expect(env).toEqual({ PATH: "/bin", HOME: "/h", API_TOKEN: "t", MCPO_DEPTH: "1" })
  })
  test("the nesting depth grows by one per orchestrator level", () => {
    expect(childEnv(undefined, { PATH: "/bin", MCPO_DEPTH: "1" }).MCPO_DEPTH).toBe("2")
    expect(childEnv(undefined, { PATH: "/bin", MCPO_DEPTH: "junk" }).MCPO_DEPTH).toBe("1")
  })
})

describe("Health", () => {
  const settings = { breakerFailures: 5, breakerCooldown: 60_000, restartDelay: 1000, restartDelayMax: 30_000 }
  test("failures: growing restart delays, then the breaker opens at the 5th", async () => {
    const { Health } = await import("../../src/pool/index.ts")
    const h = new Health(new ManualClock(), settings)
    const delays: number[] = []
    for (let i = 0; i < 4; i++) {
      const v = h.failure(new Error(`boom ${i}`))
      expect("restartInMs" in v).toBe(true)
      delays.push((v as { restartInMs: number }).restartInMs)
    }
    for (const [i, d] of delays.entries()) {
      expect(d).toBeGreaterThanOrEqual(800 * 2 ** i)
      expect(d).toBeLessThanOrEqual(1200 * 2 ** i)
    }
    expect(h.failure(new Error("fifth"))).toEqual({ open: true })
    expect(h.lastError).toBe("fifth")
    expect(h.openError("srv").message).toBe("server srv unavailable after 5 consecutive failures; retry in 60s")
    h.dispose()
  })
  test("three timeouts in a row ask for a restart; an answer in between resets the streak", async () => {
    const { Health } = await import("../../src/pool/index.ts")
    const { DownstreamError } = await import("../../src/core/index.ts")
    const h = new Health(new ManualClock(), { ...settings, breakerFailures: 100 })
    const t = new DownstreamError("TIMEOUT", "t")
    expect(h.timeout(t)).toBe(false)
    expect(h.timeout(t)).toBe(false)
    h.answered()
    expect(h.afterTimeouts).toBe(false)
    expect(h.timeout(t)).toBe(false)
    expect(h.timeout(t)).toBe(false)
    expect(h.timeout(t)).toBe(true)
    h.dispose()
  })
})

describe("TextRing", () => {
  test("keeps exactly the last `capacity` characters, whatever the chunk sizes", () => {
    const r = new TextRing(10)
    r.push("abc")
    r.push("defghij")
    expect(r.tail(100)).toBe("abcdefghij")
    r.push("KLM")
    expect(r.tail(100)).toBe("defghijKLM")
    r.push("x".repeat(25) + "END")
    expect(r.tail(100)).toBe("xxxxxxxEND")
    expect(r.tail(3)).toBe("END")
    expect(r.droppedChars).toBe(31)
  })
  test("a line longer than the held-back 8 KiB is never cut inside a secret (KEY=value across two reads)", () => {
    const r = new TextRing(64 * 1024)
    const first = r.pushLines("y".repeat(9000) + " API_TOKEN=qZ7vK2pW9xL4mN8r", 100_000)
    const second = r.pushLines("T3yB6cD1fG5hJ0sA more\n", 100_000)
    const out = first + second
    expect(out).not.toContain("qZ7vK2pW9xL4mN8r")
    expect(out).not.toContain("T3yB6cD1fG5hJ0sA")
    expect(out).toBe("y".repeat(9000) + " API_TOKEN=[REDACTED] more\n")
  })
})
