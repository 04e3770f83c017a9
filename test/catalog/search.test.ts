/**
 * The tool search index (src/catalog/search): tokenisation, ranking on fixed queries over the
 * recorded real fleets, incremental per-server updates equal to a full rebuild (property),
 * deterministic ties, server/filter/limit options.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { loadFleet, toIndexed, type ToolDef } from "../../scripts/bench/_search-eval.ts"
import { createToolIndex, type IndexedTool, type ToolIndex } from "../../src/catalog/index.ts"
import { extractLiterals } from "../../src/catalog/search/literals.ts"
import { splitWords, stem, tokenize } from "../../src/catalog/search/tokenize.ts"

const fleet = loadFleet()

function fullIndex(servers: Iterable<[string, readonly ToolDef[]]> = fleet): ToolIndex {
  const ix = createToolIndex()
  for (const [s, defs] of servers) ix.setServer(s, toIndexed(s, defs))
  return ix
}

const names = (ix: ToolIndex, q: string, limit = 5) => ix.search(q, { limit }).map((h) => h.tool.name)

describe("tokenize", () => {
  test("splits snake_case, camelCase, kebab-case, acronyms and server__tool", () => {
    expect(splitWords("github__create_pull_request")).toEqual(["github", "create", "pull", "request"])
    expect(splitWords("getHTTPResponse")).toEqual(["get", "http", "response"])
    expect(splitWords("get-resource-links")).toEqual(["get", "resource", "links"])
    expect(splitWords("API-retrieve-a-page")).toEqual(["api", "retrieve", "a", "page"])
  })

  test("inflections of a word meet in one term", () => {
    for (const group of [
      ["create", "creates", "created", "creating"],
      ["issue", "issues"],
      ["branch", "branches"],
      ["list", "listing", "listed", "lists"],
      ["commit", "commits", "committed"],
      ["query", "queries"],
      ["directory", "directories"],
    ]) {
      expect(new Set(group.map(stem)).size).toBe(1)
    }
    // …but different words stay apart
    expect(stem("status")).not.toBe(stem("state"))
    expect(stem("pull")).not.toBe(stem("pulse"))
  })

  test("stop words are dropped, case is folded", () => {
    expect(tokenize("Please show me THE Issues of this repo")).toEqual(["show", stem("issue"), "repo"])
  })
})

describe("literals", () => {
  test("URLs, paths, file names, quoted text and issue keys are taken out of the intent words", () => {
    const { rest, literals } = extractLiterals("rename notes.txt to /tmp/a.md, see https://x.io/a?b=1 and 'fix typo' for PROJ-12")
    expect(literals.map((l) => l.kind).sort()).toEqual(["file", "key", "path", "quoted", "url"])
    expect(tokenize(rest)).toEqual([stem("rename"), "see"])
  })

  test("apostrophes and decimals are not literals", () => {
    expect(extractLiterals("what's at latitude 40.7, it's here").literals).toEqual([])
  })

  test("a file name's words do not pull in tools about those words", () => {
    const ix2 = createToolIndex()
    ix2.setServer("s", [
      { name: "s__write_file", server: "s", tool: "write_file", description: "Write a file" },
      { name: "s__add_note", server: "s", tool: "add_note", description: "Add a note to the notebook" },
    ])
    expect(names(ix2, "put this into notes.txt")[0]).toBe("s__write_file")
  })
})

describe("ranking on fixed queries over the recorded fleets", () => {
  const ix = fullIndex()

  test("the tool named by the query comes first", () => {
    expect(names(ix, "merge pull request")[0]).toBe("github__merge_pull_request")
    expect(names(ix, "git status")[0]).toBe("git__git_status")
    expect(names(ix, "list allowed directories")[0]).toBe("filesystem__list_allowed_directories")
  })

  test("natural requests find the right tool near the top", () => {
    expect(names(ix, "what time is it in Tokyo right now", 1)).toEqual(["time__get_current_time"])
    expect(names(ix, "rename a file", 3)).toContain("filesystem__move_file")
    expect(names(ix, "make a new folder", 3)).toContain("filesystem__create_directory")
    const shots = names(ix, "take a screenshot of the page", 3)
    expect(shots).toContain("playwright__browser_take_screenshot")
    expect(shots).toContain("puppeteer__puppeteer_screenshot")
  })

  test("the server name counts: the same action on another product ranks below", () => {
    const got = names(ix, "create a jira issue", 3)
    expect(got[0]).toBe("atlassian__jira_create_issue")
    expect(names(ix, "create a linear issue", 1)).toEqual(["linear__linear_create_issue"])
  })

  test("a server named in the query ranks its tools first", () => {
    // Without the boost, Sentry's get_issue_details and GitHub's list_releases come first.
    expect(names(ix, "get the details of issue 314 on github", 1)).toEqual(["github__issue_read"])
    expect(names(ix, "list the releases in sentry", 1)).toEqual(["sentry__find_releases"])
  })

  test("argument names are indexed (weakly)", () => {
    const ix2 = createToolIndex()
    ix2.setServer("s", [
      { name: "s__a", server: "s", tool: "a", description: "does a thing", inputSchema: { type: "object", properties: { timezone: { type: "string" } } } },
      { name: "s__b", server: "s", tool: "b", description: "does a thing" },
    ])
    expect(names(ix2, "timezone")).toEqual(["s__a"])
  })

  test("an unknown prefix still finds the word it starts", () => {
    const ix2 = createToolIndex()
    ix2.setServer("s", [
      { name: "s__x", server: "s", tool: "x", description: "Inspect kubernetes deployments" },
      { name: "s__y", server: "s", tool: "y", description: "Send an email" },
    ])
    expect(names(ix2, "kube")).toEqual(["s__x"])
  })
})

describe("options", () => {
  const ix = fullIndex()

  test("limit: default 8, at most 50, at least 1", () => {
    expect(ix.search("list").length).toBe(8)
    expect(ix.search("list", { limit: 500 }).length).toBe(50)
    expect(ix.search("list", { limit: 0 }).length).toBe(1)
    expect(ix.search("list", { limit: 3 }).length).toBe(3)
  })

  test("server: only that server's tools, still ranked", () => {
    const hits = ix.search("create issue", { server: "github", limit: 50 })
    expect(hits.length).toBeGreaterThan(0)
    expect(hits.every((h) => h.tool.server === "github")).toBe(true)
    expect(hits[0]!.tool.name).toBe("github__issue_write")
    expect(ix.search("create issue", { server: "nope" })).toEqual([])
  })

  test("filter: tools it rejects are never returned", () => {
    const hits = ix.search("create issue", { limit: 50, filter: (t) => !t.name.startsWith("atlassian__") })
    expect(hits.length).toBeGreaterThan(0)
    expect(hits.some((h) => h.tool.name.startsWith("atlassian__"))).toBe(false)
  })

  test("a query of stop words only lists tools in name order", () => {
    const hits = ix.search("the", { server: "time" })
    expect(hits.map((h) => h.tool.name)).toEqual(["time__convert_time", "time__get_current_time"])
  })

  test("get and size", () => {
    expect(ix.get("fetch__fetch")?.server).toBe("fetch")
    expect(ix.get("nope__nope")).toBeUndefined()
    expect(ix.size).toBe([...fleet.values()].reduce((n, l) => n + l.length, 0))
  })
})

describe("untrusted input", () => {
  test("a huge schema is indexed only up to its caps, and long queries still answer", () => {
    const properties = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`prop${i}`, { type: "string", description: "x ".repeat(100) }]))
    const ix2 = createToolIndex()
    ix2.setServer("s", [{ name: "s__big", server: "s", tool: "big", description: "big", inputSchema: { type: "object", properties } }])
    expect(names(ix2, "prop10")).toEqual(["s__big"])
    expect(names(ix2, "prop4999")).toEqual([])
    const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(" ")
    expect(ix2.search(`${long} big`).map((h) => h.tool.name)).toEqual(["s__big"])
  })
})

/**
 * Regression (QA qa7b): words were runs of a-z and 0-9 only, so a tool described in Russian,
 * Chinese or German was not findable by its words ("Größe" became "gr" and "e"), and a query in
 * such a language had no words at all: it listed every tool in name order, as if they matched.
 */
