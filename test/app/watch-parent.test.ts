/**
 * watchParent: the parent is the one this process started with (main.ts records it first thing),
 * so a parent that died during the start — before `serve` began to watch — is still noticed, and
 * at once rather than a poll interval later.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { watchParent } from "../../src/app/shutdown.ts"

const g = globalThis as { __mcpoParentPid?: number }
afterEach(() => {
  delete g.__mcpoParentPid
})

describe("watchParent", () => {
  test("a start parent that is no longer ours is noticed at once, not after the first interval", async () => {
    let gone = 0
    const stop = watchParent(() => gone++, 60_000, process.ppid + 100_000)
    await Bun.sleep(20)
    stop()
    expect(gone).toBe(1)
  })

  test("the parent recorded at process start is the default, not the current one", async () => {
    g.__mcpoParentPid = process.ppid + 100_000
    let gone = 0
    const stop = watchParent(() => gone++, 60_000)
    await Bun.sleep(20)
    stop()
    expect(gone).toBe(1)
  })

  test("while the parent lives nothing fires; stop() ends the watch", async () => {
    let gone = 0
    const stop = watchParent(() => gone++, 5)
    await Bun.sleep(40)
    stop()
    expect(gone).toBe(0)
  })

  test("started by init (parent 1): there is nothing to watch", async () => {
    let gone = 0
    const stop = watchParent(() => gone++, 5, 1)
    await Bun.sleep(30)
    stop()
    expect(gone).toBe(0)
  })

  test("onGone fires once, however many polls see the parent gone", async () => {
    let gone = 0
    const stop = watchParent(() => gone++, 5, process.ppid + 100_000)
    await Bun.sleep(60)
    stop()
    expect(gone).toBe(1)
  })
})
