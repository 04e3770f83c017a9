/**
 * @module test/pool/text-join
 * Regression (QA 346): a run_code script's call of a tool answering 1 000 000 small text blocks had
 * the result parsed into a million objects on the host (+187 MiB peak) before the script got their
 * texts joined. `joinedTextResult` reads such a result over its bytes into one text block. The
 * property: for any result of text blocks alone (any text: escapes, quotes, backslashes, non-ASCII,
 * any whitespace and chunking), its text is exactly the blocks' texts joined by newlines, as
 * JSON.parse reads them; any other shape (another block type, a member it does not take) is left to
 * the parse (undefined). The peak through the binary: test/surface/run-code-hostile-results-binary.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { joinedTextResult } from "../../src/pool/text-join.ts"

const enc = new TextEncoder()
const chunked = (s: string, cuts: number[]): Uint8Array[] => {
  const b = enc.encode(s)
  const at = [...new Set(cuts.map((c) => c % (b.length + 1)))].sort((x, y) => x - y)
  const out: Uint8Array[] = []
  let from = 0
  for (const c of [...at, b.length]) {
    if (c > from) out.push(b.slice(from, c))
    from = Math.max(from, c)
  }
  return out
}
const ws = fc.constantFrom("", " ", "\n  ", "\t")

describe("pool/text-join: a result of text blocks alone, joined from its bytes", () => {
  test("property: the text is the blocks' texts joined by newlines, as JSON.parse reads them", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ unit: "binary", maxLength: 40 }), fc.boolean()), { maxLength: 12 }),
        fc.option(fc.boolean(), { nil: undefined }),
        fc.boolean(),
        ws,
        fc.array(fc.nat(), { maxLength: 6 }),
        (blocks, isError, meta, w, cuts) => {
          const items = blocks.map(([t, textFirst]) => (textFirst ? `{${w}"text"${w}:${w}${JSON.stringify(t)},"type":"text"${w}}` : `{"type"${w}:${w}"text",${w}"text":${JSON.stringify(t)}}`))
          const json = `${w}{${meta ? `"_meta":{"a":[1,{"b":"}]"}]},` : ""}"content":${w}[${items.join(`,${w}`)}]${isError !== undefined ? `,"isError":${isError}` : ""}${w}}${w}`
          const r = joinedTextResult(chunked(json, cuts))
          expect(r).toEqual({ content: [{ type: "text", text: blocks.map(([t]) => t).join("\n") }], ...(isError !== undefined ? { isError } : {}) })
          expect(r!.content[0].text).toBe((JSON.parse(json) as { content: { text: string }[] }).content.map((c) => c.text).join("\n"))
        },
      ),
      { numRuns: 300 },
    )
  })

  test("any other shape is left to the parse", () => {
    for (const json of [
      '{"content":[{"type":"image","data":"QUJD","mimeType":"image/png"}]}',
      '{"content":[{"type":"text","text":"a","annotations":{"audience":["user"]}}]}',
      '{"content":[{"type":"text"}]}',
      '{"content":[{"text":"a"}]}',
      '{"content":[{"type":"text","text":1}]}',
      '{"content":[{"type":"text","text":"a"}],"structuredContent":{"a":1}}',
      '{"content":[{"type":"text","text":"a"}],"resultType":"complete"}',
      '{"content":[{"type":"text","text":"a"}],"isError":"yes"}',
      '{"content":{"type":"text","text":"a"}}',
      '{"isError":true}',
      "[1]",
      "{}",
    ])
      expect(joinedTextResult([enc.encode(json)])).toBeUndefined()
  })

  test("1 000 000 blocks of one letter: one text, nothing built per block", () => {
    const json = `{"content":[${Array.from({ length: 1_000_000 }, () => '{"type":"text","text":"a"}').join(",")}]}`
    const r = joinedTextResult(chunked(json, Array.from({ length: 400 }, (_, i) => i * 65536)))
    expect(r?.content[0].text.length).toBe(2 * 1_000_000 - 1)
  })
})
