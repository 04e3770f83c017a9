/**
 * core/list-json: the list answer's bytes are built from memoised per-definition texts and blocks.
 * They must always equal a plain JSON.stringify of the list (any list, any order, any change), a
 * rebuild after one definition changed must reuse the blocks it did not touch, and the list
 * fingerprint must follow every change of content (and only of content).
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { chunksLength, itemJson, listChunks, listDigest, sameBytes } from "../../src/core/index.ts"

const dec = new TextDecoder()
const text = (chunks: readonly Uint8Array[]): string => chunks.map((c) => dec.decode(c)).join("")

const tool = (i: number, extra = ""): Record<string, unknown> => ({
  name: `tool_${i}`,
  description: `does thing ${i}${extra} — ünïcödé 👩‍💻`,
  inputSchema: { type: "object", properties: { a: { type: "string", description: `arg of ${i}` } }, required: ["a"] },
})

describe("listChunks", () => {
  test("equals JSON.stringify of the list with the edges, for any list of JSON values", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue())), { maxLength: 300 }), (items) => {
        expect(text(listChunks(items, '{"tools":[', "]}"))).toBe(`{"tools":${JSON.stringify(items)}}`)
      }),
      { numRuns: 200 },
    )
  })

  test("a rebuild after one item changed re-encodes only the block holding it", () => {
    const items = Array.from({ length: 2000 }, (_, i) => tool(i))
    const first = listChunks(items, "[", "]")
    const changed = [...items]
    changed[1000] = tool(1000, " (changed)")
    const second = listChunks(changed, "[", "]")
    expect(text(second)).toBe(JSON.stringify(changed))
    // between the edges: blocks and commas; every block but the changed one is the same object
    const middle = second.slice(1, -1)
    const reused = middle.filter((c) => first.includes(c)).length
    expect(middle.length).toBeGreaterThan(20)
    expect(reused).toBe(middle.length - 1)
  })

  test("an insertion shifts no block boundary after it (content-defined blocks)", () => {
    const items = Array.from({ length: 2000 }, (_, i) => tool(i))
    const first = listChunks(items, "[", "]")
    const inserted = [...items.slice(0, 500), tool(99_999), ...items.slice(500)]
    const second = listChunks(inserted, "[", "]")
    expect(text(second)).toBe(JSON.stringify(inserted))
    const middle = second.slice(1, -1)
    // the block that got the new item, and at most the one before it (its end moved), are new
    expect(middle.filter((c) => first.includes(c)).length).toBeGreaterThanOrEqual(middle.length - 2)
  })
})

describe("itemJson and listDigest", () => {
  test("itemJson is JSON.stringify, memoised per object", () => {
    const t = tool(1)
    expect(itemJson(t)).toBe(JSON.stringify(t))
    expect(itemJson(t)).toBe(itemJson(t))
    expect(itemJson("x")).toBe('"x"')
  })

  test("the digest follows content: equal lists agree, any edit, reorder, insertion or removal differs", () => {
    const a = Array.from({ length: 300 }, (_, i) => tool(i))
    const copy = a.map((t) => structuredClone(t)) // other objects, same content
    expect(listDigest(copy)).toBe(listDigest(a))
    const edited = [...a]
    edited[150] = tool(150, "!")
    const swapped = [...a]
    ;[swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!]
    const digests = new Set([listDigest(a), listDigest(edited), listDigest(swapped), listDigest(a.slice(1)), listDigest([...a, tool(1)])])
    expect(digests.size).toBe(5)
  })
})

describe("sameBytes", () => {
  const enc = new TextEncoder()
  /** `s` cut into chunks at the given fractions. */
  const cut = (s: string, at: number[]): Uint8Array[] => {
    const b = enc.encode(s)
    const points = [...new Set(at.map((f) => Math.floor(f * b.byteLength)))].sort((x, y) => x - y)
    const out: Uint8Array[] = []
    let from = 0
    for (const p of points) {
      out.push(b.subarray(from, p))
      from = p
    }
    out.push(b.subarray(from))
    return out
  }

  test("agrees with comparing the joined texts, for any two texts cut anywhere", () => {
    const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 })
    fc.assert(
      fc.property(fc.string(), fc.string(), cuts, cuts, fc.boolean(), (s, t, ca, cb, same) => {
        const other = same ? s : t
        expect(sameBytes(cut(s, ca), cut(other, cb))).toBe(s === other)
      }),
      { numRuns: 500 },
    )
  })

  test("a list rebuilt after one change differs only there, and equals its own rebuild", () => {
    const items = Array.from({ length: 2000 }, (_, i) => tool(i))
    const first = listChunks(items, "[", "]")
    expect(sameBytes(first, listChunks([...items], "[", "]"))).toBe(true)
    const changed = [...items]
    changed[1500] = tool(1500, "!")
    expect(sameBytes(first, listChunks(changed, "[", "]"))).toBe(false)
    // the same text as one chunk (a snapshot's bytes) against the blocks
    expect(sameBytes([enc.encode(JSON.stringify(items))], first)).toBe(true)
    // one byte differing in the middle of a block, equal lengths
    const swapped = [...items]
    swapped[7] = { ...tool(7), name: "tool_8" }
    const other = listChunks(swapped, "[", "]")
    expect(chunksLength(other)).toBe(chunksLength(first))
    expect(sameBytes(first, other)).toBe(false)
  })
})
