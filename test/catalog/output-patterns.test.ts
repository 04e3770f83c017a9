/**
 * catalog/output-patterns: an outputSchema loses its regular expressions (the client would throw on
 * any mismatch of a schema we cannot check, and a downstream's pattern may be catastrophic), and
 * nothing else: data keywords and property names stay, and only loosening is done.
 */
import { describe, expect, test } from "bun:test"
import { hasPatterns, withoutPatterns } from "../../src/catalog/output-patterns.ts"

describe("withoutPatterns", () => {
  test("removes pattern at every schema position; the same object when there is none", () => {
    const plain = { type: "object", properties: { a: { type: "string" } } }
    expect(withoutPatterns(plain)).toBe(plain)
    const s = {
      type: "object",
      properties: { id: { type: "string", pattern: "^(a+)+$" }, list: { type: "array", items: { type: "string", pattern: "x" } } },
      $defs: { d: { anyOf: [{ pattern: "y" }, { type: "number" }] } },
      propertyNames: { pattern: "^[a-z]+$" },
    }
    expect(withoutPatterns(s)).toEqual({ type: "object", properties: { id: { type: "string" }, list: { type: "array", items: { type: "string" } } }, $defs: { d: { anyOf: [{}, { type: "number" }] } }, propertyNames: {} })
    expect(s.properties.id.pattern).toBe("^(a+)+$") // not changed in place
    expect(hasPatterns(s)).toBe(true)
  })

  test("property names and data keep their 'pattern'; __proto__ stays an own property", () => {
    const props = JSON.parse('{"pattern":{"type":"string"},"__proto__":{"type":"string","pattern":"z"}}')
    const s = { type: "object", properties: props, default: { pattern: "keep" }, enum: [{ pattern: "keep" }] }
    const out = withoutPatterns(s) as { properties: Record<string, unknown>; default: unknown; enum: unknown }
    expect(Object.getPrototypeOf(out.properties)).toBe(Object.prototype)
    expect(Object.hasOwn(out.properties, "__proto__")).toBe(true)
    expect(JSON.stringify(out.properties)).toBe('{"pattern":{"type":"string"},"__proto__":{"type":"string"}}')
    expect(out.default).toEqual({ pattern: "keep" })
    expect(out.enum).toEqual([{ pattern: "keep" }])
    expect(hasPatterns({ type: "object", properties: { pattern: { type: "string" } } })).toBe(false)
  })

  test("patternProperties goes with that level's additionalProperties and every unevaluatedProperties (only loosened)", () => {
    const s = { type: "object", allOf: [{ patternProperties: { "^x_": { type: "number" } }, additionalProperties: false }], unevaluatedProperties: false, properties: { n: { type: "object", additionalProperties: false } } }
    expect(withoutPatterns(s)).toEqual({ type: "object", allOf: [{}], properties: { n: { type: "object", additionalProperties: false } } })
  })
})
