/**
 * A schema issue dump in BAD_RESPONSE (the SDK client's zod issue list for a result its schema
 * refused) is worded: which field of which answer, what was expected, what came, with the server
 * named. Before: twenty lines of raw JSON issues. Raw Bun HTTP fixture (test/fixtures/hostile-remote.ts)
 * and the wording function on its own.
 */
import { afterAll, describe, expect, test } from "bun:test"
import type { ServerSpec } from "../../src/config/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { issuesInWords } from "../../src/pool/issue-words.ts"
import { startHostileRemote } from "../fixtures/hostile-remote.ts"
import { downstreamFailure } from "../helpers/failure.ts"
import { captureLog, config } from "../proxy/helpers.ts"

const remote = startHostileRemote({ modern: "bad-tools" })
afterAll(() => remote.stop())

describe("a schema issue dump is worded", () => {
  test("a 2026-07-28 tools/list whose tools break the schema: field, expectation, server", async () => {
    await using p = new Pool({ config: config({ pool: { callTimeout: 15_000, connectTimeout: 15_000 } }), log: captureLog().log })
    p.add({ name: "web", source: "config", spec: { url: remote.url } as ServerSpec })
    const e = await downstreamFailure(p.call("web", "tools/list", {}, {}))
    expect(e.code).toBe("BAD_RESPONSE")
    expect(e.message).toContain("server web: its answer to tools/list is not valid MCP: tools[0].name: expected a string, got a number; tools[0].inputSchema: expected an object, got a string")
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
