/**
 * A re-list keeps the objects of definitions whose JSON did not change (proxy/fetch-list), so a
 * change of one tool re-sanitizes, re-names and re-encodes that tool only; an equal list is "no
 * change" and keeps its array, exactly when the lists' JSON is the same.
 */
import { expect, test } from "bun:test"
import fc from "fast-check"
import { reuseUnchanged } from "../../src/proxy/fetch-list.ts"

const def = (name: string, description = "d") => ({ name, description, inputSchema: { type: "object" } })

test("one renamed tool: the others keep their objects; an equal list keeps the array", () => {
  const before = [def("a"), def("b"), def("c")]
  const after = [def("a"), def("b_v2"), def("c")]
  const next = reuseUnchanged(before, after)
  expect(next).not.toBe(before)
  expect(next).toEqual(after)
  expect(next[0]).toBe(before[0]!)
  expect(next[1]).toBe(after[1]!)
  expect(next[2]).toBe(before[2]!)
  expect(reuseUnchanged(next, [def("a"), def("b_v2"), def("c")])).toBe(next)
  expect(reuseUnchanged(undefined, after)).toBe(after)
})

test("property: same JSON as the new list; the old array back exactly when the JSON is equal", () => {
  const item = fc.record({ name: fc.constantFrom("a", "b", "c"), description: fc.constantFrom("x", "y") })
  fc.assert(
    fc.property(fc.array(item, { maxLength: 5 }), fc.array(item, { maxLength: 5 }), (before, after) => {
      const next = reuseUnchanged(before, after)
      expect(JSON.stringify(next)).toBe(JSON.stringify(after))
      expect(next === before).toBe(JSON.stringify(before) === JSON.stringify(after))
      for (const t of next) expect(before.includes(t) || after.includes(t)).toBe(true)
    }),
    { numRuns: 300 },
  )
})
