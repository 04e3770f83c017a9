/**
 * LineWriter: output coalescing per event-loop turn.
 */
import { describe, expect, test } from "bun:test"
import { LineWriter } from "../../src/pool/index.ts"

describe("LineWriter", () => {
  test("first line of a turn flushed at once, the rest of the turn in one deferred flush", async () => {
    const written: string[] = []
    let flushes = 0
    let sentAtFlush: string[] = []
    const w = new LineWriter({ write: (s: string) => written.push(s), flush: () => ((flushes += 1), (sentAtFlush = [...written])) })
    w.write('{"a":1}')
    expect(flushes).toBe(1)
    expect(sentAtFlush).toEqual(['{"a":1}\n'])
    for (let i = 2; i <= 16; i++) w.write(`{"a":${i}}`)
    expect(flushes).toBe(1)
    await new Promise((r) => setImmediate(r))
    expect(flushes).toBe(2)
    expect(sentAtFlush.length).toBe(16)
    w.write('{"next":"turn"}')
    expect(flushes).toBe(3)
    w.close()
    w.write("dropped")
    expect(written.at(-1)).toBe('{"next":"turn"}\n')
  })
})
