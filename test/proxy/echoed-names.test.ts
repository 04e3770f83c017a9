/**
 * A name a client sends (a tool, a prompt, a resource URI) and the orchestrator echoes in an error is
 * quoted when it is not plain, with every control, bidi and invisible character escaped, and bounded.
 * Before, `tools/call` with `name: ""` answered "Unknown tool:  (find names with search_tools)" (the
 * name was nothing), and an ESC `[31m`, a U+202E or a newline in a name went into the error text as
 * it was: a terminal or a log viewer acted on it, a model read a forged line.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { ConfigSchema } from "../../src/config/index.ts"
import { createProxy, type Proxy } from "../../src/proxy/index.ts"
import { silentLogger } from "../../src/core/index.ts"
import { ctx, everythingStdio } from "./helpers.ts"

let proxy: Proxy

beforeAll(async () => {
  const config = ConfigSchema.parse({ servers: { ev: everythingStdio } })
  proxy = createProxy({ config, log: silentLogger, closeGraceMs: 300 })
  await proxy.listTools()
})
afterAll(async () => await proxy[Symbol.asyncDispose]())

const failure = async (run: () => Promise<unknown>): Promise<string> => {
  try {
    await run()
    return "(no error)"
  } catch (e) {
    return (e as Error).message
  }
}

/** Characters that act on a terminal, reverse or hide text, or break a line. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/
const HOSTILE = "ev__x\u001b[31mred\u202eevil\nforged line\u0085\u2066"

test("an empty tool name is shown as \"\", not as nothing", async () => {
  expect(await failure(() => proxy.callTool("", {}, ctx()))).toStartWith('Unknown tool: "" (')
})

test("a tool name with ESC, bidi and newline characters: quoted, each escaped", async () => {
  const m = await failure(() => proxy.callTool(HOSTILE, {}, ctx()))
  expect(m).toStartWith('Unknown tool: "ev__x\\u001b[31mred\\u202eevil\\nforged line\\u0085\\u2066"')
  expect(m).not.toMatch(UNSAFE)
})

test("a prompt name of the same: quoted and escaped", async () => {
  const p = await failure(() => proxy.getPrompt(HOSTILE, undefined, ctx()))
  expect(p).toStartWith('Unknown prompt: "ev__x\\u001b[31m')
  expect(p).not.toMatch(UNSAFE)
})

test("search_tools' no-match text quotes the query and the server name with their controls escaped", async () => {
  const { searchToolsTool } = await import("../../src/mcp/tools/search-tools.ts")
  const empty = { tools: [], get: () => undefined, route: () => undefined, search: () => [] }
  const tool = searchToolsTool(async () => empty as never)
  const run = async (args: Record<string, unknown>): Promise<string> => (await tool.handler(args as never, { signal: new AbortController().signal, log: silentLogger, progress: async () => {} } as never)).text
  const q = await run({ query: "find\u001b[2J\u202eevil" })
  expect(q).toStartWith('No tool matches "find\\u001b[2J\\u202eevil"')
  expect(q).not.toMatch(UNSAFE)
  const s = await run({ query: "x", server: "gh\u001b[31m\n" })
  expect(s).toContain('a server named "gh\\u001b[31m\\n"')
  expect(s).not.toMatch(UNSAFE)
})
