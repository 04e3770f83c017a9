/**
 * @module test/cache/ttl
 * TtlCache with a ManualClock (no sleeps): TTL per kind, stale-while-revalidate, coalescing,
 * adaptive refresh-ahead, invalidation, preload and clock jumps.
 */
import { expect, test } from "bun:test"
import { LayeredDriver, MemoryDriver, FileDriver, TtlCache, type CacheDriver, type TtlTable } from "../../src/cache/index.ts"
import { ManualClock, type Clock } from "../../src/core/index.ts"
import { tempDir } from "./helpers.ts"

const TTL: TtlTable = { catalog: 12 * 3600_000, servers: 30_000, tools: 300_000, inspect: 3600_000, config: 30_000, secrets: 30_000, profiles: 30_000 }

function setup(clock: Clock = new ManualClock(), driver: CacheDriver = new MemoryDriver()) {
  return new TtlCache({ driver, ttl: TTL, clock, maintainEvery: 0 })
}

/** A loader that counts calls and resolves when the test says so. */
function gate<T>(values: T[]) {
  let calls = 0
  const waiting: Array<{ resolve: (v: T) => void; reject: (e: unknown) => void }> = []
  const loader = () => {
    calls++
    return new Promise<T>((resolve, reject) => waiting.push({ resolve, reject }))
  }
  return {
    loader,
    get calls() {
      return calls
    },
    release(i = 0) {
      waiting.shift()!.resolve(values[Math.min(i, values.length - 1)]!)
    },
    fail(e: unknown) {
      waiting.shift()!.reject(e)
    },
    get pending() {
      return waiting.length
    },
  }
}

const tick = () => new Promise((r) => setImmediate(r))

test("fresh within the kind's TTL, loaded again after it (servers 30 s, tools 5 min)", async () => {
  const clock = new ManualClock()
  const c = setup(clock)
  let n = 0
  const load = async () => ++n
  expect(await c.getOrLoad("servers", "enabled", load)).toBe(1)
  clock.advance(29_999)
  expect(await c.getOrLoad("servers", "enabled", load)).toBe(1)
  expect(await c.getOrLoad("tools", "srv", load)).toBe(2)
  clock.advance(2)
  // servers expired: stale value served, one refresh started
  expect(await c.getOrLoad("servers", "enabled", load)).toBe(1)
  await c.flush()
  await tick()
  expect(n).toBe(3)
  expect(await c.getOrLoad("servers", "enabled", load)).toBe(3)
  // tools (5 min) still fresh after 30 s
  expect(await c.getOrLoad("tools", "srv", load)).toBe(2)
  const s = c.stats()
  expect(s).toMatchObject({ misses: 2, loads: 2, staleServes: 1, refreshes: 1 })
  expect(s.hits).toBe(3)
})

test("stale-while-revalidate: stale hits are served while exactly one refresh runs", async () => {
  const clock = new ManualClock()
  const c = setup(clock)
  const g = gate(["v1", "v2"])
  const first = c.getOrLoad("tools", "s", g.loader)
  await tick()
  g.release(0)
  expect(await first).toBe("v1")
  clock.advance(300_001)
  const served = await Promise.all(Array.from({ length: 20 }, () => c.getOrLoad("tools", "s", g.loader)))
  expect(served.every((v) => v === "v1")).toBe(true)
  expect(g.calls).toBe(2)
  expect(c.stats().staleServes).toBe(20)
  expect(c.stats().inflight).toBe(1)
  g.release(1)
  await tick()
  await c.flush()
  expect(await c.getOrLoad("tools", "s", g.loader)).toBe("v2")
  expect(g.calls).toBe(2)
})

test("a failing refresh keeps the stale value and counts a refresh error", async () => {
  const clock = new ManualClock()
  const c = setup(clock)
  await c.getOrLoad("catalog", "main", async () => ({ servers: 1 }))
  clock.advance(13 * 3600_000)
  const g = gate<{ servers: number }>([])
  expect(await c.getOrLoad("catalog", "main", g.loader)).toEqual({ servers: 1 })
  g.fail(new Error("toolkit down"))
  await tick()
  await tick()
  expect(c.stats().refreshErrors).toBe(1)
  expect(c.stats().inflight).toBe(0)
  expect(await c.getOrLoad("catalog", "main", g.loader)).toEqual({ servers: 1 })
})

test("concurrent misses for one key make one loader call; errors reach every caller and are not cached", async () => {
  const c = setup()
  const g = gate(["x"])
  const calls = Array.from({ length: 50 }, () => c.getOrLoad("inspect", "srv", g.loader))
  await tick()
  expect(g.calls).toBe(1)
  g.fail(new Error("boom"))
  const results = await Promise.allSettled(calls)
  expect(results.every((r) => r.status === "rejected")).toBe(true)
  expect(c.stats()).toMatchObject({ loads: 1, coalesced: 49, loadErrors: 1 })
  // nothing cached: the next call loads again
  const again = c.getOrLoad("inspect", "srv", g.loader)
  await tick()
  g.release()
  expect(await again).toBe("x")
  expect(g.calls).toBe(2)
})

