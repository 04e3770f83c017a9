/**
 * core/unsafe-text, as a property: over any text mixing the class's members with ordinary, astral
 * and JSON-significant characters, the escaped text holds none of the class (but what the caller
 * keeps) and reverses to the input (`unescapeUnsafe`; JSON text: JSON.parse). The class's ranges
 * as exported are the members test/core/unsafe-text-callers walks.
 */
import { expect, test } from "bun:test"
import fc from "fast-check"
import { QUOTED_NAME_MAX, UNSAFE_RANGES, escapeUnsafe, escapeUnsafeJson, quoteName, unescapeUnsafe } from "../../src/core/index.ts"

const member = fc.constantFrom(...UNSAFE_RANGES.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => String.fromCodePoint(a + i))))
const other = fc.constantFrom("a", "Z", " ", "\\", '"', "u", "0", "é", "中", "😀", "\u00ac", "\u2027", "\u202f", "\u206a", "\ufefe", "\u{e0080}")
const text = fc.array(fc.oneof(member, other, fc.string({ maxLength: 3, unit: "grapheme" })), { maxLength: 40 }).map((a) => a.join(""))

const isMember = (c: string): boolean => UNSAFE_RANGES.some(([a, b]) => c.codePointAt(0)! >= a && c.codePointAt(0)! <= b)
const raw = (s: string, keep = ""): string[] => [...s].filter((c) => isMember(c) && !keep.includes(c))

test("plain text: no member left (but those kept), and back to the input", () => {
  fc.assert(
    fc.property(text, fc.constantFrom("", "\n\t"), (s, keep) => {
      const out = escapeUnsafe(s, keep)
      expect(raw(out, keep)).toEqual([])
      // a text with a `\uXXXX` of its own reads back as that character: left out of the round trip
      if (!/\\u[0-9a-fA-F]{4}/.test(s)) expect(unescapeUnsafe(out)).toBe(s)
    }),
    { numRuns: 500 },
  )
})

test("JSON text and quoted names: no member left, and JSON.parse gives the input", () => {
  fc.assert(
    fc.property(text, (s) => {
      const out = escapeUnsafeJson(JSON.stringify(s))
      expect(raw(out)).toEqual([])
      expect(JSON.parse(out)).toBe(s)
      const q = quoteName(s)
      expect(raw(q)).toEqual([])
      // a longer name is cut and its length said after the quotes
      if (s.length <= QUOTED_NAME_MAX) expect(JSON.parse(q)).toBe(s)
    }),
    { numRuns: 500 },
  )
})
