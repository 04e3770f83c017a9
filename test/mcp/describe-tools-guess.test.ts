/**
 * Regression (QA qa7b): describe_tools answered a server's own tool name (`echo`, the name the
 * server itself uses) or a name in other case (`EV__ECHO`) with "Not reachable here: echo" and no
 * way on but a new search. It now names the exposed tool it stands for when there is one.
 */
import { expect, test } from "bun:test"
import { silentLogger } from "../../src/core/index.ts"
import { OwnTools } from "../../src/mcp/index.ts"
import { describeToolsTool } from "../../src/mcp/tools/describe-tools.ts"
import type { ToolCatalog } from "../../src/proxy/index.ts"

const tools = [
  { name: "ev__echo", inputSchema: { type: "object" as const } },
  { name: "fs__read_text_file", inputSchema: { type: "object" as const } },
  { name: "fs2__read_text_file", inputSchema: { type: "object" as const } },
]
const route = (n: string): { server: string; tool: string } | undefined => {
  const t = tools.find((x) => x.name === n)
  if (!t) return undefined
  const [server, tool] = t.name.split("__") as [string, string]
  return { server, tool }
}
const catalog = async (): Promise<ToolCatalog> => ({ tools, get: (n: string) => tools.find((t) => t.name === n), route, search: () => [] }) as unknown as ToolCatalog

test("an unknown name that stands for an exposed tool is answered with that name", async () => {
  const own = new OwnTools([describeToolsTool(catalog)])
  const r = await own.call("describe_tools", { names: ["echo", "EV__ECHO", "read_text_file", "nope__x"] }, { signal: new AbortController().signal, log: silentLogger, progress: async () => {} }, silentLogger)
  expect(r.isError).toBe(true)
  expect((r.content[0] as { text: string }).text).toBe(
    "Not reachable here: echo (did you mean ev__echo?), EV__ECHO (did you mean ev__echo?), read_text_file (did you mean fs__read_text_file or fs2__read_text_file?), nope__x (find names with search_tools).",
  )
})

test("the same words in another spelling stand for the exposed tool (QA 9b): separator, camelCase, kebab-case, a client's prefix", async () => {
  const own = new OwnTools([describeToolsTool(catalog)])
  const r = await own.call("describe_tools", { names: ["ev_echo", "fs.read-text-file", "readTextFile", "mcp__fs__read_text_file", "fs2/read_text_file"] }, { signal: new AbortController().signal, log: silentLogger, progress: async () => {} }, silentLogger)
  expect((r.content[0] as { text: string }).text).toBe(
    "Not reachable here: ev_echo (did you mean ev__echo?), fs.read-text-file (did you mean fs__read_text_file?), readTextFile (did you mean fs__read_text_file or fs2__read_text_file?), mcp__fs__read_text_file (did you mean fs__read_text_file?), fs2/read_text_file (did you mean fs2__read_text_file?) (find names with search_tools).",
  )
})

test("a definition reads name, title and description before its schemas (QA 9b: a long schema came first and buried them)", async () => {
  const big = { type: "object" as const, properties: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`p${i}`, { type: "string", description: "an argument" }])) }
  const one = [{ name: "gh__list_issues", title: "List issues", description: "List issues in a repository.", inputSchema: big, annotations: { readOnlyHint: true } }]
  const cat = async (): Promise<ToolCatalog> => ({ tools: one, get: (n: string) => one.find((t) => t.name === n), route: () => undefined, search: () => [] }) as unknown as ToolCatalog
  const own = new OwnTools([describeToolsTool(cat)])
  const r = await own.call("describe_tools", { names: ["gh__list_issues"] }, { signal: new AbortController().signal, log: silentLogger, progress: async () => {} }, silentLogger)
  const keys = [...(r.content[0] as { text: string }).text.matchAll(/^ {2}"(\w+)":/gm)].map((m) => m[1])
  expect(keys).toEqual(["name", "title", "description", "inputSchema", "annotations"])
})
