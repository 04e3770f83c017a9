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

test("resultProblem with the answer's text length finds what it finds without it (a short text is not walked)", async () => {
  const { MAX_RESULT_DEPTH, resultProblem } = await import("../../src/pool/rpc.ts")
  const deep = (n: number) => `{"content":[],"structuredContent":{"d":${"[".repeat(n)}${"]".repeat(n)}}}`
  for (const n of [1, MAX_RESULT_DEPTH - 30, MAX_RESULT_DEPTH - 29, MAX_RESULT_DEPTH - 28, MAX_RESULT_DEPTH + 1, 3 * MAX_RESULT_DEPTH]) {
    const text = deep(n)
    const result = JSON.parse(text) as unknown
    expect(resultProblem("tools/call", result, text.length)).toBe(resultProblem("tools/call", result))
  }
  expect(resultProblem("tools/call", JSON.parse(deep(MAX_RESULT_DEPTH + 1)), deep(MAX_RESULT_DEPTH + 1).length)).toContain("nests more than")
})

test("a list answer is not refused whole for one deep item (its items are checked one by one)", async () => {
  const { MAX_RESULT_DEPTH, resultProblem } = await import("../../src/pool/rpc.ts")
  const deep = `${"[".repeat(MAX_RESULT_DEPTH + 5)}${"]".repeat(MAX_RESULT_DEPTH + 5)}`
  const list = JSON.parse(`{"tools":[{"name":"ok","inputSchema":{"type":"object"}},{"name":"deep","inputSchema":{"type":"object","default":${deep}}}]}`) as unknown
  expect(resultProblem("tools/list", list)).toBeUndefined()
  expect(resultProblem("prompts/list", JSON.parse(`{"prompts":[{"name":"p","x":${deep}}]}`))).toBeUndefined()
  // a call's answer that deep is refused by name
  expect(resultProblem("tools/call", JSON.parse(`{"content":[],"structuredContent":{"d":${deep}}}`))).toContain("nests more than")
})
