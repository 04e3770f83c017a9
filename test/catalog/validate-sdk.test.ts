/**
 * Downstream lists are checked with the v2 SDK's schemas, but the clients reading our lists use
 * either SDK major: what v1 still enforces (object property schemas, an object `outputSchema`) and
 * v2's one new rule (`outputSchema.$schema` a string) must both hold for every item we keep, and
 * each `outputSchema` must compile the way the v2 client compiles it.
 */
import { describe, expect, test } from "bun:test"
import { ToolSchema as V1ToolSchema } from "@modelcontextprotocol/sdk/types.js"
import { ToolSchema as V2ToolSchema } from "@modelcontextprotocol/core"
import { checkTools } from "../../src/catalog/index.ts"

type Tool = Record<string, unknown>
const input = { type: "object" }

async function one(tool: Tool): Promise<{ kept?: Tool; issue?: { action: string; why: string } }> {
  const r = await checkTools<Tool>([tool])
  return { ...(r.items[0] ? { kept: r.items[0] } : {}), ...(r.issues[0] ? { issue: r.issues[0] } : {}) }
}

/** Every kept tool passes both SDK majors' ToolSchema. */
function bothAccept(t: Tool): void {
  expect(V1ToolSchema.safeParse(t).success).toBe(true)
  expect(V2ToolSchema.safeParse(t).success).toBe(true)
}

describe("tool validation for clients of both SDK majors", () => {
  test("a non-string outputSchema.$schema (v2 rejects the tool) loses the outputSchema, the tool stays", async () => {
    const r = await one({ name: "a", inputSchema: input, outputSchema: { type: "object", $schema: 5 } })
    expect(r.kept).toBeDefined()
    expect(r.kept!.outputSchema).toBeUndefined()
    expect(r.issue).toMatchObject({ action: "repaired" })
    expect(r.issue!.why).toContain("outputSchema.$schema is not a string")
    bothAccept(r.kept!)
  })

  test("an outputSchema that is not an object schema (v2 accepts it, v1 rejects the tool) is removed", async () => {
    const r = await one({ name: "a", inputSchema: input, outputSchema: { type: "array", items: { type: "string" } } })
    expect(r.kept!.outputSchema).toBeUndefined()
    bothAccept(r.kept!)
  })

  test("inputSchema true (any arguments) and properties: null are repaired to what both majors accept; inputSchema false still drops the tool", async () => {
    for (const inputSchema of [true, { type: "object", properties: null }]) {
      const r = await one({ name: "a", inputSchema })
      expect(r.kept).toBeDefined()
      expect(r.kept!.inputSchema).toEqual({ type: "object" })
      expect(r.issue).toMatchObject({ action: "repaired" })
      bothAccept(r.kept!)
    }
    expect((await one({ name: "a", inputSchema: false })).issue).toMatchObject({ action: "dropped" })
  })

  test("a property schema that is not an object (v2 accepts it, v1 rejects the tool) is repaired: the tool stays, both majors accept it", async () => {
    expect(V2ToolSchema.safeParse({ name: "a", inputSchema: { type: "object", properties: { x: 1 } } }).success).toBe(true)
    expect(V1ToolSchema.safeParse({ name: "a", inputSchema: { type: "object", properties: { x: 1 } } }).success).toBe(false)
    for (const junk of [1, "string", null, [{ type: "string" }], "nonsense"]) {
      const r = await one({ name: "a", inputSchema: { type: "object", properties: { x: junk, y: { type: "number" } } } })
      expect(r.issue).toMatchObject({ action: "repaired" })
      bothAccept(r.kept!)
      const props = (r.kept!.inputSchema as { properties: Record<string, Record<string, unknown>> }).properties
      expect(Object.keys(props)).toEqual(["x", "y"])
      expect(props.x).toEqual(junk === "string" ? { type: "string" } : { description: expect.stringContaining("not valid JSON Schema") })
    }
  })

  test("outputSchemas compile as the v2 client compiles them (2020-12, after normalisation)", async () => {
    const draft7 = { $schema: "http://json-schema.org/draft-07/schema#", type: "object", properties: { l: { type: "array", items: [{ type: "string" }] } } }
    const dangling = { type: "object", properties: { a: { $ref: "#/$defs/missing" } } }
    const plain = { type: "object", properties: { n: { type: "number" } }, required: ["n"] }
    const r = await checkTools<Tool>([
      { name: "d7", inputSchema: input, outputSchema: draft7 },
      { name: "dangling", inputSchema: input, outputSchema: dangling },
      { name: "plain", inputSchema: input, outputSchema: plain },
    ])
    const byName = new Map(r.items.map((t) => [t.name, t]))
    // draft-07 tuple form read as 2020-12 (schema-normalize), and it compiles there
    // (and `items: {}`, what no `items` means: VS Code and OpenAI refuse an array type without it)
    expect(byName.get("d7")!.outputSchema).toEqual({ type: "object", properties: { l: { type: "array", prefixItems: [{ type: "string" }], items: {} } } })
    expect(byName.get("plain")!.outputSchema).toEqual(plain)
    // a $ref to nothing is removed (schema-compile.ts): the rest of the schema still checks results
    expect(byName.get("dangling")!.outputSchema).toEqual({ type: "object", properties: { a: {} } })
    expect(r.issues.find((i) => i.name === "dangling")?.why).toContain('outputSchema/properties/a/$ref "#/$defs/missing" resolves to nothing: removed')
    for (const t of r.items) bothAccept(t)
  })
})
