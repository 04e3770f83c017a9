/**
 * Regression (QA 24): argument signatures (search hits, the hint after a refused call, run_code's
 * `tools[...]`) printed a `$ref` as `unknown` (Notion's `parent: unknown | string`,
 * sequential-thinking's `isRevision?: unknown`), an `allOf` as `unknown`, `patternProperties` as
 * `object`, and a search hit spelled out every required argument (2 000 of them). Local refs are now
 * resolved against the tool's schema with a cycle guard and a bound on the work; remote refs are
 * never fetched. The binary's side: test/binary/model-errors.test.ts.
 */
import { describe, expect, test } from "bun:test"
import { schemaType, signature, signatureBlock } from "../../src/mcp/tools/code-signatures.ts"
import { argSignature } from "../../src/mcp/tools/tool-summary.ts"

const wide = { typeMax: 120, signatureMax: 2000, requiredMax: 2000 }

describe("local $refs", () => {
  test("$defs, definitions, a property, a JSON pointer with escapes, an $anchor, the root's own $id", () => {
    const s = {
      $id: "https://example.com/tool.json",
      type: "object",
      properties: {
        a: { $ref: "#/$defs/A" },
        b: { $ref: "#/definitions/B" },
        c: { $ref: "#/properties/a" },
        d: { $ref: "#/$defs/with~1slash" },
        e: { $ref: "#here" },
        f: { $ref: "https://example.com/tool.json#/$defs/A" },
      },
      required: ["a", "b", "c", "d", "e", "f"],
      $defs: { A: { type: "integer" }, "with/slash": { type: "boolean" }, H: { $anchor: "here", type: "string", enum: ["x", "y"] } },
      definitions: { B: { type: "array", items: { type: "string" } } },
    }
    expect(argSignature(s, wide)).toBe('(a: number, b: string[], c: number, d: boolean, e: "x" | "y", f: number)')
  })

  test("a root that is itself a ref, or an allOf of objects: its properties are the arguments", () => {
    expect(argSignature({ $ref: "#/$defs/Args", $defs: { Args: { type: "object", properties: { q: { type: "string" } }, required: ["q"] } } })).toBe("(q: string)")
    expect(argSignature({ allOf: [{ type: "object", properties: { a: { type: "string" } }, required: ["a"] }, { properties: { b: { type: "number" } } }] })).toBe("(a: string, b?: number)")
  })

  test("a remote ref is never fetched: unknown; a union with an unknown member is unknown, not `unknown | string`", () => {
    expect(schemaType({ $ref: "https://example.com/s.json" })).toBe("unknown")
    expect(schemaType({ anyOf: [{ $ref: "other.json#/x" }, { type: "string" }] })).toBe("unknown")
    expect(schemaType({ $ref: "#/$defs/missing" })).toBe("unknown")
  })

  test("recursion and ref cycles end: `object` where a schema refers to itself", () => {
    const tree = { type: "object", properties: { node: { $ref: "#/$defs/N" }, self: { $ref: "#" }, loop: { $ref: "#/$defs/A" } }, $defs: { N: { type: "object", properties: { kids: { type: "array", items: { $ref: "#/$defs/N" } } } }, A: { $ref: "#/$defs/B" }, B: { $ref: "#/$defs/A" } } }
    expect(signature({ name: "t", inputSchema: tree })).toBe("t(args: { node?: { kids?: object[] }; self?: object; loop?: unknown })")
  })

  test("an allOf that contains itself through refs ends, with the properties it adds", () => {
    const mutual = { type: "object", properties: { x: { $ref: "#/$defs/A" } }, $defs: { A: { allOf: [{ $ref: "#/$defs/B" }, { properties: { a: { type: "string" } } }] }, B: { allOf: [{ $ref: "#/$defs/A" }, { properties: { b: { type: "string" } } }] } } }
    expect(signature({ name: "c", inputSchema: mutual })).toBe("c(args: { x?: { b?: string; a?: string } })")
    const root = { $ref: "#/$defs/A", $defs: { A: { allOf: [{ $ref: "#/$defs/A" }, { properties: { k: { type: "string" } } }] } } }
    expect(argSignature(root)).toBe("(k?: string)")
    expect(argSignature({ allOf: [{ $ref: "#" }, { properties: { q: { type: "string" } } }] })).toBe("(q?: string)")
  })

  test("refs that fan out (a def used twice per level, 40 levels) are bounded: a short signature, not 2^40 visits", () => {
    const $defs: Record<string, unknown> = { d40: { type: "string" } }
    for (let i = 0; i < 40; i++) $defs[`d${i}`] = { anyOf: [{ $ref: `#/$defs/d${i + 1}` }, { type: "object", properties: { a: { $ref: `#/$defs/d${i + 1}` } } }] }
    const line = signature({ name: "x", inputSchema: { type: "object", properties: { v: { $ref: "#/$defs/d0" } }, $defs } })
    expect(line).toStartWith("x(args: { v?: string | { a?: string }")
    expect(line.length).toBeLessThan(400)
  })
})

