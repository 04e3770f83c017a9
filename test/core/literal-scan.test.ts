/**
 * core/literal-scan: the sampled scan gives the verdict of one alternation of all the literals, for
 * literals of any length (short ones bounded as whole tokens) at any place of a text, also at its
 * very start and end, in text made of the literals' own alphabet (hex, base64) and in other text.
 */
import { expect, test } from "bun:test"
import fc from "fast-check"
import { alternations, valuePattern } from "../../src/core/index.ts"
import { LiteralScan, SAMPLED_MIN } from "../../src/core/literal-scan.ts"

const alternation = (literals: string[]) => alternations([...literals].sort((a, b) => b.length - a.length).map(valuePattern))
function expected(literals: string[], text: string): boolean {
  return alternation(literals).some((re) => ((re.lastIndex = 0), re.test(text)))
}
const scan = (literals: string[]) => new LiteralScan([...literals].sort((a, b) => b.length - a.length), valuePattern, alternations)

const alphabet = fc.constantFrom("0123456789abcdef", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", "ab", "a b.c-d_e%2F&\"\\é😀")
const word = (chars: string, min: number, max: number) => fc.array(fc.constantFrom(...chars), { minLength: min, maxLength: max }).map((a) => a.join(""))

test("the same verdict as the alternation, a literal inserted anywhere or not", () => {
  fc.assert(
    fc.property(
      alphabet.chain((chars) =>
        fc.record({
          literals: fc.array(word(chars, 4, 40), { minLength: 1, maxLength: 12 }),
          text: word(chars, 0, 400),
          insert: fc.option(fc.record({ which: fc.nat(), at: fc.nat() })),
        }),
      ),
      ({ literals, text, insert }) => {
        let t = text
        if (insert) {
          const lit = literals[insert.which % literals.length]!
          const at = insert.at % (t.length + 1)
          t = t.slice(0, at) + lit + t.slice(at)
        }
        expect(scan(literals).test(t)).toBe(expected(literals, t))
      },
    ),
    { numRuns: 400 },
  )
})

test("a long literal is found at every offset of a text of its own alphabet, at its start and end", () => {
  const lit = "a3f9c2e17b4d8e6f0a1b2c3d4e5f6a7b"
  const s = scan([lit, "deadbeef00112233"])
  const filler = "0123456789abcdef".repeat(40)
  for (let at = 0; at <= filler.length; at += 1) expect(s.test(filler.slice(0, at) + lit + filler.slice(at))).toBe(true)
  expect(s.test(lit)).toBe(true)
  expect(s.test(filler)).toBe(false)
  expect(s.test(lit.slice(0, SAMPLED_MIN))).toBe(false)
})

test("a short literal keeps its whole-token bound", () => {
  const s = scan(["local", "hunter22!xyz"])
  expect(s.test("localhost")).toBe(false)
  expect(s.test("pass=local;")).toBe(true)
  expect(s.test("x hunter22!xyz")).toBe(true)
})
