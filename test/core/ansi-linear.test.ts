/**
 * core/ansi `replaceAnsi`: the escape sequences the regular expression it replaces matched (checked
 * against it on random short texts of escape-relevant characters), in time linear in the text. A
 * text of string-command openers that are never terminated (`\u009d a` repeated) made the regular
 * expression look for a terminator to the end of the text from each opener: 240 KB of it in a
 * downstream's tool description held the event loop 26 s (test/faults/ansi-backtracking.test.ts).
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { replaceAnsi, stripAnsi, terminalText } from "../../src/core/index.ts"
import { stripInvisible } from "../../src/catalog/index.ts"

/** The regular expression sequences were matched with (the meaning kept). */
const ORACLE = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d-\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)|\u001b[ -/]*[0-~]/g

const CHARS = ["\u001b", "\u009b", "\u009c", "\u009d", "\u0090", "\u0098", "\u009e", "\u009f", "\u0091", "\u0007", "[", "]", "\\", "P", "X", "^", "_", "0", ";", "?", " ", "/", "m", "K", "a", "~", "\n", "\u007f"]
const textArb = fc.array(fc.constantFrom(...CHARS), { maxLength: 24 }).map((a) => a.join(""))

describe("replaceAnsi", () => {
  test("removes exactly what the regular expression matched, sequence by sequence", () => {
    fc.assert(
      fc.property(textArb, (text) => {
        const seen: string[] = []
        const got = replaceAnsi(text, (m) => {
          seen.push(m)
          return "<>"
        })
        expect(got).toBe(text.replace(ORACLE, "<>"))
        expect(seen).toEqual(text.match(ORACLE) ?? [])
      }),
      { numRuns: 5000 },
    )
  })

  test("the sequences a terminal writes", () => {
    expect(stripAnsi("\u001b[31mred\u001b[0m \u001b]8;;https://x.io\u001b\\link\u001b]8;;\u001b\\ \u001b(B\u001b7ok")).toBe("red link ok")
    expect(stripAnsi("\u009b1;2Hat\u009d0;title\u0007")).toBe("at")
    expect(terminalText("⠋ Pulling…\r\u001b[K⠙ Done")).toBe("⠙ Done")
  })

  test("texts of openers never terminated are read in one pass", () => {
    // each of these took the regular expression tens of seconds or more
    for (const unit of ["\u009d a", "\u0090", "\u009f\u009b", "\u001b]a\u0090b"]) {
      const text = unit.repeat(Math.ceil(600_000 / unit.length))
      expect(replaceAnsi(text, () => "").length).toBeGreaterThan(0)
      const { removed } = stripInvisible(text)
      expect(removed).toBeGreaterThan(0)
    }
  })
})
