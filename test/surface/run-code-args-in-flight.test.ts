/**
 * @module test/surface/run-code-args-in-flight
 * Regression (QA 323): a script's tool calls handed the host all their arguments at once, however
 * large: 8 calls of 4 MiB each from 4 scripts at once (128 MiB of arguments) took the compiled
 * orchestrator from 85 MB to 766 MB, as the host holds several copies of each call's arguments.
 * Now a run hands over at most 8 Mi characters of arguments not yet answered (one call alone always
 * goes); the further calls wait in the sandbox, their arguments in its capped memory, and all are
 * answered in order. The real sandbox; the host counts what it holds.
 */
import { expect, test } from "bun:test"
import { runCode } from "../../src/sandbox/index.ts"

const LIMIT = 8 * 1024 * 1024
const limits = { timeoutMs: 60_000, memoryBytes: 64 * 1024 * 1024, stackBytes: 160 * 1024, maxResultBytes: 1 << 20 }

test("large call arguments are handed to the host a few at a time, each call still answered", async () => {
  let held = 0
  let peak = 0
  let calls = 0
  const host = {
    async call(name: string, args: Record<string, unknown>) {
      const chars = JSON.stringify(args).length
      calls++
      held += chars
      peak = Math.max(peak, held)
      await Bun.sleep(1500) // long enough that the calls overlap, however slowly their messages come
      held -= chars
      return { name, n: (args.pad as string).length, i: args.i }
    },
    search: async () => [],
  }
  // 2 Mi characters each: three fit under the bound at once, eight did before
  const code = `let s = "x"; for (let i = 0; i < 21; i++) s += s
  const r = await Promise.all(Array.from({ length: 8 }, (_, i) => tools.t__echo({ i, pad: s })))
  return r.map((x) => x.i + ":" + x.n)`
  const r = await runCode({ code, limits, host })
  expect(r.ok).toBe(true)
  if (r.ok) expect(r.value).toEqual(Array.from({ length: 8 }, (_, i) => `${i}:${2 ** 21}`))
  expect(calls).toBe(8)
  expect(peak).toBeGreaterThan(2 ** 21)
  expect(peak).toBeLessThanOrEqual(LIMIT)
})

test("small calls are not held back: all start at once", async () => {
  let held = 0
  let peak = 0
  const host = {
    async call() {
      held++
      peak = Math.max(peak, held)
      await Bun.sleep(100)
      held--
      return 1
    },
    search: async () => [],
  }
  const r = await runCode({ code: `return (await Promise.all(Array.from({ length: 20 }, (_, i) => tools.t__x({ i })))).length`, limits, host })
  expect(r).toMatchObject({ ok: true, value: 20 })
  expect(peak).toBe(20)
})

test("two calls whose arguments together pass the bound go one after the other", async () => {
  let held = 0
  let peak = 0
  const host = {
    async call(_: string, a: Record<string, unknown>) {
      held++
      peak = Math.max(peak, held)
      await Bun.sleep(100)
      held--
      return (a.pad as string).length
    },
    search: async () => [],
  }
  const r = await runCode({ code: `let s = "x"; for (let i = 0; i < 22; i++) s += s; s = s + s.slice(0, 2 ** 21); return await Promise.all([tools.t__x({ pad: s }), tools.t__x({ pad: s })])`, limits, host })
  expect(r).toMatchObject({ ok: true, value: [3 * 2 ** 21, 3 * 2 ** 21] })
  expect(peak).toBe(1)
})
