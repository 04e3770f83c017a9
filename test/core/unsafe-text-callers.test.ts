/**
 * One class of unsafe characters (core/unsafe-text), escaped alike by every caller: error messages
 * (core/quote-name), run_code console lines and plugin output (sandbox/visible `visibleText`), file
 * paths (`visiblePath`), a parser plugin's keys in a Toolkit error (docker/registry). Each had its
 * own class with other gaps: console lines and plugin output left U+2028/2029, the soft hyphen,
 * zero-width characters, U+2060–2065, the BOM and tag characters raw (hidden text a model reads);
 * paths left the line separators; the registry's keys most of the invisible ones.
 * Every member of the class, through every caller (the class written out here, not imported).
 */
import { describe, expect, test } from "bun:test"
import { quoteName, shownName } from "../../src/core/index.ts"
import { ParserRegistry } from "../../src/docker/index.ts"
import { visiblePath, visibleText } from "../../src/sandbox/visible.ts"

/** C0 and C1 controls, bidi controls, invisible format characters, line/paragraph separators. */
const RANGES: Array<[number, number, string]> = [
  [0x0000, 0x001f, "C0 controls"],
  [0x007f, 0x009f, "DEL and C1 controls"],
  [0x00ad, 0x00ad, "soft hyphen"],
  [0x061c, 0x061c, "Arabic letter mark (bidi)"],
  [0x180e, 0x180e, "Mongolian vowel separator"],
  [0x200b, 0x200d, "zero-width space and joiners"],
  [0x200e, 0x200f, "LRM, RLM (bidi)"],
  [0x2028, 0x2029, "line and paragraph separators"],
  [0x202a, 0x202e, "bidi embeddings and overrides"],
  [0x2060, 0x2065, "word joiner, invisible operators"],
  [0x2066, 0x2069, "bidi isolates"],
  [0xfeff, 0xfeff, "BOM"],
  [0xe0000, 0xe007f, "tag characters"],
]
const MEMBERS = RANGES.flatMap(([a, b, what]) => Array.from({ length: b - a + 1 }, (_, i) => ({ cp: a + i, what })))

const escaped = (c: string): string => [...Array(c.length).keys()].map((i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, "0")}`).join("")

/** The key a parser plugin returned, as the Toolkit error lists it ("the entry has: …"). */
function registryKeys(key: string): string {
  const parsers = new ParserRegistry()
  parsers.setOverride("servers", () => [{ [key]: "x" }], 'plugin "p" (p.js)')
  try {
    parsers.parse("servers", "anything", { version: "v0.43.3", command: "docker mcp server ls" })
  } catch (e) {
    return (e as Error).message
  }
  throw new Error("the override's value was accepted")
}

const CALLERS: Record<string, { show: (s: string) => string; keeps?: string }> = {
  "error message (quoteName)": { show: quoteName },
  "error message (shownName)": { show: shownName },
  "console line / plugin output (visibleText)": { show: visibleText, keeps: "\n\t" },
  "file path (visiblePath)": { show: visiblePath },
  "parser plugin key (docker registry)": { show: registryKeys },
}

describe("every member of the class, through every caller", () => {
  for (const [caller, { show, keeps = "" }] of Object.entries(CALLERS)) {
    test(caller, () => {
      const wrong: string[] = []
      for (const { cp, what } of MEMBERS) {
        const c = String.fromCodePoint(cp)
        if (keeps.includes(c)) continue
        const out = show(`na${c}me`)
        // none of the character's units left raw, and its escape shown (JSON's short forms for C0 count)
        const raw = [...c].some((u) => out.includes(u))
        const shown = out.includes(escaped(c)) || (cp < 0x20 && /\\[bfnrt]/.test(out))
        if (raw || !shown) wrong.push(`U+${cp.toString(16).toUpperCase().padStart(4, "0")} (${what}): ${JSON.stringify(out.slice(0, 80))}`)
      }
      expect(wrong).toEqual([])
    })
  }
  test("a console line keeps its newlines and tabs", () => {
    expect(visibleText("a\nb\tc")).toBe("a\nb\tc")
    expect(visiblePath("a\nb\tc")).toBe("a\\u000ab\\u0009c")
  })
})
