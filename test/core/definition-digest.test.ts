/**
 * core/definition-digest: the digests kept per definition object stand for its JSON text (the
 * relist's reuse, proxy/fetch-list, compared texts before; the list fingerprint stringified the whole
 * list): same JSON ⇔ same digest, the length is the text's, and a list's print changes with any
 * item, its order or its count. Property tests over arbitrary JSON values (fast-check).
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { jsonFacts, jsonLength, keyedDigest, listPrint } from "../../src/core/index.ts"

const value = fc.jsonValue({ maxDepth: 4 })
/** A pair that is often the same JSON in other objects (a relist's fresh parse), else arbitrary. */
const pair = fc.oneof(
  value.map((a) => [a, JSON.parse(JSON.stringify(a)) as unknown] as const),
  fc.tuple(value, value),
  // key order matters to the text (and so to the digest), as it did to the compared texts
  fc.dictionary(fc.string({ maxLength: 3 }), value, { minKeys: 2, maxKeys: 4 }).map((o) => [o, Object.fromEntries(Object.entries(o).reverse())] as const),
)

describe("keyedDigest", () => {
  test("same JSON text ⇔ same digest", () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        expect(keyedDigest(a) === keyedDigest(b)).toBe(JSON.stringify(a) === JSON.stringify(b))
      }),
      { numRuns: 500 },
    )
  })

  test("kept per object: the same object gives the same digest, and jsonLength is its text's length", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), value), (o) => {
        expect(keyedDigest(o)).toBe(keyedDigest(o)!)
        expect(jsonLength(o)).toBe(JSON.stringify(o).length)
      }),
      { numRuns: 300 },
    )
  })

  test("an object JSON.stringify refuses (a cycle) has no digest: it matches nothing", () => {
    const o: Record<string, unknown> = { name: "a" }
    o.self = o
    expect(keyedDigest(o)).toBeUndefined()
    expect(jsonFacts(o)).toBeUndefined()
  })

  test("hidden: an invisible code point or a control character anywhere in the text", () => {
    expect(jsonFacts({ name: "a", description: "plain" })?.hidden).toBe(false)
    expect(jsonFacts({ name: "a", description: "zero\u200bwidth" })?.hidden).toBe(true)
    expect(jsonFacts({ name: "a", inputSchema: { properties: { "k\u001b": {} } } })?.hidden).toBe(true)
  })
})

describe("listPrint", () => {
  test("same list JSON ⇔ same print (items in other objects, reordered, one changed, one more)", () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 6 }), fc.array(value, { maxLength: 6 }), fc.boolean(), (a, b, copy) => {
        const other = copy ? (JSON.parse(JSON.stringify(a)) as unknown[]) : b
        expect(listPrint(a) === listPrint(other)).toBe(JSON.stringify(a) === JSON.stringify(other))
      }),
      { numRuns: 500 },
    )
  })

  test("the same in every process (it is compared across windows: app/tool-snapshot)", () => {
    const list = [{ name: "a", inputSchema: { type: "object" } }, { name: "b" }]
    const code = `import { listPrint } from ${JSON.stringify(`${import.meta.dir}/../../src/core/index.ts`)}; console.log(listPrint(${JSON.stringify(list)}))`
    const other = Bun.spawnSync([process.execPath, "-e", code]).stdout.toString().trim()
    expect(other).toBe(listPrint(list))
  })
})
