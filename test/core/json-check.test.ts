/**
 * checkJsonBytes: accepts only what JSON.parse of the strictly decoded text accepts, whatever the
 * chunk boundaries; reads `isError` and, in envelope mode, where each top-level member sits.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { checkJsonBytes } from "../../src/core/index.ts"

const enc = new TextEncoder()

function split(b: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => (b.length ? c % b.length : 0)))].sort((x, y) => x - y)
  const out: Uint8Array[] = []
  let prev = 0
  for (const p of [...points, b.length]) {
    out.push(b.slice(prev, p))
    prev = p
  }
  return out
}

/** JSON.parse of the bytes decoded strictly (invalid UTF-8 is not JSON here). */
function parse(b: Uint8Array): { ok: true; v: unknown } | { ok: false } {
  let text: string
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(b)
  } catch {
    return { ok: false }
  }
  try {
    return { ok: true, v: JSON.parse(text) }
  } catch {
    return { ok: false }
  }
}

const pieces = fc.constantFrom("", "\\", '"', "\\u12", "\\uZZZZ", " ", "0", "01", "-", ".", "e", "E+", "]", "}", "[", "{", ",", ":", "tru", "\u0001", "\u00e9", "\ud83d\ude00", "nul", "\t", "\r", "\n", "1.", "-0", "1e5", "x", '"isError":true', '"isError":1')
/** JSON texts, some broken by insertions. */
const texts = fc.tuple(fc.jsonValue(), fc.boolean(), fc.array(fc.tuple(fc.nat(), pieces), { maxLength: 3 })).map(([v, spaced, edits]) => {
  let s = spaced ? JSON.stringify(v, null, 1) : JSON.stringify(v)
  for (const [at, piece] of edits) {
    const k = at % (s.length + 1)
    s = s.slice(0, k) + piece + s.slice(k)
  }
  return s
})
const isErrorOf = (v: unknown): boolean => typeof v === "object" && v !== null && !Array.isArray(v) && (v as { isError?: unknown }).isError === true

describe("checkJsonBytes", () => {
  test("never accepts what JSON.parse rejects, at any chunk boundaries; isError as JSON.parse reads it", () => {
    fc.assert(
      fc.property(texts, fc.array(fc.nat(), { maxLength: 6 }), (s, cuts) => {
        const b = enc.encode(s)
        const got = checkJsonBytes(split(b, cuts))
        const truth = parse(b)
        if (got === undefined) return
        expect(truth.ok).toBe(true)
        if (truth.ok) expect(got.isError).toBe(isErrorOf(truth.v))
      }),
      { numRuns: 20_000 },
    )
  })

  test("accepts valid JSON (plain top-level keys)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), fc.array(fc.nat(), { maxLength: 6 }), (v, spaced, cuts) => {
        const plainKeys = !(typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).some((k) => /[^\x20-\x7e"\\]/.test(k) || /["\\]/.test(k) || k === "isError"))
        fc.pre(plainKeys)
        expect(checkJsonBytes(split(enc.encode(spaced ? JSON.stringify(v, null, 2) : JSON.stringify(v)), cuts))).toBeDefined()
      }),
      { numRuns: 3000 },
    )
  })

  test("edge cases: UTF-8, depth, literals, numbers, isError", () => {
    expect(checkJsonBytes([new Uint8Array([34, 0xc0, 0x80, 34])])).toBeUndefined() // overlong
    expect(checkJsonBytes([new Uint8Array([34, 0xed, 0xa0, 0x80, 34])])).toBeUndefined() // encoded surrogate
    expect(checkJsonBytes([new Uint8Array([34, 0xf0, 0x9f]), new Uint8Array([0x98, 0x80, 34])])).toBeDefined() // split 4-byte
    expect(checkJsonBytes([enc.encode("[".repeat(600) + "]".repeat(600))])).toBeUndefined()
    expect(checkJsonBytes([enc.encode("[".repeat(500) + "]".repeat(500))])).toBeDefined()
    expect(checkJsonBytes([enc.encode('{"isError":true,"content":[]}')])?.isError).toBe(true)
    expect(checkJsonBytes([enc.encode('{"isError":true,"content":[],"isError":false}')])?.isError).toBe(false)
    expect(checkJsonBytes([enc.encode('{"a":{"isError":true}}')])?.isError).toBe(false)
    expect(checkJsonBytes([enc.encode('{"isErrorX":true}')])?.isError).toBe(false)
    expect(checkJsonBytes([enc.encode('{"isError":1}')])).toBeUndefined() // left to JSON.parse
    for (const bad of ["", " ", "1 2", "{}}", "[1,]", '{"a":1,}', "01", "1.", "-", "tru", "nulll", '"\\x"', "[", '{"a"}', '{"a":}', "\ufeff{}"]) expect(checkJsonBytes([enc.encode(bad)])).toBeUndefined()
    for (const good of ["0", "-0.5e+3", " 1 ", "[]", "{}", '""', '"\\u00e9\\n"', "true", "null", '[1,{"a":[false]}]', '"\\ud800"']) expect(checkJsonBytes([enc.encode(good)])).toBeDefined()
  })

  test("envelope mode: members with their value spans, in any order and spacing; duplicates and non-objects refused", () => {
    const line = '{ "id" : 7 ,"result":{"content":[],"isError":true} , "jsonrpc":"2.0"}'
    const got = checkJsonBytes(split(enc.encode(line), [3, 17, 40]), true)
    const span = (k: string): string => {
      const [a, b] = got!.members!.get(k)!
      return line.slice(a, b)
    }
    expect([...got!.members!.keys()].sort()).toEqual(["id", "jsonrpc", "result"])
    expect(span("id").trim()).toBe("7")
    expect(JSON.parse(span("result"))).toEqual({ content: [], isError: true })
    expect(span("jsonrpc")).toBe('"2.0"')
    expect(got!.isError).toBe(true)
    expect(checkJsonBytes([enc.encode('{"result":{"isError":true},"id":1,"result":{}}')], true)).toBeUndefined()
    expect(checkJsonBytes([enc.encode("[1]")], true)).toBeUndefined()
    expect(checkJsonBytes([enc.encode('{"isError":true,"result":{}}')], true)?.isError).toBe(false)
  })
})
