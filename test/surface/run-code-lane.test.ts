/**
 * What run_code's host side accepts from a script (QA qa7b).
 *
 * Regression: run_code's `search(query)` passed a query of any length to the ranking,
 * which runs on the orchestrator's main thread and cannot be interrupted: a script searching for a
 * 200 000-word string (100 times per run) held every other client's request for as long as that
 * took, past its own run's time limit. A query is now bounded as search_tools' is (500 characters):
 * a longer one rejects in the script with the limit named, and the ranking never sees it.
 *
 * Regression: `tools.x(args)` checked in the guest that `args` is an object, but what crosses is its
 * JSON, and a `toJSON` method (or a replaced JSON) makes that a string, a number or a list: it went
 * on as the call's `arguments`, to route hooks and to the server. Now the call rejects, naming it.
 */
import { expect, test } from "bun:test"
import type { CallToolResult } from "@modelcontextprotocol/client"
import { silentLogger } from "../../src/core/index.ts"
import { OwnTools } from "../../src/mcp/index.ts"
import { createRunCodeTool, RUN_CODE_DEFAULT_LIMITS, type RunCodeDeps } from "../../src/mcp/tools/run-code.ts"

async function run(deps: RunCodeDeps, code: string): Promise<CallToolResult> {
  const tools = new OwnTools([createRunCodeTool(deps)])
  return tools.call("run_code", { code }, { signal: new AbortController().signal, log: silentLogger, progress: async () => {} }, silentLogger)
}

test("search() refuses a query over 500 characters before ranking it; a short one is ranked", async () => {
  const seen: number[] = []
  const deps: RunCodeDeps = {
    call: async () => ({ content: [] }),
    search: (query) => {
      seen.push(query.length)
      return [{ name: "fs__read_text_file", description: "Read a file", args: "(path: string)" }]
    },
    reachable: () => [],
    limits: RUN_CODE_DEFAULT_LIMITS,
  }
  const r = await run(
    deps,
    `const long = Array.from({ length: 200000 }, (_, i) => "w" + i).join(" ")
    const refused = await search(long, 5).then(() => "ranked", (e) => e.message)
    const ok = await search("read a file", 5)
    return { refused, ok: ok.map((h) => h.name) }`,
  )
  expect(r.isError).toBeFalsy()
  const out = (r.structuredContent as { result: { refused: string; ok: string[] } }).result
  expect(out.refused).toMatch(/^search\(query\): the query has \d+ characters, at most 500 are accepted/)
  expect(out.ok).toEqual(["fs__read_text_file"])
  expect(seen).toEqual(["read a file".length])
})

test("tools.x(args) whose JSON is not an object rejects in the script and reaches nothing", async () => {
  const called: unknown[] = []
  const deps: RunCodeDeps = {
    call: async (_name, args) => {
      called.push(args)
      return { content: [{ type: "text", text: "ok" }] }
    },
    search: () => [],
    reachable: () => [{ name: "s__x", inputSchema: { type: "object" } }],
    limits: RUN_CODE_DEFAULT_LIMITS,
  }
  const r = await run(
    deps,
    `const out = []
    for (const v of ["text", 5, [1, 2], null]) out.push(await tools.s__x({ toJSON: () => v }).then(() => "called", (e) => e.message))
    out.push(await tools.s__x({ a: 1 }))
    return out`,
  )
  expect(r.isError).toBeFalsy()
  expect((r.structuredContent as { result: string[] }).result).toEqual([
    "tools.s__x(args): the arguments must be a JSON object; they became a string as JSON (a toJSON method?)",
    "tools.s__x(args): the arguments must be a JSON object; they became a number as JSON (a toJSON method?)",
    "tools.s__x(args): the arguments must be a JSON object; they became an array as JSON (a toJSON method?)",
    "tools.s__x(args): the arguments must be a JSON object; they became null as JSON (a toJSON method?)",
    "ok",
  ])
  expect(called).toEqual([{ a: 1 }])
})
