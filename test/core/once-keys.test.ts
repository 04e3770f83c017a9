import { expect, test } from "bun:test"
import { OnceKeys } from "../../src/core/index.ts"

test("a key is first once; past the bound the memory starts over", () => {
  const k = new OnceKeys(2)
  expect([k.first("a"), k.first("a"), k.first("b"), k.first("b")]).toEqual([true, false, true, false])
  // a third key clears the two remembered: "a" is first again
  expect(k.first("c")).toBe(true)
  expect(k.first("a")).toBe(true)
})
