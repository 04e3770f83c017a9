/**
 * sandbox/char-window, the one window run_code keeps twice (call arguments in flight, answers in
 * transit; their behaviour through the real sandbox: run-code-args-in-flight, run-code-answers-in-transit).
 * Here the window alone: order, budget, one item alone always goes, a free item, each item made
 * ready once, and a send that releases in turn.
 */
import { expect, test } from "bun:test"
import { charWindow } from "../../src/sandbox/char-window.ts"

test("first come first out within the budget; one item alone goes however long; each made ready once", () => {
  const sent: number[] = []
  const readied: number[] = []
  const w = charWindow(10)
  const item = (id: number, chars: number) => () => (readied.push(id), { chars, send: () => sent.push(id) })
  w.push(1, item(1, 25)) // alone: goes though over the budget
  w.push(2, item(2, 4))
  w.push(3, item(3, 1)) // fits, but waits behind 2: the order holds
  w.push(4, () => ({ free: () => sent.push(4) })) // free, but in order too
  expect({ sent, out: w.out }).toEqual({ sent: [1], out: 25 })
  w.release(1)
  expect({ sent, out: w.out }).toEqual({ sent: [1, 2, 3, 4], out: 5 })
  w.push(5, item(5, 6))
  expect(sent).toEqual([1, 2, 3, 4])
  w.release(99) // unknown: nothing
  w.release(2)
  expect({ sent, out: w.out }).toEqual({ sent: [1, 2, 3, 4, 5], out: 7 })
  expect(readied).toEqual([1, 2, 3, 5])
})

test("a send that releases (or pushes) in turn: the window goes on in order, nothing sent twice", () => {
  const sent: number[] = []
  const w = charWindow(10)
  w.push(1, () => ({ chars: 8, send: () => sent.push(1) }))
  w.push(2, () => ({
    chars: 8,
    send: () => {
      sent.push(2)
      w.push(3, () => ({ chars: 1, send: () => sent.push(3) }))
      w.release(2)
    },
  }))
  w.release(1)
  expect({ sent, out: w.out }).toEqual({ sent: [1, 2, 3], out: 1 })
})