describe("words of any script", () => {
  const local = (name: string, description: string): IndexedTool => ({ name: `loc__${name}`, server: "loc", tool: name, description })
  const ix = createToolIndex()
  ix.setServer("loc", [local("datei", "Liest die Größe einer Datei."), local("fajl", "Прочитать файл целиком."), local("wenjian", "读取 文件 内容"), local("plain", "Read a file.")])

  test("letters of other scripts are words", () => {
    expect(splitWords("Größe einer Datei")).toEqual(["größe", "einer", "datei"])
    expect(splitWords("Прочитать файл")).toEqual(["прочитать", "файл"])
  })

  test("a tool is found by the words of its description in its language", () => {
    expect(names(ix, "файл")).toEqual(["loc__fajl"])
    expect(names(ix, "Größe")).toEqual(["loc__datei"])
    expect(names(ix, "文件")).toEqual(["loc__wenjian"])
  })

  test("a query in a language no tool uses matches nothing, instead of every tool in name order", () => {
    const en = createToolIndex()
    en.setServer("fs", [{ name: "fs__read_file", server: "fs", tool: "read_file", description: "Read a file." }])
    expect(en.search("прочитать", { limit: 5 })).toEqual([])
    expect(en.search("読む", { limit: 5 })).toEqual([])
  })
})

/**
 * Regression (QA qa7b): a query that is a tool's exact exposed name did not always find that tool:
 * filesystem's deprecated `read_file` ranked below three other read tools on its own name.
 */
