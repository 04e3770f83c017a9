/**
 * Every tool schema passed on compiles in the engines clients run (catalog/schema-compile.ts): Ajv
 * draft-07 and 2020-12 with strict off, as editors compile input schemas (one that does not compile
 * disables the server's tools, and a model API refuses the whole request for it) and the SDK clients
 * compile output schemas. Generated schemas (fast-check) mixing real keywords with the values real
 * servers get wrong (Python regular expressions, `$ref`s to nothing, keywords of the wrong type,
 * repeated enum members, draft-07 tuples, arrays without `items`) are repaired by loosening, never
 * made to fail the list,
 * and the quick judgement that lets an ordinary list skip the engines never passes a schema they
 * refuse.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import Ajv from "ajv"
import Ajv2020 from "ajv/dist/2020"
import { checkTools } from "../../src/catalog/index.ts"
import { plainlyCompiles } from "../../src/catalog/schema-compile.ts"

type Obj = Record<string, unknown>

// one instance per engine (building one compiles its meta-schemas); each schema removed after its compile
const engines = { "draft-07": new Ajv({ strict: false, logger: false }), "2020-12": new Ajv2020({ strict: false, logger: false }) }
function compileError(engine: "draft-07" | "2020-12", schema: Obj): string | undefined {
  const s = structuredClone(schema)
  try {
    engines[engine].compile(s)
    return undefined
  } catch (e) {
    return String(e)
  } finally {
    engines[engine].removeSchema(s)
  }
}
/** Where an array type has no `items` (VS Code: "tool parameters array type must have items"; OpenAI: "array schema missing items"). */
function arraysWithoutItems(s: unknown, path = ""): string[] {
  if (Array.isArray(s)) return s.flatMap((x, i) => arraysWithoutItems(x, `${path}/${i}`))
  if (s === null || typeof s !== "object") return []
  const o = s as Obj
  const own = (o.type === "array" || (Array.isArray(o.type) && o.type.includes("array"))) && !o.items ? [path || "/"] : []
  return [...own, ...Object.entries(o).flatMap(([k, v]) => (["enum", "const", "default", "examples"].includes(k) ? [] : arraysWithoutItems(v, `${path}/${k}`)))]
}
const bothCompile = (s: Obj): string[] => (["draft-07", "2020-12"] as const).flatMap((e) => compileError(e, s) ?? [])

/** Keyword values as servers send them, good and bad. */
const value = fc.oneof(
  fc.constantFrom<unknown>("string", "array", ["array", "null"], "integer64", 3, "3", -1, 0, true, null, [], {}, ["a", "a"], ["string", "null"], ["string", "bogus"], { en: "x" }),
  fc.constantFrom("^a$", "(?P<x>a)", "\\Ad\\Z", "a++", "(?i)x", "[", "#/$defs/d", "#/$defs/missing", "#/definitions/gone", "#", "https://example.com/s.json", "#anchor"),
)
const KEYS = ["type", "minLength", "maximum", "multipleOf", "pattern", "format", "description", "title", "enum", "required", "$ref", "items", "additionalProperties", "allOf", "anyOf", "$anchor", "$schema", "uniqueItems", "examples", "const", "x-vendor", "id"] as const

const schema: fc.Arbitrary<Obj> = fc.letrec<{ node: Obj }>((tie) => ({
  node: fc
    .tuple(
      fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 4 }),
      fc.option(fc.dictionary(fc.constantFrom("a", "b", "c"), tie("node"), { maxKeys: 3 }), { nil: undefined, depthSize: "small" }),
      fc.option(fc.array(tie("node"), { maxLength: 2 }), { nil: undefined, depthSize: "small" }),
    )
    .map(([kw, props, list]) => ({ ...kw, ...(props ? { properties: props } : {}), ...(list ? { items: list } : {}) })),
})).node

const root = fc.tuple(schema, fc.option(fc.dictionary(fc.constantFrom("d", "e"), schema, { maxKeys: 2 }), { nil: undefined })).map(([s, defs]) => {
  const { type: _t, properties, ...rest } = s
  return { ...rest, type: "object", properties: (properties as Obj | undefined) ?? { p: s }, ...(defs ? { $defs: defs } : {}) } as Obj
})