test("different keys and kinds load independently", async () => {
  const c = setup()
  const seen: string[] = []
  const load = (tag: string) => async () => (seen.push(tag), tag)
  await Promise.all([c.getOrLoad("tools", "a", load("ta")), c.getOrLoad("tools", "b", load("tb")), c.getOrLoad("inspect", "a", load("ia"))])
  expect(seen.sort()).toEqual(["ia", "ta", "tb"])
  expect(await c.getOrLoad("tools", "a", load("no"))).toBe("ta")
  expect(await c.getOrLoad("inspect", "a", load("no"))).toBe("ia")
})

test("adaptive: a key read often is refreshed ahead of expiry; a key never read is not", async () => {
  const clock = new ManualClock()
  const c = setup(clock)
  let hot = 0
  let cold = 0
  await c.getOrLoad("tools", "hot", async () => ++hot)
  await c.getOrLoad("tools", "cold", async () => ++cold)
  await c.getOrLoad("tools", "hot", async () => ++hot)
  await c.getOrLoad("tools", "hot", async () => ++hot)
  clock.advance(0.85 * 300_000)
  await c.maintain()
  await c.flush()
  expect(hot).toBe(2)
  expect(cold).toBe(1)
  // the refreshed value is fresh at what would have been the old expiry
  clock.advance(0.2 * 300_000)
  expect(await c.getOrLoad("tools", "hot", async () => ++hot)).toBe(2)
  expect(c.stats().staleServes).toBe(0)
  // the cold key expired and now costs a stale serve; nobody refreshed it ahead
  expect(await c.getOrLoad("tools", "cold", async () => ++cold)).toBe(1)
  expect(c.stats().staleServes).toBe(1)
  // after its refresh, "hot" has been read once: not hot enough for another refresh-ahead
  clock.advance(0.85 * 300_000)
  await c.maintain()
  expect(hot).toBe(2)
})

test("a hot read past the refresh-ahead point triggers one background refresh by itself", async () => {
  const clock = new ManualClock()
  const c = setup(clock)
  const g = gate([1, 2])
  const p = c.getOrLoad("servers", "k", g.loader)
  await tick()
  g.release(0)
  await p
  await c.getOrLoad("servers", "k", g.loader)
  clock.advance(25_000)
  expect(await c.getOrLoad("servers", "k", g.loader)).toBe(1)
  expect(await c.getOrLoad("servers", "k", g.loader)).toBe(1)
  expect(g.calls).toBe(2)
  g.release(1)
  await tick()
  expect(await c.getOrLoad("servers", "k", g.loader)).toBe(2)
})

test("invalidate drops a key, a kind, or a prefix; a load running during invalidate does not store", async () => {
  const c = setup()
  await c.getOrLoad("tools", "a", async () => 1)
  await c.getOrLoad("tools", "ab", async () => 1)
  await c.getOrLoad("tools", "b", async () => 1)
  await c.getOrLoad("servers", "x", async () => 1)
  await c.invalidate("tools", "a")
  expect(await c.peek("tools", "a")).toBeUndefined()
  expect(await c.peek("tools", "ab")).toBeDefined()
  await c.invalidatePrefix("tools", "a")
  expect(await c.peek("tools", "ab")).toBeUndefined()
  expect(await c.peek("tools", "b")).toBeDefined()
  await c.invalidate("tools")
  expect(await c.peek("tools", "b")).toBeUndefined()
  expect(await c.peek("servers", "x")).toBeDefined()

  const g = gate(["old"])
  const running = c.getOrLoad("tools", "z", g.loader)
  await tick()
  await c.invalidate("tools", "z")
  g.release()
  expect(await running).toBe("old")
  await c.flush()
  expect(await c.peek("tools", "z")).toBeUndefined()
})

test("set wins over a refresh that was already running", async () => {
  const clock = new ManualClock()
  const c = setup(clock)
  await c.getOrLoad("tools", "s", async () => "v1")
  clock.advance(400_000)
  const g = gate(["from-refresh"])
  await c.getOrLoad("tools", "s", g.loader)
  await c.set("tools", "s", "explicit")
  g.release()
  await tick()
  await c.flush()
  expect((await c.peek("tools", "s"))?.value).toBe("explicit")
})

test("onChange fires after a background refresh that changed the value, not when it is unchanged", async () => {
  const clock = new ManualClock()
  const c = setup(clock)
  const changes: unknown[] = []
  c.onChange((kind, key, value) => changes.push([kind, key, value]))
  let v = ["a"]
  const load = async () => v
  await c.getOrLoad("tools", "s", load)
  clock.advance(300_001)
  await c.getOrLoad("tools", "s", load)
  await tick()
  await c.flush()
  expect(changes).toEqual([])
  v = ["a", "b"]
  clock.advance(300_001)
  await c.getOrLoad("tools", "s", load)
  await tick()
  await tick()
  expect(changes).toEqual([["tools", "s", ["a", "b"]]])
})

