/**
 * @module test/surface/run-code-answers-in-transit
 * Regression (QA 335): call arguments were bounded in flight (QA 323), tool results were not: every
 * answer was written as JSON and posted to the run's worker as soon as it came, so a run whose 8
 * calls answered several MB each, while its script was busy (or simply not done taking the previous
 * answer in), had all of them on the host at once as JSON text and as queued messages, outside its
 * sandbox's memory cap, and 4 such runs at once 4 times that. Now a run posts at most
 * MAX_ANSWERS_IN_TRANSIT characters of answers its worker has not taken in yet (one alone always
 * goes); the rest wait as the values they are, in order, and every call is still answered. And an
 * answer longer than the run's memory cap is refused as a rejection the script can catch, before a
 * copy of it is made for the worker. The real sandbox; the host counts the answers written as JSON.
 */
import { expect, test } from "bun:test"
import { runCode } from "../../src/sandbox/index.ts"

/** sandbox/answer-queue MAX_ANSWERS_IN_TRANSIT */
const MAX_ANSWERS_IN_TRANSIT = 8 * 1024 * 1024

const limits = { timeoutMs: 60_000, memoryBytes: 64 * 1024 * 1024, stackBytes: 160 * 1024, maxResultBytes: 1 << 20 }
const SIZE = 2 * 1024 * 1024

test("while the script is busy, only a budget of answers is written and posted to it; all arrive, in order", async () => {
  const big = "y".repeat(SIZE - 2)
  let answered = 0
  let written = 0
  let seen: { answered: number; written: number } | undefined
  const host = {
    async call(_: string, args: Record<string, unknown>) {
      answered++
      // counts the answers written as JSON for the worker (JSON.stringify calls toJSON)
      return { toJSON: () => (written++, `${args.i}:${big}`) }
    },
    async search() {
      seen = { answered, written }
      return []
    },
  }
  // the 8 calls go out at once (small arguments); the script then stays busy without taking any answer
  // in, long enough for all 8 to be answered, and asks search() to record what the host wrote meanwhile
  const code = `const ps = Array.from({ length: 8 }, (_, i) => tools.t__big({ i }))
  const end = Date.now() + 3000; while (Date.now() < end) {}
  await search("after the busy part")
  const r = await Promise.all(ps)
  return r.map((x) => x.slice(0, x.indexOf(":")) + "/" + x.length)`
  const r = await runCode({ code, limits, host })
  expect(r.ok).toBe(true)
  // "i:" and SIZE - 2 characters: SIZE each, in the order called
  if (r.ok) expect(r.value).toEqual(Array.from({ length: 8 }, (_, i) => `${i}/${SIZE}`))
  expect(seen?.answered).toBe(8)
  // 4 answers of 2 Mi fill the 8 Mi budget; a 5th may be written and held, never posted
  expect(seen!.written).toBeLessThanOrEqual(Math.floor(MAX_ANSWERS_IN_TRANSIT / SIZE) + 1)
  expect(written).toBe(8)
})

test("an answer longer than the run's memory cap rejects its call, which the script can catch", async () => {
  const host = {
    call: async (_: string, args: Record<string, unknown>) => (args.big ? "z".repeat(17 * 1024 * 1024) : "small"),
    search: async () => [],
  }
  const code = `const e = await tools.t__read({ big: true }).then(() => "taken", (e) => e.message)
  return { e, next: await tools.t__read({}) }`
  const r = await runCode({ code, limits: { ...limits, memoryBytes: 16 * 1024 * 1024 }, host })
  expect(r.ok).toBe(true)
  if (!r.ok) return
  const v = r.value as { e: string; next: string }
  expect(v.e).toMatch(/^tools\["t__read"\]: its result is 17825794 characters of JSON, more than the script's memory \(16 MiB, codeMode\.memory\) can take in \(at most half of it: the text and the value read from it both live there\); ask the tool for less/)
  expect(v.next).toBe("small")
})
