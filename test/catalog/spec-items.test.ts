/**
 * catalog/spec-items is our copy of the spec's item definitions, so a session that only proxies never
 * evaluates the SDK's schema modules. It must accept and refuse exactly what the SDK's schemas do
 * (an SDK client validates a list with them): a property test over generated items, each kind
 * against its SDK counterpart, with the odd shapes downstreams send (wrong types, nulls, extra keys).
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import * as sdk from "@modelcontextprotocol/core"
import * as ours from "../../src/catalog/spec-items.ts"

const odd = fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer(), fc.double(), fc.boolean(), fc.string(), fc.constant({}), fc.constant([]), fc.constant(["a"]), fc.constant([1]))
/** A valid value most of the time, an odd one sometimes: so whole items pass too, not only fail. */
const mostly = <T,>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: odd })
const str = mostly(fc.string())
const icon = fc.oneof(odd, fc.record({ src: str, mimeType: str, sizes: fc.oneof(odd, fc.array(str)), theme: fc.oneof(odd, fc.constantFrom("light", "dark", "dim")) }, { requiredKeys: [] }))
const icons = fc.oneof(odd, fc.array(icon, { maxLength: 3 }))
const meta = fc.oneof(odd, fc.dictionary(fc.string(), odd))
const annotations = fc.oneof(odd, fc.record({ audience: fc.oneof(odd, fc.array(fc.constantFrom("user", "assistant", "bot"))), priority: fc.oneof(odd, fc.double({ min: -1, max: 2 })), lastModified: fc.oneof(odd, fc.constantFrom("2025-01-01T00:00:00Z", "2025-01-01T00:00:00+02:00", "yesterday")) }, { requiredKeys: [] }))
const jsonish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({ v: fc.oneof({ depthSize: "small" }, fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.dictionary(fc.string(), tie("v")), fc.array(tie("v"), { maxLength: 3 })) })).v
const inputSchema = fc.oneof(odd, fc.record({ type: fc.oneof(odd, fc.constant("object"), fc.constant("array")), properties: fc.oneof(odd, fc.dictionary(fc.string(), fc.oneof(jsonish, fc.constant(undefined)))), required: fc.oneof(odd, fc.array(str, { maxLength: 3 })), extra: jsonish }, { requiredKeys: [] }))
const base = { name: str, title: str, description: str, icons, _meta: meta, extra: odd }

const kinds = {
  ToolSchema: fc.record(
    {
      name: str,
      title: str,
      description: str,
      icons: mostly(fc.array(icon, { maxLength: 2 })),
      _meta: mostly(fc.dictionary(fc.string(), jsonish, { maxKeys: 2 })),
      inputSchema: mostly(fc.record({ type: mostly(fc.constant("object")), properties: mostly(fc.dictionary(fc.string(), jsonish, { maxKeys: 3 })), required: mostly(fc.array(fc.string(), { maxLength: 3 })), extra: jsonish }, { requiredKeys: ["type"] })),
      outputSchema: mostly(fc.record({ $schema: str, type: str }, { requiredKeys: [] })),
      annotations: mostly(fc.record({ title: str, readOnlyHint: mostly(fc.boolean()), openWorldHint: mostly(fc.boolean()) }, { requiredKeys: [] })),
      execution: mostly(fc.record({ taskSupport: mostly(fc.constantFrom("required", "optional", "forbidden")) }, { requiredKeys: [] })),
      extra: odd,
    },
    { requiredKeys: ["name", "inputSchema"] },
  ),
  PromptSchema: fc.record({ ...base, arguments: fc.oneof(odd, fc.array(fc.oneof(odd, fc.record({ name: str, description: str, required: fc.oneof(odd, fc.boolean()) }, { requiredKeys: [] })), { maxLength: 3 })) }, { requiredKeys: [] }),
  ResourceSchema: fc.record({ ...base, uri: str, mimeType: str, size: fc.oneof(odd, fc.integer()), annotations }, { requiredKeys: [] }),
  ResourceTemplateSchema: fc.record({ ...base, uriTemplate: str, mimeType: str, annotations }, { requiredKeys: [] }),
  IconSchema: icon,
  AnnotationsSchema: annotations,
} as const

describe("catalog/spec-items against the SDK's schemas", () => {
  for (const [name, arb] of Object.entries(kinds)) {
    test(`${name}: accepts and refuses what the SDK's does, with the same output`, () => {
      const theirs = (sdk as unknown as Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown } }>)[name]!
      const mine = (ours as unknown as Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown } }>)[name]!
      let accepted = 0
      fc.assert(
        fc.property(arb, (item) => {
          const a = theirs.safeParse(item)
          const b = mine.safeParse(item)
          expect(b.success).toBe(a.success)
          if (a.success) {
            accepted++
            expect(b.data).toEqual(a.data)
          }
        }),
        { numRuns: 400 },
      )
      // the generator reaches both outcomes (a test where everything is refused would prove nothing)
      expect(accepted).toBeGreaterThan(0)
    })
  }
})
