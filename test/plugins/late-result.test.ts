/**
 * @module test/plugins/late-result
 * A hook's result that comes past its deadline is refused as a timeout (sandbox/late-result). The
 * deadline interrupt cannot stop one native step (a product of two huge BigInts); one that ended
 * before the watchdog fired handed its result back as if in time: a 50 ms route hook answered
 * after ~870 ms and was obeyed. Run on the engine itself (no worker, so no watchdog can decide the
 * outcome): the same hook is in time with a deadline it keeps, refused with one it overran.
 */
import { expect, test } from "bun:test"
import { GuestEngine } from "../../src/sandbox/engine.ts"
import { quickjsWasm } from "../../src/sandbox/wasm.ts"
import { DEFAULT_LIMITS, SandboxFault } from "../../src/sandbox/types.ts"

// one native step of hundreds of ms (QuickJS checks its interrupt between steps, never inside one)
const CODE = `export default {
  slow() { const a = (1n << 500000n) - 1n; return String((a * a) > 0n) },
  quick() { return "ok" },
}`

async function engine(): Promise<GuestEngine> {
  const e = await GuestEngine.create(await quickjsWasm(), DEFAULT_LIMITS, () => {})
  e.load(CODE, "late.js", 2000)
  return e
}

test("a result that comes past the deadline (one native step overran it) is refused as a timeout, naming how late", async () => {
  using e = await engine()
  let fault: unknown
  try {
    e.call(["slow"], "[]", 50)
  } catch (err) {
    fault = err
  }
  expect(fault).toBeInstanceOf(SandboxFault)
  expect((fault as SandboxFault).kind).toBe("timeout")
  expect((fault as SandboxFault).message).toMatch(/^deadline exceeded: the result came \d+ ms after the 50 ms deadline and was refused \(a native step/)
  // the engine serves on: the next call runs (its module evaluated again, not counted against it)
  expect(e.call(["quick"], "[]", 50)).toBe(JSON.stringify({ v: "ok" }))
})

test("the same step within its deadline is answered", async () => {
  using e = await engine()
  expect(e.call(["slow"], "[]", 60_000)).toBe(JSON.stringify({ v: "true" }))
})
