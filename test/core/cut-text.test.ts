/**
 * Text cut for display never breaks a character (QA report item 13, side defect): core's `cutText`
 * keeps whole code points and ends on no dangling zero-width joiner, and every place that cuts a
 * downstream's or a user's text for a model uses it — the one-line summary and the argument types
 * of search_tools, the description cap of the sanitizer, the bound on forwarded log messages.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { cleanText } from "../../src/catalog/index.ts"
import { cutText, secrets } from "../../src/core/index.ts"
import { argSignature, oneLine } from "../../src/mcp/tools/tool-summary.ts"
import { capLogData } from "../../src/proxy/log-cap.ts"

const EMOJI = "😀" // U+1F600: two UTF-16 units

/** Text of letters, spaces, astral characters and joiners. */
const mixed = fc.array(fc.constantFrom("a", " ", EMOJI, "𠀀", "\u200D", "é", "👩\u200D💻"), { maxLength: 60 }).map((p) => p.join(""))

describe("cutText", () => {
  test("a cut never falls inside a configured secret: one across it is left out whole; one before it stays for the exit's redaction (qa106)", () => {
    secrets.set("cut-test", ["Kq7Lp2Wm9Xz4Rv8T"])
    try {
      const text = `header x-ref Kq7Lp2Wm9Xz4Rv8T and more`
      for (let max = 14; max < 29; max++) expect(cutText(text, max)).toBe("header x-ref ")
      expect(cutText(text, 29)).toBe("header x-ref Kq7Lp2Wm9Xz4Rv8T")
      expect(cutText(text, 12)).toBe("header x-ref")
      // ordinary text is cut where it was
      expect(cutText("a".repeat(50), 20)).toBe("a".repeat(20))
    } finally {
      secrets.delete("cut-test")
    }
  })

  test("a whole prefix of at most max units, never half a pair, never ending on a joiner, short only by those (fast-check)", () => {
    fc.assert(
      fc.property(mixed, fc.integer({ min: 0, max: 130 }), (text, max) => {
        const out = cutText(text, max)
        expect(text.startsWith(out)).toBe(true)
        expect(out.length).toBeLessThanOrEqual(Math.max(max, 0))
        expect(out.isWellFormed()).toBe(true)
        if (text.length <= max) expect(out).toBe(text)
        else {
          expect(out.endsWith("\u200D")).toBe(false)
          // only a pair's high half and joiners before it are given up
          expect(text.slice(out.length, max)).toMatch(/^\u200D*[\uD800-\uDBFF]?$/)
        }
      }),
      { numRuns: 3000 },
    )
  })

  test("examples", () => {
    expect(cutText(`ab${EMOJI}`, 3)).toBe("ab")
    expect(cutText(`ab${EMOJI}`, 4)).toBe(`ab${EMOJI}`)
    expect(cutText(`ab${EMOJI}c`, 4)).toBe(`ab${EMOJI}`)
    expect(cutText("👩\u200D💻", 3)).toBe("👩")
    expect(cutText("abc", 0)).toBe("")
  })
})

describe("where text is cut for a model", () => {
  test("search_tools' one-line summary: an emoji at the cut goes whole", () => {
    const out = oneLine(`${"a".repeat(98)}${EMOJI.repeat(5)} end.`)
    expect(out).toBe(`${"a".repeat(98)}…`)
    expect(out.isWellFormed()).toBe(true)
  })

  test("search_tools' argument signature: a long type cut inside an emoji keeps no half of it", () => {
    const sig = argSignature({ type: "object", properties: { pick: { enum: [`${"b".repeat(29)}${EMOJI.repeat(4)}`] } }, required: ["pick"] })
    expect(sig).toBe(`(pick: "${"b".repeat(29)}…)`)
    expect(sig.isWellFormed()).toBe(true)
  })

  test("the description cap of the sanitizer", () => {
    const report = { hidden: 0, truncated: 0 }
    const text = `${"x".repeat(9)}${EMOJI.repeat(40)}`
    // the note counts toward the cap: 10 units are left for the text, and the 10th is half an emoji
    const note = `… [truncated by mcp-orchestrator: ${text.length} characters]`
    const out = cleanText(text, note.length + 10, report)
    expect(out).toBe(`${"x".repeat(9)}${note}`)
    expect(out.length).toBeLessThanOrEqual(note.length + 10)
    expect(out.isWellFormed()).toBe(true)
    expect(report.truncated).toBe(1)
  })

  test("a forwarded log message over its bound, as a string and as JSON", () => {
    const s = capLogData(`${"x".repeat(9)}${EMOJI.repeat(3)}`, 10) as string
    expect(s.startsWith(`${"x".repeat(9)}… [log message cut`)).toBe(true)
    expect(s.isWellFormed()).toBe(true)
    const j = capLogData({ m: `${"x".repeat(3)}${EMOJI.repeat(5)}` }, 10) as string
    expect(j.isWellFormed()).toBe(true)
  })
})
