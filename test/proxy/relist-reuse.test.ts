/**
 * A re-list keeps the objects of definitions whose JSON did not change (proxy/fetch-list), so a
 * change of one tool re-checks, re-hashes (pins), re-sanitizes, re-names and re-encodes that tool
 * only; an equal list is "no change" and keeps its array, exactly when the lists' JSON is the same.
 */
import { expect, test } from "bun:test"
import fc from "fast-check"
import { refreshLists, reuseUnchanged } from "../../src/proxy/fetch-list.ts"
import type { ServerLists } from "../../src/proxy/surface.ts"
import type { Pool } from "../../src/pool/index.ts"
import type { Tool } from "../../src/proxy/index.ts"

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

test("property: a list mixing the old objects and fresh ones gets the same answer", () => {
  const item = fc.record({ name: fc.constantFrom("a", "b", "c"), description: fc.constantFrom("x", "y") })
  fc.assert(
    fc.property(fc.array(item, { maxLength: 5 }), fc.array(fc.oneof(item, fc.nat(9)), { maxLength: 5 }), (before, picks) => {
      // a number picks an old object (none when there is none), as a relist hands in unchanged definitions
      const after = picks.flatMap((p) => (typeof p !== "number" ? [p] : before.length ? [before[p % before.length]!] : []))
      const next = reuseUnchanged(before, after)
      expect(JSON.stringify(next)).toBe(JSON.stringify(after))
      expect(next === before).toBe(JSON.stringify(before) === JSON.stringify(after))
      for (const t of next) expect(before.includes(t) || after.includes(t)).toBe(true)
    }),
    { numRuns: 300 },
  )
})

/** A pool whose one server lists `tools()` afresh (a new parse) at each tools/list. */
function listing(tools: () => unknown[]): Pool {
  return { call: async () => ({ tools: JSON.parse(JSON.stringify(tools())) as unknown[] }) } as unknown as Pool
}

test("a relist after one tool changed: the others come out as the same objects, and the gate sees the changed one anew", async () => {
  let defs: unknown[] = [def("a"), def("b"), { name: "c" }] // c is repaired (inputSchema added)
  const pool = listing(() => defs)
  const seen: Tool[][] = []
  const gate = (_server: string, tools: Tool[]): Tool[] => (seen.push(tools), tools)
  const e: ServerLists = { server: "s" }
  expect(await refreshLists(pool, e, "tools", gate)).toBe(true)
  const first = e.tools!
  expect(first.map((t) => t.name)).toEqual(["a", "b", "c"])
  expect(first[2]!.inputSchema).toEqual({ type: "object" })

  // the same definitions, parsed again: no change, the same array
  expect(await refreshLists(pool, e, "tools", gate)).toBe(false)
  expect(e.tools).toBe(first)
  expect(seen[1]![0]).toBe(seen[0]![0]!)

  // b's description changes (same name): b is new, a and the repaired c are the objects listed before
  defs = [def("a"), def("b", "changed"), { name: "c" }]
  expect(await refreshLists(pool, e, "tools", gate)).toBe(true)
  const next = e.tools!
  expect(next[0]).toBe(first[0]!)
  expect(next[2]).toBe(first[2]!)
  expect(next[1]).not.toBe(first[1]!)
  expect(next[1]!.description).toBe("changed")
  // the gate (pins) is handed b as now sent, the others as the objects it hashed before
  expect(seen[2]![0]).toBe(seen[0]![0]!)
  expect(seen[2]![1]).not.toBe(seen[0]![1]!)
  expect(seen[2]![1]!.description).toBe("changed")

  // and back: b's first definition is a change again
  defs = [def("a"), def("b"), { name: "c" }]
  expect(await refreshLists(pool, e, "tools", gate)).toBe(true)
  expect(e.tools!.map((t) => t.description)).toEqual(["d", "d", undefined])
})
