/**
 * Regression (QA): `describe_tools {"names":"x"}` answered "names: Too big: expected string to have
 * <=10 characters" — zod's raw messages, one of them about the list's length check run on a string.
 * Invalid arguments of the own tools (describe_tools, search_tools, call_tool, run_code) now say
 * what each argument must be, what was given and an example; a single string where a list of
 * strings is expected is read as a one-item list.
 */
import { describe, expect, test } from "bun:test"
import { silentLogger } from "../../src/core/index.ts"
import { OwnTools } from "../../src/mcp/own-tools.ts"
import { callToolTool } from "../../src/mcp/tools/call-tool.ts"
import { describeToolsTool } from "../../src/mcp/tools/describe-tools.ts"
import { createRunCodeTool, RUN_CODE_DEFAULT_LIMITS } from "../../src/mcp/tools/run-code.ts"
import { searchToolsTool } from "../../src/mcp/tools/search-tools.ts"
import type { ToolCatalog } from "../../src/proxy/index.ts"

const known = new Map([
  ["x", { name: "x", inputSchema: { type: "object" } }],
  ["abcdefghijklmnopq", { name: "abcdefghijklmnopq", inputSchema: { type: "object" } }],
])
const catalog = async (): Promise<ToolCatalog> => ({ tools: [...known.values()], get: (n: string) => known.get(n), route: () => undefined, search: () => [] }) as unknown as ToolCatalog
const own = new OwnTools([
  describeToolsTool(catalog),
  searchToolsTool(catalog),
  callToolTool(),
  createRunCodeTool({ call: async () => ({ content: [] }), search: () => [], reachable: () => [], limits: RUN_CODE_DEFAULT_LIMITS }),
])
const ctx = { signal: new AbortController().signal, log: silentLogger, progress: async () => {} }

async function run(name: string, args: unknown): Promise<{ isError: boolean; text: string; structured: unknown }> {
  const r = await own.call(name, args, ctx, silentLogger)
  return { isError: r.isError === true, text: (r.content as { text: string }[])[0]!.text, structured: r.structuredContent }
}

/** The problem lines of an "Invalid arguments" answer (without the heading and the example). */
async function problems(name: string, args: unknown): Promise<string[]> {
  const r = await run(name, args)
  expect(r.isError).toBe(true)
  const lines = r.text.split("\n")
  expect(lines[0]).toBe(`Invalid arguments for ${name}:`)
  expect(lines.at(-1)).toStartWith("Example arguments: {")
  return lines.slice(1, -1)
}

describe("own tools' argument errors", () => {
  test("describe_tools: a single name given as a string is the one-item list it stands for", async () => {
    for (const names of ["x", "abcdefghijklmnopq"]) {
      const r = await run("describe_tools", { names })
      expect(r.isError).toBe(false)
      expect(r.structured).toEqual({ tools: [{ name: names, inputSchema: { type: "object" } }] })
    }
    // unknown, but still a name: answered as such, not as an argument error
    const miss = await run("describe_tools", { names: "nosuch__tool_with_a_long_name" })
    expect(miss.text).toBe("Not reachable here: nosuch__tool_with_a_long_name (find names with search_tools).")
  })

  test("describe_tools: what is wrong with names, in words", async () => {
    expect(await problems("describe_tools", {})).toEqual(['names is required: a list of strings (server__tool names), e.g. ["<server>__<tool>"]'])
    expect(await problems("describe_tools", { names: "" })).toEqual(['names must be a list of strings (server__tool names), e.g. ["<server>__<tool>"]; got a string ("")'])
    expect(await problems("describe_tools", { names: 3 })).toEqual(['names must be a list of strings (server__tool names), e.g. ["<server>__<tool>"]; got number 3'])
    expect(await problems("describe_tools", { names: [] })).toEqual(["names must not be an empty list: give at least one item"])
    expect(await problems("describe_tools", { names: Array(11).fill("a") })).toEqual(["names must be a list of at most 10 items"])
    expect(await problems("describe_tools", { names: [1] })).toEqual(['names[0] must be a string, e.g. "<server>__<tool>"; got number 1'])
    expect(await problems("describe_tools", { name: ["x"] })).toEqual(['names is required: a list of strings (server__tool names), e.g. ["<server>__<tool>"]', 'unknown argument "name"; the arguments are: names, page (optional)'])
  })

  test("search_tools, call_tool and run_code say what each argument must be", async () => {
    expect(await problems("search_tools", {})).toEqual(['query is required: a string (The task in words), e.g. "read a file"'])
    expect(await problems("search_tools", { query: "x", limit: "3" })).toEqual(['limit must be a number (Default 8, max 50; a larger limit gives 50), e.g. 3; got a string ("3")'])
    expect(await problems("search_tools", { query: "x", limit: 0 })).toEqual(["limit must be at least 1"])
    expect(await problems("search_tools", { query: "x", limit: 2.5 })).toEqual(["limit must be a whole number (Default 8, max 50; a larger limit gives 50), e.g. 3; got number 2.5"])
    expect(await problems("call_tool", { arguments: {} })).toEqual(['name is required: a string (server__tool, from search_tools), e.g. "<server>__<tool>"'])
    expect(await problems("call_tool", { name: "x", arguments: "{}" })).toEqual(['arguments must be an object, e.g. {}; got a string ("{}")'])
    expect(await problems("call_tool", { name: "x", args: {} })).toEqual(['unknown argument "args"; the arguments are: name, arguments (optional)'])
    expect(await problems("run_code", { code: "" })).toEqual(["code must not be empty"])
    expect(await problems("run_code", { code: "return 1", input: [1] })).toEqual(["input must be an object (JSON object the script sees as `input`.); got a list of 1 item"])
  })

  test("no answer carries zod's raw wording", async () => {
    const cases: [string, unknown][] = [
      ["describe_tools", { names: "" }],
      ["describe_tools", { names: { a: 1 } }],
      ["describe_tools", { names: ["", "y".repeat(300)] }],
      ["search_tools", { query: ["a"], server: 1 }],
      ["call_tool", { name: "", arguments: [] }],
      ["run_code", { code: 1, input: "x" }],
    ]
    for (const [name, args] of cases) {
      const text = (await run(name, args)).text
      expect(text).not.toMatch(/Too big|Too small|Invalid input|expected string to have|received/)
      expect(text).toContain("Example arguments:")
    }
  })
})
