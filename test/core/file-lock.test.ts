/**
 * core/file-lock: a lock file left with this process's pid is a previous process's (a container's
 * orchestrator has the same pid on every start; killed mid-section it left the lock): taken over at
 * once, where it used to be waited for and then bypassed (the section ran unlocked, the lock file
 * stayed). A live holder's lock is never removed.
 */
import { afterAll, expect, test } from "bun:test"
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { withFileLock } from "../../src/core/index.ts"
import { startedAt } from "../../src/core/descendants.ts"

const dir = mkdtempSync(join(tmpdir(), "file-lock-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test("a lock naming our own pid is taken over, used and removed", () => {
  const path = join(dir, "state.json")
  writeFileSync(`${path}.lock`, String(process.pid))
  let inside = false
  expect(withFileLock(path, () => (inside = existsSync(`${path}.lock`)))).toBe(true)
  expect(inside).toBe(true) // held during the section (ours now)
  expect(existsSync(`${path}.lock`)).toBe(false)
})

test("a live holder's lock is left alone: the section runs without it after the wait", async () => {
  const holder = Bun.spawn(["sleep", "30"])
  try {
    const path = join(dir, "busy.json")
    writeFileSync(`${path}.lock`, String(holder.pid))
    expect(withFileLock(path, () => 7)).toBe(7)
    expect(existsSync(`${path}.lock`)).toBe(true)
  } finally {
    holder.kill()
  }
})

test("a killed writer's lock whose pid is another live process's now is taken over at once", () => {
  // pids are reused quickly (a container, an editor's start and kill churn): the pid is alive, but
  // not the process that wrote the lock (it started at another time). Before, every writer waited
  // for it (LOCK_WAIT_MS, synchronously: the next start's first answer too), then ran unlocked, and
  // the lock stayed for the next one.
  const other = Bun.spawn(["sleep", "30"])
  try {
    const path = join(dir, "reused.json")
    writeFileSync(`${path}.lock`, `${other.pid} ${startedAt(other.pid!)! + 1}`)
    let held = ""
    expect(withFileLock(path, () => (held = readFileSync(`${path}.lock`, "utf8")))).toBe(held)
    expect(held).toBe(`${process.pid} ${startedAt(process.pid)}`) // ours during the section
    expect(existsSync(`${path}.lock`)).toBe(false)
  } finally {
    other.kill()
  }
})

test("a live writer's lock naming its own start time is left alone", () => {
  const holder = Bun.spawn(["sleep", "30"])
  try {
    const path = join(dir, "live.json")
    writeFileSync(`${path}.lock`, `${holder.pid} ${startedAt(holder.pid!)}`)
    expect(withFileLock(path, () => 7)).toBe(7)
    expect(readFileSync(`${path}.lock`, "utf8")).toBe(`${holder.pid} ${startedAt(holder.pid!)}`)
  } finally {
    holder.kill()
  }
})

test("two waiters that find the same dead writer's lock: one takes it over, the other waits for it", async () => {
  const dead = Bun.spawn(["true"])
  await dead.exited
  const path = join(dir, "shared.json")
  const log = join(dir, "sections.log")
  const marker = join(dir, "judged")
  writeFileSync(`${path}.lock`, String(dead.pid))
  const holder = join(import.meta.dir, "..", "fixtures", "lock-holder.ts")
  // X finds the lock stale and stays inside its takeover for 800 ms; Y arrives in that window and
  // holds the lock for 1 s once it has it. Before, Y removed the dead lock and went in, then X
  // removed Y's lock and went in too: both sections at once.
  const x = Bun.spawn([process.execPath, holder, path, log, "200", "800", marker], { stderr: "inherit" })
  for (let i = 0; i < 500 && !existsSync(marker); i++) await Bun.sleep(10)
  expect(existsSync(marker)).toBe(true)
  const y = Bun.spawn([process.execPath, holder, path, log, "1000", "0", marker], { stderr: "inherit" })
  expect(await x.exited).toBe(0)
  expect(await y.exited).toBe(0)
  const lines = readFileSync(log, "utf8").trim().split("\n")
  expect(lines).toHaveLength(4)
  // each "in" is followed by the same process's "out": the sections never overlapped
  expect(lines[1]).toBe(lines[0]!.replace("in", "out"))
  expect(lines[3]).toBe(lines[2]!.replace("in", "out"))
  expect(lines[0]).toBe(`in ${x.pid}`)
  expect(existsSync(`${path}.lock`)).toBe(false)
  expect(existsSync(`${path}.lock.takeover`)).toBe(false)
})
