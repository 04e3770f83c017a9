/**
 * A pin's hash (catalog/pins `definitionHash`) is of the definition's canonical JSON. Its text is
 * built from pieces joined once now (nesting each level's text into its parent's made a start's
 * 5 000 definitions several times their JSON in garbage); the text, so every pin on disk, is the
 * same: checked here against the nested form it had, over any JSON a server can list.
 */
import { createHash } from "node:crypto"
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { definitionHash } from "../../src/catalog/pins.ts"

/** The canonical text as it was built before (each level's text nested into its parent's). */
function nested(v: unknown): string {
  if (v === undefined) return "null"
  if (v === null || typeof v !== "object") return JSON.stringify(v)
  if (Array.isArray(v)) return `[${v.map(nested).join(",")}]`
  const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${nested((v as Record<string, unknown>)[k])}`).join(",")}}`
}

const before = (t: Record<string, unknown>): string => {
  const { name, title, description, inputSchema, outputSchema, annotations } = t
  return createHash("sha256").update(nested({ name, title, description, inputSchema, outputSchema, annotations })).digest("hex")
}

describe("pin hashes (catalog/pins canonical)", () => {
  test("a recorded definition hashes as it did", () => {
    const tool = { name: "create_issue", description: "Create an issue", inputSchema: { type: "object", required: ["title"], properties: { title: { type: "string" }, labels: { type: "array", items: { type: "string" } }, meta: { b: 1, a: [null, true, 2.5, "x"] } } }, annotations: { readOnlyHint: false }, extra: "not hashed" }
    expect(definitionHash(tool)).toBe(before(tool))
  })

  test("any JSON definition (undefined members too) hashes as it did", () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.string(), { nil: undefined }), fc.jsonValue(), fc.jsonValue(), fc.option(fc.dictionary(fc.string(), fc.option(fc.jsonValue(), { nil: undefined })), { nil: undefined }), (name, description, inputSchema, outputSchema, annotations) => {
        const tool = { name, description, inputSchema, outputSchema, annotations, title: undefined }
        expect(definitionHash(tool)).toBe(before(tool))
      }),
      { numRuns: 300 },
    )
  })
})
