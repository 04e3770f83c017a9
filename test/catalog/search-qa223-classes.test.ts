/**
 * The classes of miss QA 223's set showed, each as a rule of src/catalog/search, checked with
 * requests that are not in any set.
 */
import { describe, expect, test } from "bun:test"
import { brandShortForms } from "../../src/catalog/search/brand-short.ts"
import { digraphTypos } from "../../src/catalog/search/digraph.ts"
import { namesOneFile } from "../../src/catalog/search/one-file.ts"
import { contentsAsRead } from "../../src/catalog/search/contents-question.ts"
import { isSiteOnly } from "../../src/catalog/search/site-host.ts"
import { qa220Fleet } from "./search-qa220-fleet.ts"
import { qa77Fleet } from "./search-qa77-fleet.ts"
import { labelValueWords } from "../../src/catalog/search/label-value.ts"
import { openAsState } from "../../src/catalog/search/open-state.ts"
import { splitWords } from "../../src/catalog/search/tokenize.ts"
import { qa174Fleet } from "./search-qa174-fleet.ts"
import { qa223Fleet } from "./search-qa223-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const data = fleetIndex(qa223Fleet)
const forges = fleetIndex(qa174Fleet)
const first = (ix: ReturnType<typeof fleetIndex>, q: string) => ix.search(q, { limit: 5 })[0]

describe("QA 223 classes: a server typed by a short form of its brand's name (brand-short.ts)", () => {
  test("initials or the head of the name its tools write in a brand's casing name that server", () => {
    // (once: SQLite's `list_tables` and postgres' `pg_manage_schema` ranked with BigQuery's, "bq" a word of nothing)
    for (const q of ["what columns does the orders table have in bq", "show me the tables in bq"]) {
      expect(first(data, q)?.tool.server).toBe("bigquery")
      expect(data.search(q, { limit: 5 }).filter((h) => h.tool.server !== "bigquery").every((h) => h.weak)).toBe(true)
    }
    // (GitLab's and GitHub's tools share their names: "gh" and "gl" tell them apart)
    expect(first(forges, "create a branch called fix-login in gh")?.tool.name).toBe("github__create_branch")
    expect(first(forges, "create a branch called fix-login in gl")?.tool.name).toBe("gitlab__create_branch")
  })
  test("only the server's own name in a brand's casing, humps each a capital and small letters for initials, a head of five letters", () => {
    expect([...brandShortForms("bigquery", ["Execute a SELECT query on the BigQuery database"])]).toEqual(["bq"])
    expect([...brandShortForms("mongodb", ["Run a find query against a MongoDB collection"])]).toEqual(["mongo"])
    // (PostgreSQL's "SQL" is initials already; "Word", "Git" are everyday words; another product's name is not this server's)
    expect(brandShortForms("postgres", ["Manage PostgreSQL schema"]).size).toBe(0)
    expect([...brandShortForms("wordpress", ["Create a WordPress post"])]).toEqual(["wp"])
    expect(brandShortForms("jira", ["Link a GitHub pull request to an issue"]).size).toBe(0)
  })
})

describe("QA 223 classes: a short word with a \"ck\" typed as its \"k\" (digraph.ts)", () => {
  test("the word meant is found, its tool strong and first", () => {
    // (once: "clik" a word of nothing, every hit weak, `browser_click` not in the first five)
    for (const q of ["clik the checkout link", "dubble clik the row in the grid"]) {
      const [top] = data.search(q, { limit: 5 })
      expect(top?.tool.name).toBe("playwright__browser_click")
      expect(top?.weak).toBeFalsy()
    }
  })
  test("only a k after a vowel with no c before it", () => {
    expect(digraphTypos("clik")).toEqual(["click"])
    expect(digraphTypos("blok")).toEqual(["block"])
    expect(digraphTypos("link")).toEqual([])
    expect(digraphTypos("kill")).toEqual([])
  })
})

describe("QA 223 classes: one file named by a path to it is one item (one-file.ts)", () => {
  test("the tools reading one file rank above those reading or searching several", () => {
    // (once: `read_multiple_files` first, its "files" the thing asked in the plural)
    const r = data.search("show me ~/work/site/src/config.ts", { limit: 6 }).map((h) => h.tool.name)
    expect(r.indexOf("filesystem__read_text_file")).toBeGreaterThanOrEqual(0)
    for (const many of ["filesystem__read_multiple_files", "filesystem__search_files"]) expect(r.indexOf(many) === -1 || r.indexOf(many) > r.indexOf("filesystem__read_text_file")).toBe(true)
  })
  test("only one path through a folder to a file: not a folder, not two files, not a product's name", () => {
    const lit = (text: string, kind: "path" | "file") => ({ text, kind })
    expect(namesOneFile([lit("~/notes/todo.txt", "path")])).toBe(true)
    expect(namesOneFile([lit("~/projects/api/", "path")])).toBe(false)
    expect(namesOneFile([lit("/etc/hosts", "path")])).toBe(false)
    expect(namesOneFile([lit("node.js", "file")])).toBe(false)
    expect(namesOneFile([lit("src/a.ts", "path"), lit("src/b.ts", "path")])).toBe(false)
  })
})

