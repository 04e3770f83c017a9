/**
 * LineWriter: one write and one flush per burst (a synchronous run and its promise reactions).
 */
import { describe, expect, test } from "bun:test"
import { LineWriter } from "../../src/pool/index.ts"

function recorder() {
  const writes: string[] = []
  let flushes = 0
  let sentAtFlush: string[] = []
  const sink = { write: (s: string) => writes.push(s), flush: () => ((flushes += 1), (sentAtFlush = [...writes])) }
  return { sink, writes, flushes: () => flushes, sentAtFlush: () => sentAtFlush }
}

describe("LineWriter", () => {
  test("the lines of a burst reach the sink as one write and one flush when it ends, before the next turn", async () => {
    const r = recorder()
    const w = new LineWriter(r.sink)
    for (let i = 1; i <= 16; i++) w.write(`{"a":${i}}`)
    expect(r.writes).toEqual([]) // nothing while the burst runs
    // promise reactions of the same burst (e.g. answers one read resolved) join it
    await Promise.resolve()
    expect(r.flushes()).toBe(1)
    expect(r.writes).toEqual([Array.from({ length: 16 }, (_, i) => `{"a":${i + 1}}\n`).join("")])
    expect(r.sentAtFlush()).toEqual(r.writes)
    // a later burst is a write of its own, still within the same event-loop turn
    w.write('{"next":"burst"}')
    await Promise.resolve()
    expect(r.flushes()).toBe(2)
    expect(r.writes[1]).toBe('{"next":"burst"}\n')
    await new Promise((done) => setImmediate(done))
    expect(r.flushes()).toBe(2)
  })

  test("close hands pending lines over, then drops later ones", async () => {
    const r = recorder()
    const w = new LineWriter(r.sink)
    w.write('{"first":1}')
    w.write('{"last":1}')
    w.close()
    expect(r.writes).toEqual(['{"first":1}\n{"last":1}\n'])
    w.write("dropped")
    await new Promise((done) => setImmediate(done))
    expect(r.writes.length).toBe(1)
  })

  test("a sink failure goes to onError, never out of write", async () => {
    const errors: unknown[] = []
    const w = new LineWriter({ write: () => { throw new Error("EPIPE") }, flush: () => 0 }, (e) => errors.push(e))
    expect(() => w.write("{}")).not.toThrow()
    await Promise.resolve()
    expect(errors.map(String)).toEqual(["Error: EPIPE"])
  })
})