test("a parse failure drops the cached value and loads again", async () => {
  const c = setup()
  await c.set("tools", "s", { not: "a list" })
  const parse = (v: unknown) => {
    if (!Array.isArray(v)) throw new Error("expected a list")
    return v as string[]
  }
  expect(await c.getOrLoad("tools", "s", async () => ["t"], { parse })).toEqual(["t"])
  expect(c.stats().invalid).toBe(1)
})

test("TTL survives a restart through storedAt; a wall-clock jump after start does not expire entries", async () => {
  const t = tempDir()
  try {
    const wall = { mono: 0, wall: 1_700_000_000_000 }
    const clock: Clock = { now: () => wall.mono, wall: () => wall.wall }
    const layered = () => new LayeredDriver(new MemoryDriver(), new FileDriver({ dir: t.dir }))
    {
      await using c = setup(clock, layered())
      await c.set("servers", "list", ["a"])
    }
    // new process: 20 s later (wall), monotonic restarts at 0
    wall.wall += 20_000
    await using c = setup(clock, layered())
    expect(await c.preload()).toBe(1)
    const hit = await c.peek("servers", "list")
    expect(hit).toMatchObject({ value: ["a"], state: "fresh", ageMs: 20_000 })
    // the wall clock jumps a day ahead: no spurious expiry (TTL math is monotonic)
    wall.wall += 86_400_000
    expect((await c.peek("servers", "list"))?.state).toBe("fresh")
    wall.mono += 10_001
    expect((await c.peek("servers", "list"))?.state).toBe("stale")
  } finally {
    t.remove()
  }
})

test("an entry dated in the future (stored while the clock was ahead) is stale at the next start, served and refreshed, not fresh until the clock gets there", async () => {
  const t = tempDir()
  try {
    const wall = { mono: 0, wall: 1_700_000_000_000 + 365 * 86_400_000 }
    const clock: Clock = { now: () => wall.mono, wall: () => wall.wall }
    const layered = () => new LayeredDriver(new MemoryDriver(), new FileDriver({ dir: t.dir }))
    {
      // the clock a year ahead (a VM resumed with a wrong time): stored "in the future"
      await using c = setup(clock, layered())
      await c.set("tools", "downstream:a@0123456789ab", ["old_tool"])
      await c.set("tools", "downstream:b@0123456789ab", ["b_tool"])
    }
    // fixed: the next start runs a year earlier by the wall clock
    wall.wall -= 365 * 86_400_000
    await using c = setup(clock, layered())
    expect(await c.preload()).toBe(2)
    // before: "fresh" (age 0) at every start for a year, so a lazy server's stored list was never checked again
    expect(await c.peek("tools", "downstream:a@0123456789ab")).toMatchObject({ value: ["old_tool"], state: "stale" })
    let loads = 0
    expect(await c.getOrLoad("tools", "downstream:b@0123456789ab", async () => (loads++, ["new_tool"]))).toEqual(["b_tool"])
    expect(c.stats().refreshes).toBe(1)
    await tick()
    await c.flush()
    expect(loads).toBe(1)
    expect((await c.peek("tools", "downstream:b@0123456789ab"))?.value).toEqual(["new_tool"])
    expect((await c.peek("tools", "downstream:b@0123456789ab"))?.state).toBe("fresh")
  } finally {
    t.remove()
  }
})

test("an entry dated a little ahead (another process's clock read a moment later) is fresh", async () => {
  const t = tempDir()
  try {
    const wall = { mono: 0, wall: 1_700_000_030_000 }
    const clock: Clock = { now: () => wall.mono, wall: () => wall.wall }
    const layered = () => new LayeredDriver(new MemoryDriver(), new FileDriver({ dir: t.dir }))
    {
      await using c = setup(clock, layered())
      await c.set("servers", "list", ["a"])
    }
    wall.wall -= 30_000
    await using c = setup(clock, layered())
    expect(await c.peek("servers", "list")).toMatchObject({ value: ["a"], state: "fresh", ageMs: 0 })
  } finally {
    t.remove()
  }
})

test("set refuses a value that is not JSON; stats are a plain serialisable object", async () => {
  const c = setup()
  await expect(c.set("config", "k", () => 1)).rejects.toThrow(/JSON/)
  const s = c.stats()
  expect(JSON.parse(JSON.stringify(s))).toEqual(s)
  expect(s.driver).toBe("memory")
})

test("a driver that fails on read is a miss, not a crash", async () => {
  const broken = new MemoryDriver()
  broken.get = async () => {
    throw new Error("disk on fire")
  }
  const c = setup(new ManualClock(), broken)
  expect(await c.getOrLoad("servers", "k", async () => "loaded")).toBe("loaded")
  expect(c.stats().misses).toBe(1)
})
