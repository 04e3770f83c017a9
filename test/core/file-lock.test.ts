/**
 * core/file-lock: a lock file left with this process's pid is a previous process's (a container's
 * orchestrator has the same pid on every start; killed mid-section it left the lock): taken over at
 * once, where it used to be waited for and then bypassed (the section ran unlocked, the lock file
 * stayed). A live holder's lock is never removed.
 */
import { afterAll, expect, test } from "bun:test"
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { withFileLock } from "../../src/core/index.ts"

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
