/**
 * CallCancel: direct listeners, a lazily made AbortSignal that agrees with it, failing listeners
 * isolated, abort once.
 */
import { describe, expect, test } from "bun:test"
import { CallCancel } from "../../src/core/index.ts"

describe("CallCancel", () => {
  test("listeners run once on abort, in order; removed ones do not", () => {
    const c = new CallCancel()
    const seen: string[] = []
    const a = () => seen.push("a")
    const b = () => seen.push("b")
    const d = () => seen.push("d")
    c.listen(a)
    c.listen(b)
    c.listen(d)
    c.unlisten(b)
    expect(c.aborted).toBe(false)
    c.abort(new Error("stop"))
    c.abort(new Error("again"))
    expect(seen).toEqual(["a", "d"])
    expect(c.aborted).toBe(true)
    expect(c.reason?.message).toBe("stop")
  })

  test("the signal, made before or after the abort, carries the same reason", () => {
    const before = new CallCancel()
    const s = before.signal
    let fired: unknown
    s.addEventListener("abort", () => (fired = s.reason))
    before.abort(new Error("client cancelled"))
    expect(s.aborted).toBe(true)
    expect((fired as Error).message).toBe("client cancelled")

    const after = new CallCancel()
    after.abort(new Error("late"))
    expect(after.signal.aborted).toBe(true)
    expect((after.signal.reason as Error).message).toBe("late")
  })

  test("a throwing listener does not stop the others or the signal", () => {
    const c = new CallCancel()
    const s = c.signal
    let ran = false
    c.listen(() => {
      throw new Error("bad listener")
    })
    c.listen(() => void (ran = true))
    c.abort(new Error("x"))
    expect(ran).toBe(true)
    expect(s.aborted).toBe(true)
  })
})
