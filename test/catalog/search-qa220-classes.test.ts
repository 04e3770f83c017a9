/**
 * The classes of miss QA 211's and QA 202's sets left open, taken up in QA 220, each as a rule of
 * src/catalog/search, checked with requests that are not in any set.
 */
import { describe, expect, test } from "bun:test"
import { readsOne, severalAsked } from "../../src/catalog/search/several.ts"
import { stem } from "../../src/catalog/search/tokenize.ts"
import { isReadVerb } from "../../src/catalog/search/intent.ts"
import { negatedChange } from "../../src/catalog/search/negated-state.ts"
import { qa202Fleet } from "./search-qa202-fleet.ts"
import { qa220Fleet } from "./search-qa220-fleet.ts"
import { qa211Fleet } from "./search-qa211-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const ix = fleetIndex(qa211Fleet)
const names = (q: string) => ix.search(q, { limit: 5 }).map((h) => h.tool.name)

describe("QA 220 classes: several things of a kind asked, no item named, is a listing (several.ts)", () => {
  test("a plural thing asked, typo'd or not, in a question or a fragment: the listing tool, not the one reading one item", () => {
    // (once: `issue_read` first, its method choices matching "labeled" → get_labels, "show" ≈ get)
    for (const q of ["are there any isues labeled wontfix in acme/web?", "issues assigned to me in acme/web"]) {
      const r = names(q)
      expect(r[0]).toBe("github__list_issues")
      expect(r.indexOf("github__issue_read")).toBeGreaterThan(r.indexOf("github__search_issues"))
    }
    expect(names("show me pull requests by octocat")[0]).toBe("github__list_pull_requests")
  })
  test("one item named, or a change asked, is no listing", () => {
    expect(names("what labels does issue #12 in acme/web have")[0]).toBe("github__issue_read")
    const unit = (text: string, role: "object" | "change" | "other") => ({ text, concepts: [0], role })
    expect(severalAsked([unit("issues", "object")], ["issues"], false, undefined)).toEqual(["issues"])
    expect(severalAsked([unit("issues", "object")], ["issues"], true, undefined)).toEqual([])
    expect(severalAsked([unit("close", "change"), unit("issues", "object")], ["close", "issues"], false, undefined)).toEqual([])
    // (the first thing asked says it: "the email about invoices" is one email)
    expect(severalAsked([unit("email", "object"), unit("invoices", "object")], ["email", "about", "invoices"], false, undefined)).toEqual([])
  })
  test("a name reading one item: a reading verb, the thing in the singular, nothing plural or listing", () => {
    const many = new Set(["list", "all", "search"].map(stem))
    const things = new Set([stem("issues")])
    expect(readsOne(["issue", "read"], things, stem, isReadVerb, many)).toBe(true)
    expect(readsOne(["list", "issues"], things, stem, isReadVerb, many)).toBe(false)
    expect(readsOne(["get", "project", "issue", "counts"], things, stem, isReadVerb, many)).toBe(false)
    expect(readsOne(["issue", "write"], things, stem, isReadVerb, many)).toBe(false)
  })
})

describe("QA 220 classes: a change said as not done yet is the things' state (negated-state.ts)", () => {
  const git = fleetIndex(qa202Fleet)
  const ranked = (q: string) => git.search(q, { limit: 5 }).map((h) => h.tool.name)
  test("the status tool answers, the tool doing the verb not done does not", () => {
    // (once: `git_commit` first for "committed", `git_status` 3rd)
    const r = ranked("which of my edits have i not committed yet?")
    expect(r.indexOf("git__git_status")).toBeGreaterThanOrEqual(0)
    expect(r.indexOf("git__git_commit") === -1 || r.indexOf("git__git_commit") > r.indexOf("git__git_status")).toBe(true)
    expect(r[0]).not.toBe("git__git_commit")
    // (once: `rerank-documents` first through files → documents, `git_status` not in the first five)
    expect(ranked("which files have we changed but not commit yet")[0]).toBe("git__git_status")
  })
  test("only with 'yet', the verb after the negation, a pronoun or 'yet' between", () => {
    const verbLike = (w: string) => !["the", "a"].includes(w)
    expect(negatedChange(["what", "did", "i", "change", "but", "not", "commit", "yet"], verbLike)).toBe("commit")
    expect(negatedChange(["branches", "i", "have", "not", "yet", "pushed"], verbLike)).toBe("pushed")
    expect(negatedChange(["do", "not", "delete", "the", "branch"], verbLike)).toBeUndefined()
    expect(negatedChange(["not", "the", "main", "one", "yet"], verbLike)).toBeUndefined()
  })
})

describe("QA 220 classes: a how-to question naming documentation asks the documentation tools (docs-named.ts)", () => {
  const research = fleetIndex(qa220Fleet)
  const first = (q: string) => research.search(q, { limit: 5 })[0]?.tool.name
  test("whatever server has them, the docs named in the ask or in a sentence of context", () => {
    // (once: Firecrawl's `firecrawl_monitor_check` first, through "monitor" and "check")
    expect(first("how do i monitor changes with a react hook? check the docs")).toBe("context7__query-docs")
    expect(first("how do I crawl pages in scrapy? the docs should say")).toBe("context7__query-docs")
  })
  test("no documentation named, or no how-to question: the words rank", () => {
    expect(first("how do i crawl pages in scrapy")).toBe("firecrawl__firecrawl_crawl")
    expect(first("crawl the docs site of scrapy")).not.toBe("context7__query-docs")
  })
})