describe("tool schemas compile in the engines clients run", () => {
  test("generated odd schemas: never a failed list; every kept tool's input and output schema compiles in draft-07 and 2020-12", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(root, { minLength: 1, maxLength: 4 }), root, async (inputs, output) => {
        const tools = inputs.map((s, i) => ({ name: `t${i}`, inputSchema: s, ...(i === 0 ? { outputSchema: output } : {}) }))
        const r = await checkTools<{ name: string; inputSchema: Obj; outputSchema?: Obj }>(tools)
        for (const t of r.items) {
          expect({ name: t.name, input: bothCompile(t.inputSchema), arrays: arraysWithoutItems(t.inputSchema) }).toEqual({ name: t.name, input: [], arrays: [] })
          if (t.outputSchema) expect({ name: t.name, output: bothCompile(t.outputSchema) }).toEqual({ name: t.name, output: [] })
        }
        // a root that is an object schema is repaired, not dropped
        expect(r.items.length).toBe(tools.length)
      }),
      { numRuns: 100 },
    )
  }, 120_000)

  test("the quick judgement never passes a schema an engine refuses", () => {
    fc.assert(
      fc.property(root, (s) => {
        if (plainlyCompiles(s)) expect(bothCompile(s)).toEqual([])
      }),
      { numRuns: 1000 },
    )
  }, 120_000)

  test("the classes real servers send, each repaired as the field report asks", async () => {
    const r = await checkTools<{ name: string; inputSchema: Obj }>([
      { name: "nullable", inputSchema: { type: ["object", "null"], properties: { a: { type: "string" } } } },
      { name: "tuple", inputSchema: { type: "object", properties: { a: { type: "array", items: [] } } } },
      // VS Code refuses a server with an array type without items, OpenAI the request
      { name: "arrays", inputSchema: { type: "object", properties: { a: { type: "array" }, b: { type: ["array", "null"], items: { type: "array" } }, c: { type: "array", items: "string" } } } },
      { name: "py", inputSchema: { type: "object", properties: { d: { type: "string", pattern: "^(?P<y>\\d{4})\\Z" }, e: { type: "string", pattern: "a++" } } } },
      { name: "ref", inputSchema: { type: "object", properties: { a: { $ref: "#/$defs/nope", description: "kept" }, b: { $ref: "#/$defs/ok" } }, $defs: { ok: { type: "string" } } } },
      { name: "enum", inputSchema: { type: "object", properties: { m: { enum: ["r", "w", "r"] } } } },
      { name: "kinds", inputSchema: { type: "object", properties: { a: { type: "string", minLength: "3", description: { en: "x" } } } } },
      { name: "draft4", inputSchema: { id: "http://example.com/s", type: "object", properties: { id: { type: "string", enum: [] } } } },
    ])
    const by = new Map(r.items.map((t) => [t.name, t.inputSchema]))
    expect(by.get("nullable")).toEqual({ type: "object", properties: { a: { type: "string" } } })
    expect(by.get("tuple")).toEqual({ type: "object", properties: { a: { type: "array", items: {} } } })
    expect(by.get("arrays")).toEqual({ type: "object", properties: { a: { type: "array", items: {} }, b: { type: ["array", "null"], items: { type: "array", items: {} } }, c: { type: "array", items: {} } } })
    expect(by.get("py")).toEqual({ type: "object", properties: { d: { type: "string", pattern: "^(?<y>\\d{4})$" }, e: { type: "string" } } })
    expect(by.get("ref")).toEqual({ type: "object", properties: { a: { description: "kept" }, b: { $ref: "#/$defs/ok" } }, $defs: { ok: { type: "string" } } })
    expect(by.get("enum")).toEqual({ type: "object", properties: { m: { enum: ["r", "w"] } } })
    expect(by.get("kinds")).toEqual({ type: "object", properties: { a: { type: "string" } } })
    expect(by.get("draft4")).toEqual({ type: "object", properties: { id: { type: "string" } } })
    expect(r.issues.every((i) => i.action === "repaired")).toBe(true)
  })

  test("with $ids (only a compile tells): a ref by $id kept, a ref to nothing removed, one that cannot compile leaves that tool with any arguments (named why)", async () => {
    const byId = { $id: "http://x/s", type: "object", properties: { a: { $ref: "http://x/s#/$defs/d" } }, $defs: { d: { type: "string" } } }
    const r = await checkTools<{ name: string; inputSchema: Obj }>([
      { name: "by_id", inputSchema: byId },
      { name: "nope", inputSchema: { $id: "http://x/s", type: "object", properties: { a: { $ref: "#/$defs/nope" } } } },
      { name: "two_ids", inputSchema: { type: "object", properties: { a: { $id: "http://y/a", type: "string" }, b: { $id: "http://y/a", type: "number" } } } },
    ])
    const by = new Map(r.items.map((t) => [t.name, t.inputSchema]))
    expect(by.get("by_id")).toBe(byId)
    expect(by.get("nope")).toEqual({ type: "object", properties: { a: {} } })
    expect(by.get("two_ids")).toEqual({ type: "object", description: expect.stringContaining("any arguments are accepted") })
    expect(r.issues.find((i) => i.name === "two_ids")).toMatchObject({ action: "repaired", why: expect.stringContaining('reference "http://y/a" resolves to more than one schema') })
    for (const s of by.values()) expect(bothCompile(s)).toEqual([])
  })
})
