/**
 * A schema issue dump in BAD_RESPONSE (the SDK client's zod issue list for a result its schema
 * refused) is worded: which field of which answer, what was expected, what came, with the server
 * named. Before: twenty lines of raw JSON issues. The SDK v2 client's own dump (its spec schema's
 * `safeParse` error, as its result check words an invalid result) through `badResponse`, and the
 * wording function on its own. (A 2026-07-28 tools/list whose tools break the schema no longer
 * fails whole: its items pass the SDK unread and are checked one by one — qa345,
 * test/pool/modern-result-check*; so the dump is made here from the SDK's schema itself.)
 */
import { describe, expect, test } from "bun:test"
import { specTypeSchemas } from "@modelcontextprotocol/client"
import { badResponse } from "../../src/pool/index.ts"
import { issuesInWords } from "../../src/pool/issue-words.ts"

describe("a schema issue dump is worded", () => {
  test("a 2026-07-28 tools/list whose tools break the SDK's schema: field, expectation", () => {
    // typed as a Standard Schema; it is the zod schema the SDK's result check runs (`safeParse`)
    const schema = specTypeSchemas.ListToolsResult as unknown as { safeParse(v: unknown): { success: boolean; error?: unknown } }
    const parsed = schema.safeParse({ tools: [{ name: 5, inputSchema: "x" }], resultType: "complete" })
    expect(parsed.success).toBe(false)
    // what pool/modern-http hands on from the SDK's InvalidResult (`Invalid result for tools/list: ${error}`)
    const e = badResponse("tools/list", String(parsed.error))
    expect(e.code).toBe("BAD_RESPONSE")
    expect(e.message).toContain("its answer to tools/list is not valid MCP: tools[0].name: expected a string, got a number; tools[0].inputSchema: expected an object, got a string")
    expect(e.message).not.toContain('"code"')
    expect(e.message).not.toContain("\n")
  })

  test("many issues: a few, the rest counted; a missing field says so", () => {
    const issues = Array.from({ length: 7 }, (_, i) => ({ expected: "string", code: "invalid_type", path: ["tools", i, "name"], message: "Invalid input: expected string, received undefined" }))
    expect(issuesInWords(JSON.stringify(issues, null, 2))).toBe("tools[0].name: expected a string, it is missing; tools[1].name: expected a string, it is missing; tools[2].name: expected a string, it is missing (and 4 more)")
  })

  test("no dump, or something else in brackets: the text as it is", () => {
    for (const t of ["its content[0] is 5, not a content block", "[1,2,3]", "oops [ not json", '[{"a":1}]', ""]) expect(issuesInWords(t)).toBe(t)
  })

  test("an issue with an empty path and another message: the result, its own words", () => {
    expect(issuesInWords('x: [{"code":"custom","path":[],"message":"Bad thing"}]')).toBe("x: the result: Bad thing")
  })
})
