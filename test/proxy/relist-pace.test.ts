/**
 * A server's relists after its list_changed are paced by what processing their answers costs
 * (proxy/relist-pace): a server sending list_changed without pause while listing a new 1 MB schema
 * each time kept the one thread every session shares busy (a relist every 250 ms, each ≈ 1–2 s of
 * checking, pinning and storing), and every other server's calls waited seconds for it. Now the
 * next relist waits RELIST_COST_FACTOR × the last one's processing after it ended; a cheap relist
 * waits the coalescing window as before.
 */
import { describe, expect, test } from "bun:test"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { Coalescer } from "../../src/proxy/coalesce.ts"
import { createProxy, LIST_CHANGE_WINDOW_MS } from "../../src/proxy/index.ts"
import { MAX_RELIST_DEFER_MS, MAX_STORM_WINDOW_MS, RELIST_COST_FACTOR, RelistPace, STORM_CALM_MS, STORM_FREE_CHANGES } from "../../src/proxy/relist-pace.ts"
import { BUN, config, ctx, fault, until } from "./helpers.ts"

const COSTLY = join(import.meta.dir, "..", "faults", "servers", "costly-list-server.ts")

describe("RelistPace", () => {
  test("the window for a key never relisted or cheap to relist; a costly relist's cost × factor from its end, capped", () => {
    let now = 1000
    const pace = new RelistPace(() => now)
    expect(pace.delay("a\u0000tools", 250)).toBe(250)
    pace.noted("a\u0000tools", 10)
    expect(pace.delay("a\u0000tools", 250)).toBe(250)
    pace.noted("a\u0000tools", 1000)
    expect(pace.delay("a\u0000tools", 250)).toBe(RELIST_COST_FACTOR * 1000)
    now += 2000
    expect(pace.delay("a\u0000tools", 250)).toBe(RELIST_COST_FACTOR * 1000 - 2000)
    now += 10_000
    expect(pace.delay("a\u0000tools", 250)).toBe(250)
    pace.noted("a\u0000tools", 10 * MAX_RELIST_DEFER_MS)
    expect(pace.delay("a\u0000tools", 250)).toBe(MAX_RELIST_DEFER_MS)
    // another server's key is its own; a removed server's keys go
    expect(pace.delay("b\u0000tools", 250)).toBe(250)
    pace.forget("a\u0000")
    expect(pace.delay("a\u0000tools", 250)).toBe(250)
  })

  test("a storm (each relist its list_changed asked for shows a change) doubles the window up to its cap, said once; a relist with no change or a calm ends it", () => {
    let now = 0
    const notes: { key: string; changes: number; windowMs?: number }[] = []
    const pace = new RelistPace(
      () => now,
      (key, n) => void notes.push({ key, ...n }),
    )
    const k = "s\u0000tools"
    const windows: number[] = []
    const storm = (n: number): void => {
      for (let i = 0; i < n; i++) {
        windows.push(pace.delay(k, 250))
        now += windows.at(-1)!
        pace.relisted(k, true)
        now += 5
      }
    }
    storm(STORM_FREE_CHANGES + 10)
    expect(windows.slice(0, STORM_FREE_CHANGES + 1)).toEqual([...Array(STORM_FREE_CHANGES).fill(250), 500])
    expect(windows.slice(STORM_FREE_CHANGES, STORM_FREE_CHANGES + 6)).toEqual([500, 1000, 2000, 4000, 8000, 16_000])
    expect(windows.at(-1)).toBe(MAX_STORM_WINDOW_MS)
    expect(notes).toEqual([{ key: k, changes: STORM_FREE_CHANGES, windowMs: 500 }])
    // a relist that shows no change ends it: the normal window again, said once
    pace.delay(k, 250)
    pace.relisted(k, false)
    expect(pace.delay(k, 250)).toBe(250)
    expect(notes.length).toBe(2)
    expect(notes[1]!.windowMs).toBeUndefined()
    // a storm again, then quiet: the next change is relisted after the normal window
    windows.length = 0
    storm(STORM_FREE_CHANGES + 3)
    expect(windows.at(-1)).toBeGreaterThan(250)
    now += STORM_CALM_MS
    expect(pace.delay(k, 250)).toBe(250)
    // a server changing its list now and then (a change a minute) is never paced; another key is its own
    const n = "n\u0000tools"
    for (let i = 0; i < 20; i++) {
      expect(pace.delay(n, 250)).toBe(250)
      now += 250
      pace.relisted(n, true)
      now += 60_000
    }
    expect(pace.delay("other\u0000tools", 250)).toBe(250)
  })

  test("Coalescer: a key's window comes from windowOf when given", async () => {
    const fired: string[] = []
    const c = new Coalescer<string>(1, (k) => fired.push(k), (k, ms) => (k === "slow" ? 60_000 : ms))
    c.touch("slow")
    c.touch("fast")
    expect(await until(async () => fired.includes("fast"), 15_000)).toBe(true)
    expect(fired).toEqual(["fast"])
    c.clear()
  })
})

describe("a server relisting a new 210 KB schema at each of its list_changed", () => {
  test("its next relist is deferred for what the last cost; it is still relisted; the other server stays callable", async () => {
    await using proxy = createProxy({ config: config({ servers: { costly: { command: BUN, args: [COSTLY] }, ok: fault() } }), log: silentLogger, closeGraceMs: 200 })
    const names = (await proxy.listTools()).map((t) => t.name)
    expect(names).toContain("costly__big")
    expect(names).toContain("ok__echo")
    // (how long a costly relist defers the next is RelistPace's, tested above: the cost of this one
    // depends on the machine, so it is not asserted here)
    // a storm of list_changed: relisted (its new description arrives), and the other server answers meanwhile
    await proxy.callTool("costly__churn", { count: 200 }, ctx())
    const text = async (name: string): Promise<string> => ((await proxy.callTool(name, {}, ctx())).content[0] as { text: string }).text
    expect(await until(async () => Number(await text("costly__listed")) >= 2, 30_000)).toBe(true)
    expect(await text("ok__echo")).toBeDefined()
    expect(await until(async () => (await proxy.listTools()).some((t) => t.name === "costly__big" && t.description !== "version 1"), 30_000)).toBe(true)
  }, 60_000)
})
