/**
 * Compact-response fast path: `compactResponse` finds a result's exact text, and the framer that
 * uses it delivers exactly what a full `JSON.parse` of the line would (hostile lines included).
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { compactResponse, LineFramer } from "../../src/core/index.ts"

const enc = new TextEncoder()

/** What the framer delivers for one line: the message and whether it came with result bytes. */
function frame(line: string): { message?: Record<string, unknown>; bytes?: string; skipped: boolean } {
  const out: { message?: Record<string, unknown>; bytes?: string; skipped: boolean } = { skipped: false }
  const f = new LineFramer(1 << 20, {
    onMessage: (m, b) => {
      out.message = m
      if (b !== undefined) out.bytes = typeof b === "string" ? b : b.text()
    },
    onSkip: () => void (out.skipped = true),
    onOversize: () => void (out.skipped = true),
  })
  f.push(enc.encode(line + "\n"))
  return out
}

const ids = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })

describe("compactResponse", () => {
  test("finds the exact result text in both SDK layouts", () => {
    fc.assert(
      fc.property(fc.jsonValue(), ids, (value, id) => {
        const r = JSON.stringify(value)
        for (const line of [`{"result":${r},"jsonrpc":"2.0","id":${id}}`, `{"jsonrpc":"2.0","id":${id},"result":${r}}`]) {
          const c = compactResponse(line)
          if (line.length < 32) continue // too short to bother: the full parse handles it
          expect(c).toBeDefined()
          expect(c!.id).toBe(id)
          expect(c!.result).toBe(r)
          expect(compactResponse(line + "\r\n")).toEqual(c)
        }
      }),
      { numRuns: 2000 },
    )
  })

  test("other layouts, string ids, errors and requests are left to the full parse", () => {
    for (const line of [
      '{"result": {"content": []}, "jsonrpc": "2.0", "id": 12}',
      '{"jsonrpc":"2.0","id":"abc","result":{"content":[]}}',
      '{"result":{"content":[]},"jsonrpc":"2.0","id":"abc"}',
      '{"jsonrpc":"2.0","id":-3,"result":{"content":[]}}',
      '{"jsonrpc":"2.0","id":007,"result":{"content":[]}}',
      '{"error":{"code":-32601,"message":"nope"},"jsonrpc":"2.0","id":4}',
      '{"method":"sampling/createMessage","params":{},"jsonrpc":"2.0","id":4}',
      '{"id":4,"jsonrpc":"2.0","result":{"content":[]}}',
    ])
      expect(compactResponse(line)).toBeUndefined()
  })
})

describe("LineFramer with the fast path", () => {
  test("delivers exactly what JSON.parse of the line gives, for compact lines with hostile results", () => {
    // Pieces that try to smuggle members past the fixed edges: duplicate ids and results, broken JSON.
    const hostile = fc.constantFrom(
      ',"id":999',
      ',"id":999,"result":{"content":[]}',
      '},"id":1,"x":{',
      ',"jsonrpc":"1.0"',
      '"',
      "]",
      ',"result":null',
      "",
    )
    fc.assert(
      fc.property(fc.jsonValue(), hostile, ids, fc.boolean(), (value, piece, id, typescriptLayout) => {
        const r = JSON.stringify(value) + piece
        const line = typescriptLayout ? `{"result":${r},"jsonrpc":"2.0","id":${id}}` : `{"jsonrpc":"2.0","id":${id},"result":${r}}`
        let expected: unknown
        try {
          expected = JSON.parse(line)
        } catch {
          expected = undefined
        }
        // the framer delivers JSON-RPC 2.0 objects only (and skips the rest), with or without the fast path
        if ((expected as { jsonrpc?: unknown } | undefined)?.jsonrpc !== "2.0") expected = undefined
        const got = frame(line)
        if (expected === undefined) {
          expect(got.skipped).toBe(true)
          expect(got.message).toBeUndefined()
          return
        }
        expect(got.message).toEqual(expected as Record<string, unknown>)
        // the text is only ever offered when it is exactly the (single, valid) result
        if (got.bytes !== undefined) expect(JSON.parse(got.bytes)).toEqual((expected as { result: unknown }).result)
        if (got.bytes !== undefined) expect(piece).toBe("")
      }),
      { numRuns: 3000 },
    )
  })

  test("a result with a smuggled duplicate id is delivered under the id JSON.parse picks, without its text", () => {
    const got = frame('{"result":{"content":[]},"id":999,"result":{"content":[{"type":"text","text":"b"}]},"jsonrpc":"2.0","id":5}')
    expect(got.message).toEqual({ result: { content: [{ type: "text", text: "b" }] }, jsonrpc: "2.0", id: 5 })
    expect(got.bytes).toBeUndefined()
  })
})
