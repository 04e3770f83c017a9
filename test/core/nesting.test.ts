/** core/nesting: the depth check run on every parsed downstream answer (pool/rpc resultProblem) and on what run_code hands a script. */
import { expect, test } from "bun:test"
import { nestsDeeperThan } from "../../src/core/nesting.ts"
test("nestsDeeperThan counts levels of arrays and objects without recursion, 100 000 deep included", () => {
  expect(nestsDeeperThan(JSON.parse("[".repeat(5) + "]".repeat(5)), 5)).toBe(false)
  expect(nestsDeeperThan(JSON.parse("[".repeat(6) + "]".repeat(6)), 5)).toBe(true)
  expect(nestsDeeperThan({ a: { b: [1, { c: {} }] } }, 4)).toBe(true)
  expect(nestsDeeperThan({ a: { b: [1, { c: {} }] } }, 5)).toBe(false)
  expect(nestsDeeperThan("x", 0)).toBe(false)
  expect(nestsDeeperThan(JSON.parse(`{"d":${"[".repeat(100000)}${"]".repeat(100000)}}`), 10000)).toBe(true)
})
