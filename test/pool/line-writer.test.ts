/**
 * LineWriter: the first line of a burst at once, the rest of the burst in one write and one flush;
 * after a burst of several lines (traffic in bursts), the next burst goes out whole at its end.
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
  test("first line of a burst flushed at once, the rest of the burst as one write and one flush", async () => {
    const r = recorder()
    const w = new LineWriter(r.sink)
    w.write('{"a":1}')
    expect(r.flushes()).toBe(1)
    expect(r.sentAtFlush()).toEqual(['{"a":1}\n'])
    for (let i = 2; i <= 16; i++) w.write(`{"a":${i}}`)
    expect(r.flushes()).toBe(1)
    // promise reactions of the same burst (e.g. answers one read resolved) join it
    await Promise.resolve()
    expect(r.flushes()).toBe(2)
    expect(r.writes.length).toBe(2)
    expect(r.writes[1]).toBe(Array.from({ length: 15 }, (_, i) => `{"a":${i + 2}}\n`).join(""))
    expect(r.sentAtFlush()).toEqual(r.writes)
    // the burst after a burst of several lines goes out whole at its end: one write, one flush
    w.write('{"next":"burst"}')
    w.write('{"and":"more"}')
    expect(r.flushes()).toBe(2)
    await Promise.resolve()
    expect(r.flushes()).toBe(3)
    expect(r.writes[2]).toBe('{"next":"burst"}\n{"and":"more"}\n')
    // a lone line after that is deferred once (its burst's end, within the same turn) ...
    w.write('{"lone":1}')
    expect(r.flushes()).toBe(3)
    await new Promise((done) => setImmediate(done))
    expect(r.flushes()).toBe(4)
    // ... and sequential traffic is then written at once again
    w.write('{"lone":2}')
    expect(r.flushes()).toBe(5)
    expect(r.sentAtFlush().at(-1)).toBe('{"lone":2}\n')
    await new Promise((done) => setImmediate(done))
    expect(r.flushes()).toBe(5)
  })

  test("close hands pending lines over, then drops later ones", async () => {
    const r = recorder()
    const w = new LineWriter(r.sink)
    w.write('{"first":1}')
    w.write('{"last":1}')
    w.close()
    expect(r.writes).toEqual(['{"first":1}\n', '{"last":1}\n'])
    w.write("dropped")
    await new Promise((done) => setImmediate(done))
    expect(r.writes.length).toBe(2)
  })

  test("the line written at once throws if the sink does; a failure of the rest of a burst goes to onError", async () => {
    const errors: unknown[] = []
    let fail = false
    const w = new LineWriter({ write: () => { if (fail) throw new Error("EPIPE") }, flush: () => 0 }, (e) => errors.push(e))
    w.write("{}")
    fail = true
    w.write("{}")
    await Promise.resolve()
    expect(errors.map(String)).toEqual(["Error: EPIPE"])
    // after a burst of several lines the next one is deferred whole: its failure goes to onError
    w.write("{}")
    await Promise.resolve()
    expect(errors.length).toBe(2)
    // a lone line after a lone line is written at once, and throws
    expect(() => w.write("{}")).toThrow("EPIPE")
  })

  test("backlog: what the sink took while full (its write or flush a promise) counts until it drains, then onDrain once", async () => {
    let full = false
    const pending: (() => void)[] = []
    const later = (): Promise<number> => new Promise<number>((done) => pending.push(() => done(0)))
    const sink = { write: (s: string) => (full ? later() : s.length), flush: () => (full ? later() : 0) }
    let drains = 0
    const w = new LineWriter(sink, undefined, () => drains++)
    w.write('{"a":1}')
    expect(w.backlog).toBe(0)
    await new Promise((done) => setImmediate(done))
    full = true
    w.write('{"b":2}')
    expect(w.backlog).toBe(8)
    w.write('{"c":3}') // held for the burst's end: counted too
    expect(w.backlog).toBe(16)
    await Promise.resolve()
    expect(w.backlog).toBe(16)
    full = false
    for (const done of pending.splice(0)) done()
    await new Promise((done) => setImmediate(done))
    expect(w.backlog).toBe(0)
    expect(drains).toBe(1)
  })
})