describe("other shapes", () => {
  test("allOf with a ref and siblings, nullable, type arrays, tuples, patternProperties, additionalProperties", () => {
    expect(schemaType({ allOf: [{ $ref: "#/$defs/Base" }, { properties: { extra: { type: "boolean" } }, required: ["extra"] }], $defs: { Base: { type: "object", properties: { id: { type: "string" } }, required: ["id"] } } })).toBe("{ id: string; extra: boolean }")
    expect(schemaType({ allOf: [{ type: "string" }, { minLength: 1 }] })).toBe("string")
    expect(schemaType({ type: "string", nullable: true })).toBe("string | null")
    expect(schemaType({ type: ["string", "null"] })).toBe("string | null")
    expect(schemaType({ type: ["string", "null"], nullable: true })).toBe("string | null")
    expect(schemaType({ type: "object", properties: { a: { $ref: "#/$defs/A", nullable: true } }, required: ["a"], $defs: { A: { type: "string" } } })).toBe("{ a: string | null }")
    expect(schemaType({ type: "array", prefixItems: [{ type: "number" }, { type: "string" }] })).toBe("[number, string]")
    expect(schemaType({ type: "object", patternProperties: { "^x-": { type: "integer" } } })).toBe("Record<string, number>")
    expect(schemaType({ type: "object", additionalProperties: { $ref: "#/$defs/V" }, $defs: { V: { type: "boolean" } } })).toBe("Record<string, boolean>")
  })

  test("argument lists: a root anyOf/oneOf of objects gives each shape, a map says its other keys (it said `()`: 'takes no arguments')", () => {
    expect(argSignature({ type: "object", oneOf: [{ properties: { path: { type: "string" } }, required: ["path"] }, { properties: { url: { type: "string" } }, required: ["url"] }] })).toBe("(path: string) | (url: string)")
    expect(argSignature({ type: "object", anyOf: [{ $ref: "#/$defs/A" }, { $ref: "#/$defs/B" }], $defs: { A: { type: "object", properties: { id: { type: "string" } }, required: ["id"] }, B: { type: "object", properties: { name: { type: "string" } }, required: ["name"] } } })).toBe("(id: string) | (name: string)")
    expect(argSignature({ type: "object", additionalProperties: { type: "string" } })).toBe("([key: string]: string)")
    expect(argSignature({ type: "object", properties: { name: { type: "string" } }, required: ["name"], patternProperties: { "^x-": { type: "integer" } } })).toBe("(name: string, [key: string]: number)")
    expect(argSignature({ type: "object", additionalProperties: true })).toBe("([key: string]: unknown)")
    // unchanged: an object without properties is a tool without arguments; extra keys allowed next to named ones are not noise
    expect(argSignature({ type: "object" })).toBe("()")
    expect(argSignature({ type: "object", properties: { a: { type: "string" } }, additionalProperties: true })).toBe("(a?: string)")
    expect(signature({ name: "x", inputSchema: { type: "object", oneOf: [{ properties: { path: { type: "string" } }, required: ["path"] }, { properties: { url: { type: "string" } }, required: ["url"] }] } })).toBe("x(args: { path: string } | { url: string })")
  })

  test("a 10 000-member enum and an enum of long strings are typed by their members", () => {
    expect(schemaType({ enum: Array.from({ length: 10_000 }, (_, i) => `v${i}`) })).toBe("string")
    expect(schemaType({ enum: ["a".repeat(500), "b"] })).toBe("string")
    expect(schemaType({ const: "c".repeat(500) })).toBe("string")
  })

  test("a search hit: 2 000 required arguments are counted, not spelled out; a 500-character property name is cut", () => {
    const props = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`p${i}`, { type: "string" }]))
    const hit = argSignature({ type: "object", properties: props, required: Object.keys(props).slice(0, 2000) })
    expect(hit).toEndWith("more required)")
    expect(hit.length).toBeLessThan(400)
    expect(argSignature({ type: "object", properties: { ["k".repeat(500)]: { type: "string" } }, required: ["k".repeat(500)] }).length).toBeLessThan(100)
  })

  test("run_code: one 3 000-property tool does not push every other signature out of the budget", () => {
    const props = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`p${i}`, { type: "string" }]))
    const block = signatureBlock(
      [
        { name: "big", inputSchema: { type: "object", properties: props } },
        { name: "small", inputSchema: { type: "object", properties: { q: { type: "string" } }, required: ["q"] } },
      ],
      2400,
    )
    expect(block).toBeDefined()
    expect(block).toContain("small(args: { q: string })")
    expect(block).toContain("big(args: { p0?: string; p1?: string;")
  })
})
