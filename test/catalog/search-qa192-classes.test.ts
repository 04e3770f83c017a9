/**
 * The classes of miss QA 192's held-out set showed, each as a rule of src/catalog/search, checked
 * with requests that are not in the set.
 */
import { describe, expect, test } from "bun:test"
import { fieldNames } from "../../src/catalog/search/field-values.ts"
import { splitWords } from "../../src/catalog/search/tokenize.ts"
import { qa192Fleet } from "./search-qa192-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const ix = fleetIndex(qa192Fleet)
const top = (q: string, n = 3) => ix.search(q, { limit: 10 }).slice(0, n)

describe("QA 192 classes: a contraction typed without its apostrophe (tokenize.ts)", () => {
  test("is the contraction: its words are stop words, not words a tool must have", () => {
    for (const [bare, typed] of [["whats", "what's"], ["wheres", "where's"], ["havent", "haven't"], ["doesnt", "doesn't"], ["cant", "can't"], ["wont", "won't"]]) {
      expect(splitWords(`${bare} the diff`)).toEqual(splitWords(`${typed} the diff`))
    }
    // (once: every hit but the three diff tools weak for "whats")
    const plain = ix.search("what's the diff", { limit: 6 })
    expect(ix.search("whats the diff", { limit: 6 }).map((h) => [h.tool.name, h.unmatched])).toEqual(plain.map((h) => [h.tool.name, h.unmatched]))
  })
  test("only after an auxiliary or a question word: words that end so stay words", () => {
    for (const w of ["went", "want", "event", "uses", "plants", "this", "its"]) expect(splitWords(w)).toEqual([w])
  })
})

describe("QA 192 classes: a 'that' clause with its own subject (query.ts contentAt)", () => {
  test("says which things when no verb of the request says or writes: its words are asked", () => {
    // (once: read as a message's text, "changed" and "staged" asked nothing, every hit weak, and
    // "list the files that i changed" listed a directory)
    expect(top("list the files that i changed", 1)[0]!.tool.server).toBe("git")
    expect(top("show me the commits that we made this week").map((h) => h.tool.name)).toContain("git__git_log")
  })
  test("after a verb that says or records, it is still the text said", () => {
    // the clause's words ask for nothing: no tool reverts or deploys here, the comment tools answer
    expect(top("add a comment to issue 12 that the revert is deployed", 1)[0]!.tool.name).toBe("github__add_issue_comment")
    expect(top("notify the team that the tables are ready", 10).every((h) => h.weak)).toBe(true)
  })
  test("right after a verb that records, whatever follows 'that': the clause is what to record", () => {
    // (once: "Carol", "prefers", "tabs" asked of the memory tools, `add_observations` weak for "remember")
    const first = top("remember that Carol prefers tabs over spaces", 1)[0]!
    expect(first.tool.server).toBe("memory")
    expect(first.weak).toBeUndefined()
  })
})

describe("QA 192 classes: a tool naming the opening verb only as done to its things (participle.ts)", () => {
  test("does not do it: 'stage package.json' is the tool that stages, not the one showing what is staged", () => {
    // (once: `git_diff_staged` first, its name's "staged" covering "stage")
    expect(top("stage package.json", 1)[0]!.tool.name).toBe("git__git_add")
    expect(top("stage the readme", 1)[0]!.tool.name).toBe("git__git_add")
  })
  test("the things the action was done to, asked for, still find it", () => {
    for (const q of ["show the staged diff", "what have i staged", "staged changes"]) expect(top(q, 1)[0]!.tool.name).toBe("git__git_diff_staged")
  })
})

describe("QA 192 classes: a bare 'then' between two steps (sentences.ts)", () => {
  test("marks the later step when no condition comes before it: the first step's tool leads", () => {
    // (once: the later step's `describe_table` first)
    expect(top("list the tables then describe the users table", 1)[0]!.tool.name).toBe("sqlite__list_tables")
    expect(top("stage src/index.ts then commit it with message 'wip'", 1)[0]!.tool.name).toBe("git__git_add")
  })
})

describe("QA 192 classes: a field given with its value after 'with' (field-values.ts)", () => {
  test("names an argument or a column, not a thing a tool must be named for", () => {
    // (once: `write_query` weak for "id", which only `resolve-library-id` has in its name)
    const w = ix.search("insert a row into invoices with id 7 and qty 3", { limit: 10 }).find((h) => h.tool.name === "sqlite__write_query")
    expect(w?.unmatched ?? []).not.toContain("id")
    expect([...fieldNames(splitWords("insert a row into invoices with id 7 and qty 3"))]).toEqual(["id", "qty"])
  })
  test("a thing named with its number stays a thing: no 'with' before it, or no value after it", () => {
    expect(fieldNames(splitWords("close issue 42 and issue 43")).size).toBe(0)
    expect(fieldNames(splitWords("open issue 42 with the label bug")).size).toBe(0)
  })
})

describe("QA 192 classes: questions of the present and of what the assistant knows (synonyms.ts phrases)", () => {
  test("'what time is it', 'what day is it' ask for the current one, not a conversion", () => {
    // (once: `convert_time` first, its shorter name scoring "time" higher)
    for (const q of ["what time is it in Paris", "what day is it"]) expect(top(q, 1)[0]!.tool.name).toBe("time__get_current_time")
  })
  test("'do you know …', 'do you remember …' ask the memory: its tools lead the forge's searches", () => {
    for (const q of ["do you know anything about the Atlas project?", "do you remember the staging setup?"]) expect(top(q, 1)[0]!.tool.server).toBe("memory")
  })
})