describe("an exact exposed name", () => {
  const fs = (tool: string, description: string): IndexedTool => ({ name: `fs__${tool}`, server: "fs", tool, description })
  const ix = createToolIndex()
  ix.setServer("fs", [
    fs("read_file", "Read the complete contents of a file as text. DEPRECATED: Use read_text_file instead."),
    fs("read_text_file", "Read the complete contents of a file from the file system as text."),
    fs("read_multiple_files", "Read the contents of multiple files simultaneously."),
    fs("read_media_file", "Read an image or audio file."),
  ])

  test("is the first hit, not weak, within the limit and the server option", () => {
    const hits = ix.search("fs__read_file", { limit: 3 })
    expect(hits.map((h) => h.tool.name)[0]).toBe("fs__read_file")
    expect(hits.length).toBe(3)
    expect(hits[0]!.weak).toBeUndefined()
    expect(ix.search("  fs__read_file ", { limit: 1 }).map((h) => h.tool.name)).toEqual(["fs__read_file"])
    expect(ix.search("fs__read_file", { server: "other" })).toEqual([])
    expect(ix.search("fs__read_file", { filter: (t) => t.name !== "fs__read_file" }).some((h) => h.tool.name === "fs__read_file")).toBe(false)
  })
})

describe("determinism", () => {
  const twin = (name: string): IndexedTool => ({ name: `s__${name}`, server: "s", tool: name, description: "Fetch the weather forecast" })

  test("equal scores are ordered by name, whatever the insertion order", () => {
    const a = createToolIndex()
    a.setServer("s", [twin("zz"), twin("aa"), twin("mm")])
    const b = createToolIndex()
    b.setServer("s", [twin("mm"), twin("aa"), twin("zz")])
    const ra = a.search("weather forecast")
    expect(ra.map((h) => h.tool.name)).toEqual(["s__aa", "s__mm", "s__zz"])
    expect(new Set(ra.map((h) => h.score)).size).toBe(1)
    expect(b.search("weather forecast")).toEqual(ra)
  })

  test("server order does not change results", () => {
    const forward = fullIndex()
    const backward = fullIndex([...fleet.entries()].reverse())
    for (const q of ["create issue", "read a file", "search", "navigate to url", "delete"]) {
      expect(backward.search(q, { limit: 20 })).toEqual(forward.search(q, { limit: 20 }))
    }
  })
})

describe("incremental updates", () => {
  const servers = [...fleet.keys()]
  const queries = ["create issue", "list files in a directory", "take a screenshot", "search", "comment on ticket", "delete the page", "run sql query"]

  test("setServer replaces only that server's tools; removeServer drops them", () => {
    const ix = fullIndex()
    const before = ix.size
    ix.setServer("time", toIndexed("time", fleet.get("time")!.slice(0, 1)))
    expect(ix.size).toBe(before - 1)
    expect(ix.get("time__convert_time")).toBeUndefined()
    expect(ix.get("fetch__fetch")).toBeDefined()
    ix.removeServer("time")
    expect(ix.size).toBe(before - 2)
    expect(names(ix, "current time in tokyo", 50).some((n) => n.startsWith("time__"))).toBe(false)
    ix.removeServer("time") // twice is fine
    expect(ix.size).toBe(before - 2)
  })

  test("any sequence of setServer/removeServer equals a fresh build of the final state", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("set" as const), server: fc.constantFrom(...servers), keep: fc.array(fc.boolean(), { maxLength: 60 }) }),
      fc.record({ kind: fc.constant("remove" as const), server: fc.constantFrom(...servers) }),
    )
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 12 }), (ops) => {
        const inc = createToolIndex()
        const state = new Map<string, ToolDef[]>()
        for (const o of ops) {
          if (o.kind === "remove") {
            inc.removeServer(o.server)
            state.delete(o.server)
          } else {
            const defs = fleet.get(o.server)!.filter((_, i) => o.keep[i] ?? true)
            inc.setServer(o.server, toIndexed(o.server, defs))
            if (defs.length) state.set(o.server, defs)
            else state.delete(o.server)
          }
        }
        const fresh = fullIndex([...state.entries()].sort(([a], [b]) => (a < b ? 1 : -1)))
        expect(inc.size).toBe(fresh.size)
        for (const q of queries) expect(inc.search(q, { limit: 50 })).toEqual(fresh.search(q, { limit: 50 }))
      }),
      { numRuns: 40 },
    )
  })

  test("a tool name moving to another server leaves no trace at the old one", () => {
    const ix = createToolIndex()
    const t = (server: string): IndexedTool => ({ name: "shared__x", server, tool: "x", description: "alpha" })
    ix.setServer("one", [t("one")])
    ix.setServer("two", [t("two")])
    expect(ix.size).toBe(1)
    expect(ix.get("shared__x")?.server).toBe("two")
    ix.removeServer("one")
    expect(ix.size).toBe(1)
    expect(ix.search("alpha").map((h) => h.tool.server)).toEqual(["two"])
  })
})
