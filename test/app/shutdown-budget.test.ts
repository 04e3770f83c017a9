/**
 * The shutdown's budget is when the process has exited, not when the exit at once begins: with
 * graceful steps that never end (calls pending, downstreams slow to close) and last answers that
 * never finish writing, the exit comes within `budgetMs`, the last answers having had their
 * `finalMs` (before, the exit at once started at the budget's end and waited `finalMs` more: under
 * load every such exit came late). Fake timers (nothing timed against the wall clock); the
 * process-wide side (marking the process exiting, killing children) is the test's. What the graceful
 * steps wait on fits the budget too: the downstreams' close graces shrink to what is left of it, and
 * a state file's lock held by another instance is waited for 100 ms, not 2 s (each in a process of
 * its own: marking this one exiting would change every later test in it).
 */
import { afterEach, expect, jest, test } from "bun:test"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Shutdown } from "../../src/app/shutdown.ts"
import { silentLogger } from "../../src/core/index.ts"

afterEach(() => {
  jest.useRealTimers()
})

/** Lets the promise callbacks queued by the timers run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}

function stopping(budgetMs: number, finalMs: number) {
  const seen = { exits: [] as number[], kills: 0, deadline: undefined as number | undefined, answered: 0 }
  const s = new Shutdown({
    log: silentLogger,
    budgetMs,
    finalMs,
    steps: () => new Promise<void>(() => {}),
    final: () => {
      seen.answered++
      return new Promise<void>(() => {})
    },
    exit: (code) => void seen.exits.push(code),
    children: {
      markExiting: (_why, deadline) => void (seen.deadline = deadline),
      killAll: () => ++seen.kills,
    },
  })
  return { s, seen }
}

test("steps and last answers that never end: the process exits by the budget's end, after the last answers' wait", async () => {
  jest.useFakeTimers()
  const { s, seen } = stopping(1800, 100)
  s.trigger("stdin closed")
  jest.advanceTimersByTime(1699)
  await settle()
  expect(seen.answered).toBe(0)
  jest.advanceTimersByTime(1)
  await settle()
  // the exit at once began: answers owed written, children killed, the answers given their wait
  expect(seen.answered).toBe(1)
  expect(seen.kills).toBe(1)
  expect(seen.exits).toEqual([])
  jest.advanceTimersByTime(100)
  await settle()
  expect(seen.exits).toEqual([0])
})

test("a budget shorter than the last answers' wait: the exit at once starts at the trigger", async () => {
  jest.useFakeTimers()
  const { s, seen } = stopping(50, 100)
  s.trigger("SIGTERM")
  jest.advanceTimersByTime(0)
  await settle()
  expect(seen.answered).toBe(1)
})

test("the shutdown's deadline reaches the downstreams' close graces: they shrink to fit what is left of it", () => {
  // its own process: marking this one exiting would change every later test in it
  const children = join(import.meta.dir, "..", "..", "src", "core", "children.ts")
  const script = `
    const c = await import(${JSON.stringify(children)})
    const before = c.exitGrace()
    c.markExiting("test", performance.now() + 60_000)
    const roomy = c.exitGrace()
    console.log(JSON.stringify({ before, roomy }))
  `
  const near = `
    const c = await import(${JSON.stringify(children)})
    c.markExiting("test", performance.now() + 700)
    const mid = c.exitGrace()
    console.log(JSON.stringify({ mid }))
  `
  const late = `
    const c = await import(${JSON.stringify(children)})
    c.markExiting("test", performance.now() - 1)
    console.log(JSON.stringify({ late: c.exitGrace() }))
  `
  const run = (code: string): Record<string, number> => JSON.parse(Bun.spawnSync([process.execPath, "-e", code]).stdout.toString())
  expect(run(script)).toEqual({ before: 250, roomy: 250 })
  // 700 ms left, 300 of them kept for what follows the close: two graces of at most 200 ms
  expect(run(near).mid).toBeLessThanOrEqual(200)
  expect(run(near).mid).toBeGreaterThanOrEqual(20)
  expect(run(late)).toEqual({ late: 20 })
})

test("a state file's lock held by another live process does not hold a stopping process for the lock's 2 s wait", () => {
  const dir = mkdtempSync(join(tmpdir(), "mcpo-exit-lock-"))
  const holder = Bun.spawn(["sleep", "30"])
  try {
    const file = join(dir, "pins.json")
    // another instance inside its section: a live pid, a fresh lock (not stale)
    writeFileSync(`${file}.lock`, String(holder.pid))
    const core = join(import.meta.dir, "..", "..", "src", "core", "index.ts")
    const script = `
      const c = await import(${JSON.stringify(core)})
      c.markExiting("test", performance.now() + 1800)
      const t = performance.now()
      c.withFileLock(${JSON.stringify(file)}, () => {})
      console.log(JSON.stringify({ waited: performance.now() - t }))
    `
    const { waited } = JSON.parse(Bun.spawnSync([process.execPath, "-e", script]).stdout.toString()) as { waited: number }
    // a stopping process waits EXITING_LOCK_WAIT_MS (100 ms), then writes unlocked; the lock's own wait is 2 s
    expect(waited).toBeLessThan(1500)
  } finally {
    holder.kill()
    rmSync(dir, { recursive: true, force: true })
  }
})
