/**
 * Regression (QA qa287): a writer killed between creating `<file>.lock` and writing its pid leaves
 * an empty lock. It counted as "being written" until it was 5 s old, so every write of that file in
 * the meantime waited for it (synchronously, 2 s: the event loop, and every server's calls, stood
 * still), then ran unlocked and left it there. An empty lock older than `EMPTY_LOCK_MS` is a left
 * over one: taken over at once. A fresh empty one (its writer about to put its pid in) is not.
 */
import { afterAll, expect, test } from "bun:test"
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { withFileLock } from "../../src/core/index.ts"

const dir = mkdtempSync(join(tmpdir(), "file-lock-empty-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

for (const [what, text] of [
  ["empty", ""],
  ["without a pid", "garbage"],
] as const) {
  test(`a lock left ${what} a second ago is taken over, used and removed`, () => {
    const path = join(dir, `${what.replaceAll(" ", "-")}.json`)
    writeFileSync(`${path}.lock`, text)
    const past = (Date.now() - 1000) / 1000 // past EMPTY_LOCK_MS (100 ms), well within STALE_LOCK_MS (5 s)
    utimesSync(`${path}.lock`, past, past)
    let during = ""
    withFileLock(path, () => (during = readFileSync(`${path}.lock`, "utf8")))
    expect(during).toStartWith(`${process.pid}`) // ours during the section: it was not run unlocked
    expect(existsSync(`${path}.lock`)).toBe(false)
  })
}

test("a lock made just now and still empty is left alone (its writer is about to put its pid in)", () => {
  const path = join(dir, "fresh.json")
  writeFileSync(`${path}.lock`, "")
  const future = (Date.now() + 60_000) / 1000 // never older than EMPTY_LOCK_MS (100 ms) during the test, however slow the machine
  utimesSync(`${path}.lock`, future, future)
  expect(withFileLock(path, () => 7)).toBe(7)
  expect(readFileSync(`${path}.lock`, "utf8")).toBe("")
})
