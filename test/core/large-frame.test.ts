/**
 * LineFramer with a result budget: large responses are forwarded as the bytes of their result
 * (any layout), exactly what JSON.parse of the line gives, hostile lines included; the budget
 * counts them until released and refuses a frame that would go over it (a frame alone passes).
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { ByteBudget, JsonBytes, LineFramer, type OversizeFrame } from "../../src/core/index.ts"
import { pushSplit } from "../helpers/framing.ts"

const enc = new TextEncoder()
/** Frames of 64 bytes and more take the large path in these tests. */
const LARGE = 64

function framer(budget: ByteBudget, max = 1 << 20) {
  const messages: { m: Record<string, unknown>; bytes?: JsonBytes }[] = []
  const skipped: string[] = []
  const oversize: OversizeFrame[] = []
  const f = new LineFramer(
    max,
    {
      onMessage: (m, b) => messages.push(b instanceof JsonBytes ? { m, bytes: b } : { m }),
      onSkip: (l) => skipped.push(l),
      onOversize: (o) => oversize.push(o),
    },
    budget,
  )
  return { f, messages, skipped, oversize }
}


const ids = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })
const hostile = fc.constantFrom("", "", "", ',"id":999', ',"id":999,"result":{"content":[]}', '},"id":1,"x":{', ',"jsonrpc":"1.0"', '"', "]", ',"result":null', "\u00e9", " ")
const layouts = fc.constantFrom("ts", "py", "spaced", "idFirst", "error", "stringId", "extra")

function line(id: number, r: string, layout: string): string {
  switch (layout) {
    case "ts":
      return `{"result":${r},"jsonrpc":"2.0","id":${id}}`
    case "py":
      return `{"jsonrpc":"2.0","id":${id},"result":${r}}`
    case "spaced":
      return `{"jsonrpc": "2.0", "id": ${id}, "result": ${r}}`
    case "idFirst":
      return `{"id":${id},"result":${r},"jsonrpc":"2.0"}`
    case "stringId":
      return `{"jsonrpc":"2.0","id":"${id}","result":${r}}`
    case "extra":
      return `{"jsonrpc":"2.0","id":${id},"result":${r},"x":1}`
    default:
      return `{"error":{"code":-32000,"message":${JSON.stringify(r)}},"jsonrpc":"2.0","id":${id}}`
  }
}

describe("large frames as bytes", () => {
  test("any layout, hostile results, any split: what JSON.parse of the line gives; bytes only for a result response with a numeric id", () => {
    let asBytes = 0
    const padded = fc.tuple(fc.jsonValue(), fc.nat({ max: 80 })).map(([v, pad]) => ({ content: [{ type: "text", text: "x".repeat(pad) }], v }))
    fc.assert(
      fc.property(padded, hostile, ids, layouts, fc.boolean(), fc.array(fc.nat(), { maxLength: 10 }), (value, piece, id, layout, crlf, cuts) => {
        const budget = new ByteBudget(1 << 20, LARGE)
        const text = line(id, JSON.stringify(value) + piece, layout)
        const { f, messages, skipped } = framer(budget)
        pushSplit(f, enc.encode(text + (crlf ? "\r\n" : "\n")), cuts)
        let expected: unknown
        try {
          expected = JSON.parse(text)
        } catch {
          expected = undefined
        }
        if ((expected as { jsonrpc?: unknown } | undefined)?.jsonrpc !== "2.0") expected = undefined
        if (expected === undefined) {
          expect(messages).toHaveLength(0)
          expect(skipped).toHaveLength(1)
        } else {
          expect(messages).toHaveLength(1)
          const got = messages[0]!
          expect({ ...got.m }).toEqual(expected as Record<string, unknown>)
          if (got.bytes !== undefined) {
            const e = expected as Record<string, unknown>
            expect(Object.keys(e)).toEqual(expect.arrayContaining(["id", "jsonrpc", "result"]))
            expect(Object.keys(e)).not.toContain("error")
            expect(typeof e.id).toBe("number")
            expect(JSON.parse(got.bytes.text())).toEqual(e.result)
            expect(got.bytes.isError).toBe((e.result as { isError?: unknown }).isError === true)
            got.bytes.release()
            asBytes++
          }
        }
        // everything taken was given back
        expect(budget.inFlight).toBe(0)
      }),
      { numRuns: 3000 },
    )
    // the byte path was taken for most runs (not only the text fallback)
    expect(asBytes).toBeGreaterThan(300)
  })

  test("a large compact or reordered response comes as bytes, its result parsed only when read", () => {
    const budget = new ByteBudget(1 << 20, LARGE)
    const { f, messages } = framer(budget)
    const result = { content: [{ type: "text", text: "é".repeat(100) }] }
    f.push(enc.encode(`{"id":3,"result":${JSON.stringify(result)},"jsonrpc":"2.0"}\n`))
    expect(messages[0]!.bytes).toBeInstanceOf(JsonBytes)
    expect(budget.inFlight).toBeGreaterThan(200)
    expect(messages[0]!.m.result).toEqual(result)
    messages[0]!.bytes!.release()
    messages[0]!.bytes!.release() // idempotent
    expect(budget.inFlight).toBe(0)
  })
})

describe("result budget", () => {
  const big = (id: number, n: number): Uint8Array => enc.encode(`{"jsonrpc":"2.0","id":${id},"result":{"content":[{"type":"text","text":"${"y".repeat(n)}"}]}}\n`)

  test("frames from two servers that would go over the budget together: the one crossing it is dropped, with the figures", () => {
    const budget = new ByteBudget(1500, LARGE)
    const a = framer(budget)
    const b = framer(budget)
    const fa = big(1, 1000)
    const fb = big(2, 1000)
    a.f.push(fa.subarray(0, 900)) // a holds 900
    b.f.push(fb.subarray(0, 500)) // b holds 500: 1400
    b.f.push(fb.subarray(500, 700)) // 1600 > 1500: b is dropped
    b.f.push(fb.subarray(700))
    a.f.push(fa.subarray(900))
    expect(b.messages).toHaveLength(0)
    expect(b.oversize).toHaveLength(1)
    expect(b.oversize[0]!.bytes).toBe(fb.length - 1)
    expect(b.oversize[0]!.overBudget).toEqual({ inFlight: 900, limit: 1500 })
    expect(a.messages).toHaveLength(1)
    expect(budget.inFlight).toBe(fa.length - 1) // a's frame, until released
    a.messages[0]!.bytes!.release()
    expect(budget.inFlight).toBe(0)
    // with nothing else in flight, the next one passes
    b.f.push(big(3, 1000))
    expect(b.messages).toHaveLength(1)
  })

  test("a frame alone in flight always passes, even over the budget; one beyond maxFrameBytes is oversize, not over budget", () => {
    const budget = new ByteBudget(100, LARGE)
    const a = framer(budget, 4000)
    a.f.push(big(1, 2000))
    expect(a.messages).toHaveLength(1)
    const held = budget.inFlight
    expect(held).toBeGreaterThan(2000)
    const b = framer(budget, 4000)
    b.f.push(big(2, 200)) // a still holds its bytes
    expect(b.oversize[0]?.overBudget).toEqual({ inFlight: held, limit: 100 })
    a.messages[0]!.bytes!.release()
    const c = framer(budget, 4000)
    c.f.push(big(4, 5000))
    expect(c.oversize).toHaveLength(1)
    expect(c.oversize[0]!.overBudget).toBeUndefined()
    expect(budget.inFlight).toBe(0)
  })
})
