/**
 * core/stream-tail: a configured value streamed in pieces under 6 characters (a token per progress
 * or log message, qa327) shows in no run of 3 or more of its characters; a stream that holds no
 * value's start goes out at once, unchanged. Property tests with fast-check.
 */
import { afterEach, expect, test } from "bun:test"
import fc from "fast-check"
import { HOLD_MIN, REDACTED, secrets, StreamTail } from "../../src/core/index.ts"

const GROUP = "test-stream-tail"
afterEach(() => secrets.delete(GROUP))

const KEY = "Qz7xK2mPvR9tLw4nB8cD"
/** Cut `text` at the given lengths (cycled), each 1 to 5 characters. */
function cut(text: string, sizes: readonly number[]): string[] {
  const out: string[] = []
  for (let i = 0, k = 0; i < text.length; k++) {
    const n = sizes[k % sizes.length]!
    out.push(text.slice(i, i + n))
    i += n
  }
  return out
}

function run(pieces: readonly string[]): { sent: string[]; heldAtEnd: number } {
  const tail = new StreamTail<number>()
  const sent: string[] = []
  pieces.forEach((p, i) => {
    for (const [, t] of tail.push(i, p)) sent.push(t)
  })
  const flushed = tail.flush()
  for (const [, t] of flushed) sent.push(t)
  return { sent, heldAtEnd: flushed.length }
}

test("a value streamed in pieces of 1 to 5 characters: no run of HOLD_MIN of its characters goes out, the text around it does", () => {
  secrets.add(GROUP, KEY)
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 8 }), fc.constantFrom("", "log: ", "token="), fc.constantFrom("", " done", " HOME=/h"), (sizes, before, after) => {
      const { sent } = run(cut(`${before}${KEY}${after}`, sizes))
      const joined = sent.join("")
      expect(joined).toContain(REDACTED)
      expect(joined.startsWith(before)).toBe(true)
      expect(joined.endsWith(after)).toBe(true)
      for (let i = 0; i + HOLD_MIN <= KEY.length; i++) expect(joined).not.toContain(KEY.slice(i, i + HOLD_MIN))
    }),
    { numRuns: 300 },
  )
})

test("a stream that holds no value's start goes out at once and unchanged", () => {
  secrets.add(GROUP, KEY)
  fc.assert(
    // letters as well as spaces: no test file leaves its values registered for the next
    // (test/helpers/secrets.ts; remote-bad-answer's "key-8b-…" held a piece "key")
    fc.property(fc.array(fc.stringMatching(/^[a-z ]{0,12}$/), { maxLength: 30 }), (pieces) => {
      const tail = new StreamTail<number>()
      pieces.forEach((p, i) => expect(tail.push(i, p)).toEqual([[i, p]]))
      expect(tail.holding).toBe(false)
    }),
  )
  // the words an earlier file's values started with (run in one process, the suite met them at random)
  const tail = new StreamTail<number>()
  const words = ["the key", " is ", "my-very", " own ", "disk", " and ", "Key", "Secret"]
  words.forEach((w, i) => expect(tail.push(i, w)).toEqual([[i, w]]))
})

test("a held piece the next one tells apart goes out unchanged; the cost per message is measured", () => {
  secrets.add(GROUP, KEY)
  const tail = new StreamTail<number>()
  // ends with the key's first 3 characters: held
  expect(tail.push(0, "see Qz7")).toEqual([])
  expect(tail.holding).toBe(true)
  // not the key after all: both go out as they were
  expect(tail.push(1, "abc")).toEqual([
    [0, "see Qz7"],
    [1, "abc"],
  ])
  // cost of a message that cannot start a value, with 50 values of 40 characters registered
  for (let i = 0; i < 50; i++) secrets.add(GROUP, `${i}-${crypto.randomUUID()}`.slice(0, 40))
  const words = "the quick brown fox jumps over a lazy dog ".split(" ")
  const n = 20_000
  const t0 = performance.now()
  for (let i = 0; i < n; i++) tail.push(i, words[i % words.length]!)
  const perMessageUs = ((performance.now() - t0) * 1000) / n
  console.error(`stream-tail: ${perMessageUs.toFixed(2)} µs per message (50 values registered)`)
  expect(tail.holding).toBe(false)
})
