/**
 * catalog/search/literals: a long hostile query ("a." or "a-" repeated, "S(" repeated, "the bucket
 * a-b" repeated) is read in time linear in its length. Before, the file-name pattern scanned to the
 * string's end from every word start, the path pattern's look-ahead from every "(", and a named
 * thing split the whole text before each match: "a." × 16 000 took 0.6 s, "S(" × 100 000 32 s,
 * all on the main thread (every server's calls waited). And the index ranks a query on its first
 * MAX_QUERY_CHARS characters: what follows changes nothing.
 */
import { describe, expect, test } from "bun:test"
import { extractLiterals } from "../../src/catalog/search/literals.ts"
import { createToolIndex, type IndexedTool } from "../../src/catalog/search/index.ts"
import * as types from "../../src/catalog/search/types.ts"

// (read so: the file still loads on a tree without the cap, for the test to fail there)
const MAX_QUERY_CHARS = (types as { MAX_QUERY_CHARS?: number }).MAX_QUERY_CHARS ?? 500

const LONG = 200_000

describe("a long hostile query", () => {
  // (no time is asserted: the bound is the test's own timeout, far above linear, far below quadratic)
  for (const unit of ["a.", "a-", "1.", "S(", "a-b-", "the bucket a-b "]) {
    test(`${JSON.stringify(unit)} × ${Math.ceil(LONG / unit.length)} is read in linear time (the test timeout bounds it; "S(" took 32 s before)`, () => {
      const { literals } = extractLiterals(unit.repeat(Math.ceil(LONG / unit.length)))
      expect(Array.isArray(literals)).toBe(true)
    }, 20_000)
  }

  test("literals are still found in ordinary requests", () => {
    const kinds = (q: string) => extractLiterals(q).literals.map((l) => `${l.kind}:${l.text}`)
    expect(kinds("rename notes.txt to report.final.xlsx")).toEqual(["file:notes.txt", "file:report.final.xlsx"])
    expect(kinds("who deleted the bucket prod-logs")).toEqual(["id:prod-logs"])
    expect(kinds("apply terraform-aws-modules/vpc/aws/5.8.1 (see secret/payments/stripe)")).toEqual(["path:secret/payments/stripe"])
  })

  test("the index ranks a query on its first MAX_QUERY_CHARS characters", () => {
    const tools: IndexedTool[] = ["read_file", "send_email", "create_issue"].map((t) => ({ name: `s__${t}`, server: "s", tool: t, description: t.replace("_", " ") }))
    const index = createToolIndex()
    index.setServer("s", tools)
    const ask = "send an email to dana"
    const padded = ask + " ".repeat(MAX_QUERY_CHARS - ask.length) + " create a github issue".repeat(2000)
    expect(index.search(padded).map((h) => h.tool.name)).toEqual(index.search(ask).map((h) => h.tool.name))
  })
})
