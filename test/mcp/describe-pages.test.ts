/**
 * Regression (QA 24): describe_tools answered every definition asked whole — ten large schemas, or
 * one of 3 000 properties (728 KB), in one answer. An answer now carries at most 100 000 characters
 * of definitions (the names left over are said, with the call for them) and a definition over
 * 40 000 characters comes in pages (the binary's side: test/binary/model-errors.test.ts).
 */
import { expect, test } from "bun:test"
import { silentLogger } from "../../src/core/index.ts"
import { OwnTools } from "../../src/mcp/index.ts"
import { describeToolsTool } from "../../src/mcp/tools/describe-tools.ts"
import type { ToolCatalog } from "../../src/proxy/index.ts"

/** A tool whose definition is about `chars` characters (one property with a long description). */
const sized = (name: string, chars: number) => ({ name, description: `tool ${name}`, inputSchema: { type: "object" as const, properties: { text: { type: "string", description: "d".repeat(chars) } } } })
const describe = async (tools: ReturnType<typeof sized>[], args: Record<string, unknown>) => {
  const cat = async (): Promise<ToolCatalog> => ({ tools, get: (n: string) => tools.find((t) => t.name === n), route: () => undefined, search: () => [] }) as unknown as ToolCatalog
  const own = new OwnTools([describeToolsTool(cat)])
  return own.call("describe_tools", args, { signal: new AbortController().signal, log: silentLogger, progress: async () => {} }, silentLogger)
}

test("an answer holds 100 000 characters of definitions: the rest are named, with the call that gives them", async () => {
  const tools = ["a", "b", "c", "d", "e"].map((n) => sized(`s__${n}`, 30_000))
  const r = await describe(tools, { names: tools.map((t) => t.name) })
  const s = r.structuredContent as { tools: { name: string }[]; later?: string[] }
  expect(s.tools.map((t) => t.name)).toEqual(["s__a", "s__b", "s__c", "s__d", "s__e"].slice(0, s.tools.length))
  expect(s.tools.length).toBeLessThan(5)
  expect(s.later).toEqual(tools.slice(s.tools.length).map((t) => t.name))
  const text = (r.content[0] as { text: string }).text
  expect(text.length).toBeLessThan(105_000)
  expect(text).toContain(`describe_tools ${JSON.stringify({ names: s.later })} gives them.`)
})

test("a page past the last is the last, said so", async () => {
  const props = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`p${i}`, { type: "string", description: `argument ${i} of a wide tool` }]))
  const wide = { name: "s__wide", description: "wide", inputSchema: { type: "object" as const, properties: props, required: ["p0", "p999"] } }
  const r = await describe([wide as never], { names: ["s__wide"], page: 50 })
  const t = (r.structuredContent as { tools: { cut?: string; inputSchema: { properties: Record<string, unknown>; required: string[] } }[] }).tools[0]!
  expect(t.cut).toMatch(/this is page (\d+) of \1: .*There is no page 50: this is the last page/)
  expect(Object.keys(t.inputSchema.properties)).toContain("p999")
  expect(t.inputSchema.required).toEqual(["p999"])
})
