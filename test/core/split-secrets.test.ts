/**
 * core/split-items and core/stream-edges: a configured value cut in two across adjacent items of an
 * answer is masked on both sides; across two messages of a stream, at each message's edges, so at
 * most 5 of its characters show. Ordinary text keeps its words.
 */
import { afterEach, expect, test } from "bun:test"
import fc from "fast-check"
import { maskStreamEdges, REDACTED, redactLineSeams, redactSplitItems, secrets } from "../../src/core/index.ts"

const KEY = "Zk4tR9qLm2Xv8PwB7nYc3Hd"

afterEach(() => secrets.delete("test-split"))

test("adjacent text items, an embedded resource, prompt messages and read contents: both sides of the cut masked", () => {
  secrets.set("test-split", [KEY])
  const r = redactSplitItems({ content: [{ type: "text", text: `key ${KEY.slice(0, 9)}` }, { type: "resource", resource: { uri: "x://r", text: `${KEY.slice(9)} end` } }] })
  expect(r).toEqual({ content: [{ type: "text", text: `key ${REDACTED}` }, { type: "resource", resource: { uri: "x://r", text: `${REDACTED} end` } }] })
  const p = redactSplitItems({ messages: [{ role: "user", content: { type: "text", text: KEY.slice(0, 2) } }, { role: "user", content: { type: "text", text: KEY.slice(2) } }] })
  expect(JSON.stringify(p)).not.toContain(KEY.slice(2))
  const unrelated = { contents: [{ uri: "a", text: "first page" }, { uri: "a", text: "second page" }] }
  expect(redactSplitItems(unrelated)).toBe(unrelated)
})

test("a stream's messages: a start of the value at an end, an end of it at a start, masked; words and short pieces stay", () => {
  secrets.set("test-split", [KEY])
  expect(maskStreamEdges(`bytes ${KEY.slice(0, 10)}`)).toBe(`bytes ${REDACTED}`)
  expect(maskStreamEdges(`${KEY.slice(7)} HOME=/h`)).toBe(`${REDACTED} HOME=/h`)
  expect(maskStreamEdges(`${KEY.slice(15)} mid ${KEY.slice(0, 8)}`)).toBe(`${REDACTED} mid ${REDACTED}`)
  expect(maskStreamEdges(KEY.slice(3, 12))).toBe(KEY.slice(3, 12)) // a middle piece is neither a start nor an end
  expect(maskStreamEdges(`bytes ${KEY.slice(0, 5)}`)).toBe(`bytes ${KEY.slice(0, 5)}`)
  const prose = "progress: 40% of the files copied"
  expect(maskStreamEdges(prose)).toBe(prose)
})

test("a value cut anywhere across two stream messages: at most 5 of its characters show (fast-check)", () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[A-Za-z0-9]{8,40}$/), fc.nat(), fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (key, cut, pre, post) => {
      secrets.set("test-split", [key])
      const at = 1 + (cut % (key.length - 1))
      const shown = maskStreamEdges(pre + key.slice(0, at)) + "\u0000" + maskStreamEdges(key.slice(at) + post)
      // the longest run of the key's characters, in order, the client could read off the two messages
      const first = shown.split("\u0000")[0]!
      const second = shown.split("\u0000")[1]!
      let leftEnd = 0
      while (leftEnd < at && first.endsWith(key.slice(at - leftEnd - 1, at))) leftEnd++
      let rightStart = 0
      while (rightStart < key.length - at && second.startsWith(key.slice(at, at + rightStart + 1))) rightStart++
      expect(leftEnd + rightStart).toBeLessThanOrEqual(5)
    }),
    { numRuns: 300 },
  )
})

test("stderr lines: a value wrapped across a line break (LF or CRLF) masked on both sides; other lines as they were", () => {
  secrets.set("test-split", [KEY])
  expect(redactLineSeams(`start\ndump ${KEY.slice(0, 4)}\r\n${KEY.slice(4)} end\nnext line\n`)).toBe(`start\ndump ${REDACTED}\r\n${REDACTED} end\nnext line\n`)
  const plain = "line one\nline two\n"
  expect(redactLineSeams(plain)).toBe(plain)
})
