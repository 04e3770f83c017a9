/**
 * core/stderr-out: the log writer of a pipe nobody reads holds what it can, drops the rest, says
 * how much once the reader is back, and never throws. The sink stands for Bun's FileSink (a flush
 * that returns a promise: the reader is behind).
 */
import { expect, test } from "bun:test"
import { heldOut } from "../../src/core/stderr-out.ts"

function sink() {
  const written: string[] = []
  let release: ((n: number) => void) | undefined
  let fail: ((e: Error) => void) | undefined
  let full = false
  return {
    written,
    fill: () => void (full = true),
    drain: () => {
      full = false
      release?.(0)
    },
    breakPipe: () => fail?.(new Error("EPIPE")),
    open: () => ({
      write: (s: string) => (written.push(s), s.length),
      flush: () => (full ? new Promise<number>((res, rej) => ((release = res), (fail = rej))) : 0),
    }),
  }
}

test("a reader behind: lines are held up to the limit, the rest dropped and counted, then told", async () => {
  const s = sink()
  const out = heldOut(s.open, 10)
  out.write("a\n")
  s.fill()
  out.write("b\n") // handed over; its flush waits
  out.write("c\n") // held
  out.write("dddd\n") // held (7 of 10)
  out.write("eeee\nffff\n") // over the limit: 2 lines dropped
  expect(s.written).toEqual(["a\n", "b\n"])
  s.drain()
  await Bun.sleep(0)
  expect(s.written.length).toBe(3)
  const [held, note] = [s.written[2]!.slice(0, 7), s.written[2]!.slice(7)]
  expect(held).toBe("c\ndddd\n")
  expect(JSON.parse(note)).toMatchObject({ level: "warn", msg: "log lines dropped: stderr was not read", dropped: 2 })
  out.write("g\n")
  expect(s.written[3]).toBe("g\n")
})

test("the reader gone (the flush fails): later lines go nowhere, nothing throws", async () => {
  const s = sink()
  const out = heldOut(s.open)
  s.fill()
  out.write("a\n")
  s.breakPipe()
  await Bun.sleep(0)
  out.write("b\n")
  expect(s.written).toEqual(["a\n"])
})

test("a sink that cannot be opened or written drops the line, never throws", () => {
  const out = heldOut(() => {
    throw new Error("no stderr")
  })
  expect(() => out.write("x\n")).not.toThrow()
})
