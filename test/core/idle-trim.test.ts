/**
 * core/idle-trim: the memory a start leaves behind is given back once nothing is read for a while,
 * never while input keeps coming (dropping compiled code under load would cost every call its
 * recompilation), and one trim waits at a time however often it is asked for. A process that has
 * been serving keeps its compiled code through a quiet spell (only the collection runs).
 */
import { expect, test } from "bun:test"
import { HOT_CALLS, noteActivity, noteServed, QUIET_MS, shrinkCount, trimCount, trimWhenQuiet } from "../../src/core/idle-trim.ts"

async function until(check: () => boolean, ms: number): Promise<boolean> {
  for (const end = performance.now() + ms; performance.now() < end; await Bun.sleep(25)) if (check()) return true
  return check()
}

test("no trim while input keeps coming; one trim once it stops, however often it was asked for", async () => {
  const before = trimCount()
  // no minimum interval here: a trim an earlier test file ran in this process (bun runs files in one)
  // must not make this ask a no-op; the interval has a test of its own below
  trimWhenQuiet(0)
  trimWhenQuiet(0)
  // input every 100 ms for twice the quiet time: never quiet long enough
  for (const end = performance.now() + 2 * QUIET_MS; performance.now() < end; await Bun.sleep(100)) noteActivity()
  expect(trimCount()).toBe(before)
  expect(await until(() => trimCount() > before, 5 * QUIET_MS)).toBe(true)
  await Bun.sleep(QUIET_MS)
  expect(trimCount()).toBe(before + 1)
}, 20_000)

test("asked again soon after a trim, it does not trim again (a list changing every few seconds costs no trim each time)", async () => {
  const before = trimCount()
  trimWhenQuiet()
  await Bun.sleep(2 * QUIET_MS)
  expect(trimCount()).toBe(before)
})

test("asked again once the interval allows, it trims again once quiet (and drops compiled code: few calls were served since)", async () => {
  // however much was read (a start of many servers reads many chunks)
  for (let i = 0; i < 5 * HOT_CALLS; i++) noteActivity()
  for (let i = 0; i < HOT_CALLS - 1; i++) noteServed()
  const before = trimCount()
  const shrunk = shrinkCount()
  trimWhenQuiet(0)
  expect(await until(() => trimCount() === before + 1, 5 * QUIET_MS)).toBe(true)
  expect(shrinkCount()).toBe(shrunk + 1)
}, 20_000)

test("after serving (many calls since the last shrink), a quiet spell collects but keeps the compiled code", async () => {
  for (let i = 0; i < HOT_CALLS; i++) noteServed()
  const before = trimCount()
  const shrunk = shrinkCount()
  trimWhenQuiet(0)
  expect(await until(() => trimCount() === before + 1, 5 * QUIET_MS)).toBe(true)
  expect(shrinkCount()).toBe(shrunk)
  // and so on: still hot, however many quiet spells follow
  trimWhenQuiet(0)
  expect(await until(() => trimCount() === before + 2, 5 * QUIET_MS)).toBe(true)
  expect(shrinkCount()).toBe(shrunk)
}, 20_000)
