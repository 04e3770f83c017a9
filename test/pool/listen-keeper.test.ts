/**
 * ListenKeeper (pool/modern-listen): a 2026-07-28 list-change listen refused before any was
 * acknowledged stays refused; one that ends after an acknowledgement is re-opened, paced (2 s
 * doubling to 30 s, ±20 %), and lists are not taken as followed while it is down.
 */
import { expect, test } from "bun:test"
import { ListenKeeper, RELISTEN_CAP_MS, RELISTEN_MS } from "../../src/pool/modern-listen.ts"
import { captureLog } from "../proxy/helpers.ts"

function keeper(): { k: ListenKeeper; opens: () => number; resumed: () => number; waits: () => number[] } {
  const cap = captureLog()
  let opens = 0
  let resumed = 0
  const k = new ListenKeeper(
    () => opens++,
    () => resumed++,
    cap.log,
    () => false,
  )
  const waits = (): number[] => cap.records.filter((r) => r.msg === "subscriptions/listen ended; re-opening").map((r) => Number(r.inMs))
  return { k, opens: () => opens, resumed: () => resumed, waits }
}

test("an error before any acknowledgement is a refusal: not re-opened, not followed", () => {
  const { k, opens, waits } = keeper()
  k.start()
  k.ended(new Error("no"), true)
  expect(opens()).toBe(1)
  expect(waits()).toEqual([])
  expect(k.following).toBe(false)
  k.stop()
})

test("an acknowledged listen that ends (an error too) is re-opened, with a growing wait up to the cap", () => {
  const { k, waits, resumed } = keeper()
  k.start()
  for (let i = 0; i < 7; i++) {
    k.acknowledged()
    expect(k.following).toBe(true)
    k.ended(new Error("dropped"), true)
    expect(k.following).toBe(false)
  }
  k.stop()
  const w = waits()
  expect(w.length).toBe(7)
  expect(w[0]).toBeGreaterThanOrEqual(RELISTEN_MS * 0.8)
  for (let i = 1; i < w.length; i++) expect(w[i]!).toBeGreaterThanOrEqual(Math.min(RELISTEN_CAP_MS * 0.8, w[i - 1]! * 1.2))
  for (const x of w) expect(x).toBeLessThanOrEqual(RELISTEN_CAP_MS)
  expect(w.at(-1)!).toBeGreaterThanOrEqual(RELISTEN_CAP_MS * 0.8)
  // each acknowledgement after the first: the lists are read again
  expect(resumed()).toBe(6)
})

test("a list asked for before the first acknowledgement is read again when it comes; none asked for, or asked after it: no second read", () => {
  const early = keeper()
  early.k.start()
  early.k.listing()
  early.k.acknowledged()
  expect(early.resumed()).toBe(1)
  early.k.stop()
  const late = keeper()
  late.k.start()
  late.k.acknowledged()
  late.k.listing()
  expect(late.resumed()).toBe(0)
  late.k.stop()
})
