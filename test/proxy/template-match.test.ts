/**
 * proxy/template-match: a URI against a whole resource template, without backtracking. It means
 * what the regular expression it replaces meant (checked against it on small random templates and
 * URIs, where backtracking is cheap), and a downstream's template of many adjacent expressions no
 * longer holds the process on a URI that almost fits (before: 20 expressions and a 60-character URI
 * never finished; the event loop, every server's tools with it, stalled).
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { routeResource, templateClaim } from "../../src/proxy/resource-route.ts"
import { templateMatcher, type MatchBudget } from "../../src/proxy/template-match.ts"

/** The regular expression templates were matched with before (the meaning to keep). */
function oracle(template: string): RegExp {
  const OPERATOR: Record<string, string> = { "+": ".*", "#": "(?:#.*)?", ".": "(?:\\.[^/?#]*)*", "/": "(?:/[^/?#]*)*", ";": "(?:;[^/?#]*)*", "?": "(?:\\?[^#]*)?", "&": "(?:&[^#]*)?" }
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
  let re = "^"
  let at = 0
  for (const m of template.matchAll(/\{([^{}]*)\}/g)) {
    re += esc(template.slice(at, m.index))
    at = m.index + m[0].length
    re += OPERATOR[m[1]!.charAt(0)] ?? "[^/?#]*"
  }
  return new RegExp(re + esc(template.slice(at)) + "$", "s")
}

/** Characters that matter to templates and URIs: each operator, each separator, a letter, a newline. */
const CHARS = ["a", "b", "/", "?", "#", ".", ";", "&", "=", ":", "\n", "é"]
const uriArb = fc.array(fc.constantFrom(...CHARS), { maxLength: 12 }).map((a) => a.join(""))
const pieceArb = fc.oneof(
  fc.constantFrom(...CHARS.filter((c) => c !== "\n")),
  fc.constantFrom("", "+", "#", ".", "/", ";", "?", "&").map((op) => `{${op}x}`),
)
const templateArb = fc.array(pieceArb, { minLength: 1, maxLength: 6 }).map((a) => a.join(""))

describe("templateMatcher", () => {
  test("matches exactly what the regular expression matched", () => {
    fc.assert(
      fc.property(templateArb, uriArb, (template, uri) => {
        expect(templateMatcher(template).test(uri)).toBe(oracle(template).test(uri))
      }),
      { numRuns: 3000 },
    )
  })

  test("URIs built to fit a template match it", () => {
    fc.assert(
      fc.property(templateArb, fc.array(uriArb, { minLength: 8, maxLength: 8 }), (template, values) => {
        // each expression filled with what its operator takes (the oracle says which do)
        let i = 0
        const uri = template.replace(/\{[^{}]*\}/g, () => values[i++ % values.length]!)
        expect(templateMatcher(template).test(uri)).toBe(oracle(template).test(uri))
      }),
      { numRuns: 2000 },
    )
  })

  test("the operators as RFC 6570 reads them", () => {
    const t = (template: string, uri: string) => templateMatcher(template).test(uri)
    expect(t("a://x/{id}/meta", "a://x/1/meta")).toBe(true)
    expect(t("a://x/{id}/meta", "a://x/1/2/meta")).toBe(false)
    expect(t("a://x/{+id}/meta", "a://x/1/2/meta")).toBe(true)
    expect(t("a://q{?x,y}", "a://q?x=1&y=2")).toBe(true)
    expect(t("a://p{/seg*}", "a://p/a/b")).toBe(true)
    expect(t("a://p{/seg*}", "a://pa/b")).toBe(false)
    expect(t("a://d{#f}", "a://d#any/thing?")).toBe(true)
    expect(t("a://h{.ext}", "a://h.tar.gz")).toBe(true)
    expect(t("a://x", "a://x/")).toBe(false)
    expect(t("a://x/{id}", "a://x/")).toBe(true)
  })

  test("a template of many adjacent expressions, and a URI that almost fits, are answered at once", () => {
    // with the regular expression, each of these backtracked past any test timeout
    // [template, a URI that almost fits, one that fits]
    const hostile = [
      ["note://" + "{a}".repeat(24) + "!", "note://" + "a".repeat(80) + "!x", "note://" + "a".repeat(80) + "!"],
      ["note://" + "{+a}".repeat(24) + "!", "note://" + "a".repeat(80) + "!x", "note://" + "a!".repeat(40)],
      ["note://h" + "{.a}".repeat(24) + "!", "note://h" + ".a".repeat(40) + "?", "note://h" + ".a".repeat(40) + "!"],
      ["note://" + "{a}x".repeat(24) + "!", "note://" + "x".repeat(80) + "?", "note://" + "x".repeat(80) + "!"],
    ] as const
    for (const [template, almost, fits] of hostile) {
      expect(templateMatcher(template).test(almost)).toBe(false)
      expect(templateMatcher(template).test(fits)).toBe(true)
    }
    const claims = hostile.map(([t]) => templateClaim("hostile", t)!)
    expect(routeResource("note://" + "a".repeat(200) + "!x", new Map(), claims, new Map())).toBeUndefined()
  })

  test("thousands of templates kept alive by a URI of a megabyte cost one bound, not their product", () => {
    // each template stays alive along the whole URI, with hundreds of live states: about 10^12 steps in all
    const costly = Array.from({ length: 2000 }, (_, i) => templateClaim("hostile", `x:${"{a}x".repeat(500)}${i}`)!)
    const fine = templateClaim("fine", "x:{+rest}")!
    const uri = "x:" + "x".repeat(1_000_000)
    const budget: MatchBudget = { left: 1_000_000 }
    expect(costly[0]!.match.test(uri, budget)).toBe(false)
    expect(budget.spent).toBe(true)
    // past the budget the rest is not matched: the read is refused or goes by the lists, never held
    expect(routeResource(uri, new Map(), [...costly, fine], new Map())).toBeUndefined()
    // a URI a real template fits is matched well within it
    expect(routeResource("x:abc", new Map(), [...costly, fine], new Map())).toEqual({ server: "fine" })
  })
})
