/**
 * catalog/portable-schema (`proxy.portableSchemas`): a `required` name the schema's `properties` do
 * not define is removed at every level (Gemini refuses the whole request for one: "required[0]:
 * property is not defined", every tool of every server gone), after a top-level anyOf/oneOf is
 * merged (its variants' names are read first); a property named `__proto__` stays an own property.
 * (The SDK clients' own parsing drops a `__proto__` key, so this is checked here, not through one.)
 */
import { describe, expect, test } from "bun:test"
import { portableSchema } from "../../src/catalog/portable-schema.ts"

describe("portableSchema: required names", () => {
  test("names without a property go, at every level; a schema with none is the same object", () => {
    const ok = { type: "object", properties: { a: { type: "string" } }, required: ["a"] }
    expect(portableSchema(ok)).toBe(ok)
    const notes: string[] = []
    const s = { type: "object", properties: { a: { type: "string" }, n: { type: "object", properties: { b: { type: "string" } }, required: ["b", "ghost"] }, l: { type: "array", items: { type: "object", required: ["x"] } } }, required: ["a", "missing", 5] }
    expect(portableSchema(s, notes)).toEqual({ type: "object", properties: { a: { type: "string" }, n: { type: "object", properties: { b: { type: "string" } }, required: ["b"] }, l: { type: "array", items: { type: "object" } } }, required: ["a"] })
    expect(notes).toContain("required names without a property removed")
    expect(s.required).toEqual(["a", "missing", 5]) // the downstream's own is untouched
  })

  test("a top-level oneOf of required-only variants is still described by its names", () => {
    const s = { type: "object", properties: { path: { type: "string" }, url: { type: "string" } }, oneOf: [{ required: ["path"] }, { required: ["url"] }] }
    const out = portableSchema(s) as { description?: string; required?: unknown; oneOf?: unknown }
    expect(out.oneOf).toBeUndefined()
    expect(out.required).toBeUndefined()
    expect(out.description).toContain("(required: path)")
    expect(out.description).toContain("(required: url)")
  })

  test("a property named __proto__ stays an own property, as does its required name", () => {
    const s = JSON.parse('{"type":"object","properties":{"__proto__":{"$ref":"#/$defs/s"}},"required":["__proto__"],"$defs":{"s":{"type":"string"}}}')
    const out = portableSchema(s) as { properties: object }
    expect(Object.getPrototypeOf(out.properties)).toBe(Object.prototype)
    expect(JSON.stringify(out)).toBe('{"type":"object","properties":{"__proto__":{"type":"string"}},"required":["__proto__"]}')
    const merged = portableSchema(JSON.parse('{"type":"object","anyOf":[{"properties":{"__proto__":{"type":"number"}},"required":["__proto__"]}]}')) as { properties: object }
    expect(JSON.stringify(merged.properties)).toBe('{"__proto__":{"type":"number"}}')
  })
})