describe("QA 223 classes: \"what's in X?\" asks to read X (contents-question.ts)", () => {
  test("a file's reader answers, not a tool that only names a file", () => {
    // (once: its words all stop words, `browser_file_upload` and `write_file` first)
    for (const q of ["whats inside /srv/app/settings.json?", "what is in ~/notes/todo.txt"]) expect(first(data, q)?.tool.name).toBe("filesystem__read_text_file")
  })
  test("only opening the request or a sentence of it", () => {
    expect(contentsAsRead("what's in the repo?")).toBe("show what is in the repo?")
    expect(contentsAsRead("Deploy failed. Whats inside the log")).toBe("Deploy failed. show what is inside the log")
    expect(contentsAsRead("tell me what's in it")).toBe("tell me what's in it")
  })
})

describe("QA 223 classes: a URL that is only a host names a whole website (site-host.ts)", () => {
  const research = fleetIndex(qa220Fleet)
  test("the tools mapping a website answer what is on the site, not a tool taking any URL", () => {
    // (once: firecrawl's `firecrawl_monitor_list` first and weak, "url" the only thing named)
    for (const q of ["list every url on blog.example.org", "list all urls of https://shop.example.net/"]) {
      const hits = research.search(q, { limit: 5 })
      expect(["tavily__tavily_map", "firecrawl__firecrawl_map"]).toContain(hits[0]?.tool.name ?? "")
      expect(hits[0]?.weak).toBeFalsy()
    }
  })
  test("only a host: not a page's path, not localhost or an address", () => {
    expect(isSiteOnly("docs.acme.io")).toBe(true)
    expect(isSiteOnly("https://acme.io/")).toBe(true)
    expect(isSiteOnly("https://acme.io/pricing")).toBe(false)
    expect(isSiteOnly("localhost:3000")).toBe(false)
    expect(isSiteOnly("10.0.0.7")).toBe(false)
  })
})

const work = fleetIndex(qa77Fleet)

describe("QA 223 classes: a label's name typed after the word saying it is one is a value (label-value.ts)", () => {
  test("its words ask for nothing: the tools finding the things answer", () => {
    // (once: `pull_request_review_write` first through "review" of the label's name)
    const [top] = work.search("which pull requests have the label needs-review?", { limit: 5 })
    expect(["github__search_pull_requests", "github__list_pull_requests"]).toContain(top?.tool.name ?? "")
  })
  test("one word or one hyphenated name after label(s)/labeled/tag(s)/tagged, not a stop word", () => {
    const values = (q: string) => [...labelValueWords(q)].map((i) => splitWords(q)[i])
    expect(values("issues labeled good-first-issue in acme")).toEqual(["good", "first", "issue"])
    expect(values("cards tagged 'p1'")).toEqual(["p1"])
    expect(values("add a label to the issue")).toEqual([])
  })
})

describe("QA 223 classes: \"open\" before things in the plural is their state (open-state.ts)", () => {
  test("the listing tool answers, not the tools making or changing them", () => {
    // (once: `update_pull_request` and `create_pull_request` first, "open" read as a verb)
    for (const q of ["open pull requests with the label needs-review", "open pull requests by octocat"]) expect(first(work, q)?.tool.name).toBe("github__list_pull_requests")
    expect(first(work, "open a pull request from fix-login to main")?.tool.name).toBe("github__create_pull_request")
  })
  test("only right before a plural, of one word or two", () => {
    expect(openAsState(["open", "pull", "requests"], 0)).toBe(true)
    expect(openAsState(["open", "issues"], 0)).toBe(true)
    expect(openAsState(["open", "a", "pr"], 0)).toBe(false)
    expect(openAsState(["open", "pr", "42"], 0)).toBe(false)
  })
})

describe("QA 223 classes: \"doc\" is a developer's short form of a document too (synonyms.ts)", () => {
  test("a store's documents typed as docs reach the tools acting on documents", () => {
    // (once: `drop-collection` first, "docs" only documentation and pages)
    expect(first(data, "delete the docs in the carts collection older than a week")?.tool.name).toBe("mongodb__delete-many")
  })
})
