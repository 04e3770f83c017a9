/**
 * sandbox/starved: the watchdog waits longer for a worker that cannot have run for its deadline
 * (the process used less CPU time than that since the request: a busy machine) or that used it and
 * then got no more (a hook interrupted at its deadline, starved while it reports), and kills at once
 * one still running past it (CPU time used ≥ the deadline + PAST_DEADLINE_CPU_MS: a worker
 * spinning in native code uses a core),
 * and in any case once the wall-time cap is reached.
 */
import { expect, test } from "bun:test"
import { PAST_DEADLINE_CPU_MS, STARVED_CAP_MS, StarvedWatch } from "../../src/sandbox/starved.ts"
import { WATCHDOG_GRACE_MS } from "../../src/sandbox/types.ts"

function spin(ms: number): void {
  const u0 = process.cpuUsage()
  while (true) {
    const u = process.cpuUsage(u0)
    if ((u.user + u.system) / 1000 >= ms) return
  }
}

test("no CPU time used (the process was idle or starved): wait another grace, and the kill message says the wait was extended", async () => {
  const w = new StarvedWatch(200)
  await Bun.sleep(30) // idle: sleeping uses no CPU time
  expect(w.more()).toBe(WATCHDOG_GRACE_MS)
  expect(w.extended).toBe(true)
  expect(w.note()).toContain("the wait was extended")
})

test("CPU time well past the deadline used since the request (a worker spinning in native code): kill now, no note", () => {
  const w = new StarvedWatch(60)
  spin(60 + PAST_DEADLINE_CPU_MS + 20)
  expect(w.more()).toBe(0)
  expect(w.extended).toBe(false)
  expect(w.note()).toBe("")
})

test("its whole deadline used, then no CPU time (interrupted at the deadline, starved while reporting its timeout): wait, not kill", async () => {
  const w = new StarvedWatch(60)
  spin(70)
  await Bun.sleep(30)
  expect(w.more()).toBe(WATCHDOG_GRACE_MS)
  expect(w.extended).toBe(true)
})

test("past the wall-time cap: kill, however little CPU time was used", async () => {
  const w = new StarvedWatch(10_000) // a deadline no idle wait reaches in CPU time
  expect(w.more()).toBeGreaterThan(0)
  const cap = Math.max(STARVED_CAP_MS, 10 * (10_000 + WATCHDOG_GRACE_MS))
  expect(cap).toBe(102_500)
  const short = new StarvedWatch(0) // a zero deadline: CPU time past it is enough
  spin(PAST_DEADLINE_CPU_MS + 10)
  expect(short.more()).toBe(0)
})

test("the worker's own thread known: CPU time the process's other threads use does not count as the worker's; its own does", async () => {
  if (process.platform !== "linux") return
  // a real worker thread that reports its id, then spins on request until its own run time grew by `ms`
  const src = `
    const { readlinkSync, readFileSync } = require("node:fs")
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop())
    const own = () => Number(readFileSync("/proc/self/task/" + tid + "/schedstat", "latin1").split(" ")[0]) / 1e6
    self.onmessage = (e) => { const t0 = own(); while (own() - t0 < e.data) {} postMessage("spun") }
    postMessage(tid)
  `
  const url = URL.createObjectURL(new Blob([src], { type: "application/javascript" }))
  const w = new Worker(url)
  try {
    const tid = await new Promise<number>((done) => (w.onmessage = (e: MessageEvent<number>) => done(e.data)))
    expect(tid).toBeGreaterThan(0)
    const watch = new StarvedWatch(60, tid)
    spin(60 + PAST_DEADLINE_CPU_MS + 60) // the main thread (another thread of the process) uses more than a stuck worker would
    expect(watch.more()).toBeGreaterThan(0)
    expect(watch.extended).toBe(true)
    // the process's clock alone would have killed it
    const processWide = new StarvedWatch(60)
    spin(60 + PAST_DEADLINE_CPU_MS + 20)
    expect(processWide.more()).toBe(0)
    // the worker itself runs for its deadline: kill
    const busy = new StarvedWatch(60, tid)
    await new Promise<void>((done) => {
      w.onmessage = () => done()
      w.postMessage(60 + PAST_DEADLINE_CPU_MS + 20)
    })
    expect(busy.more()).toBe(0)
  } finally {
    w.terminate()
    URL.revokeObjectURL(url)
  }
})
