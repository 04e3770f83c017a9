import { expect, test } from "bun:test"
import { OnceKeys } from "../../src/core/index.ts"

test("a key is first once; past the bound the memory starts over", () => {
  const k = new OnceKeys(2)
  expect([k.first("a"), k.first("a"), k.first("b"), k.first("b")]).toEqual([true, false, true, false])
  // a third key clears the two remembered: "a" is first again
  expect(k.first("c")).toBe(true)
  expect(k.first("a")).toBe(true)
})

test("a pass says its first `limit` new keys and counts the rest; a list that stays the same says nothing again", () => {
  const k = new OnceKeys(100)
  const said: string[] = []
  const keys = Array.from({ length: 25 }, (_, i) => `k${i}`)
  const p1 = k.pass(10)
  for (const key of keys) p1.say(key, () => said.push(key))
  expect(said).toEqual(keys.slice(0, 10))
  expect(p1.more).toBe(15)
  const p2 = k.pass(10)
  for (const key of keys) p2.say(key, () => said.push(key))
  expect(said.length).toBe(10)
  expect(p2.more).toBe(0)
  // a new key is said in the next pass
  const p3 = k.pass(10)
  for (const key of [...keys, "new"]) p3.say(key, () => said.push(key))
  expect(said.at(-1)).toBe("new")
  expect(p3.more).toBe(0)
})
