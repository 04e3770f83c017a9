/**
 * core/split-items and core/stream-edges: a configured value cut in two across adjacent items of an
 * answer is masked on both sides; across two messages of a stream, at each message's edges, so at
 * most 5 of its characters show. Ordinary text keeps its words.
 */
import { afterEach, expect, test } from "bun:test"
import fc from "fast-check"
import { holdsTinyItems, holdsTinyItemsChunks, maskChain, maskStreamEdges, REDACTED, redactLineSeams, redactSplitItems, secrets } from "../../src/core/index.ts"

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
  // a middle piece (a key streamed in three pieces): the whole message is inside the value (qa277)
  expect(maskStreamEdges(KEY.slice(3, 12))).toBe(REDACTED)
  expect(maskStreamEdges(KEY.slice(3, 8))).toBe(KEY.slice(3, 8)) // under 6 characters: no telling it from a word
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

const u = (s: string): string => [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")

test("a value in three or more items, or across structuredContent's strings: masked in every part (qa277)", () => {
  secrets.set("test-split", [KEY])
  const three = redactSplitItems({ content: [KEY.slice(0, 7), KEY.slice(7, 14), KEY.slice(14)].map((t, i) => ({ type: "text", text: i === 0 ? `k=${t}` : i === 2 ? `${t} end` : t })) })
  expect(three.content.map((c) => c.text)).toEqual([`k=${REDACTED}`, REDACTED, `${REDACTED} end`])
  // pieces of 6: a 23-character key in 3 parts of at least 6 each leaves one whole piece (the scan's gate)
  const s = redactSplitItems({ content: [], structuredContent: { env: { head: `x ${KEY.slice(0, 9)}`, list: [KEY.slice(9)] }, n: 3 } })
  expect(s.structuredContent).toEqual({ env: { head: `x ${REDACTED}`, list: [REDACTED] }, n: 3 })
  const clean = { content: [], structuredContent: { a: "first page", b: "second page" } }
  expect(redactSplitItems(clean)).toBe(clean)
})

test("each part spelled with \\u escapes (JSON text carried in the items): masked in its own spelling", () => {
  secrets.set("test-split", [KEY])
  const parts = [`{"k":"${u(KEY.slice(0, 5))}`, u(KEY.slice(5, 15)), `${u(KEY.slice(15))}","n":1}`]
  expect(maskChain(parts)).toEqual([`{"k":"${REDACTED}`, REDACTED, `${REDACTED}","n":1}`])
  expect(maskChain(["a \\\\u0041 b", "c"])).toBeUndefined()
})

test("a value cut into any parts of 6+ characters, each maybe \\u-escaped: no part shows (fast-check)", () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[A-Za-z0-9]{12,40}$/), fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), fc.stringMatching(/^[ a-z=:"{]{0,8}$/), (key, raw, escaped, pre) => {
      secrets.set("test-split", [key])
      const cuts = [...new Set(raw.map((n) => 6 + (n % Math.max(1, key.length - 11))))].sort((a, b) => a - b).filter((c, i, a) => (i === 0 ? c >= 6 : c - a[i - 1]! >= 6) && key.length - c >= 6)
      const bounds = [0, ...cuts, key.length]
      const parts = bounds.slice(1).map((e, i) => key.slice(bounds[i], e))
      const spelled = parts.map((p) => (escaped ? u(p) : p))
      spelled[0] = `${pre}${spelled[0]}`
      const out = redactSplitItems({ content: spelled.map((text) => ({ type: "text", text })) })
      const texts = (parts.length === 1 ? [] : out.content.map((c) => c.text)).join("|")
      for (const p of parts) if (parts.length > 1) expect(texts.includes(escaped ? u(p) : p)).toBe(false)
    }),
    { numRuns: 300 },
  )
})

test("qa310: raw JSON with two or more item texts under 6 characters is read (a value in items of a few characters each), in text or in chunks cut anywhere", () => {
  const items = (KEY.match(/.{1,4}/g) ?? []).map((t) => ({ type: "text", text: t }))
  const json = JSON.stringify({ content: [{ type: "text", text: "page: KEY=" }, ...items] })
  expect(holdsTinyItems(json)).toBe(true)
  expect(holdsTinyItems(JSON.stringify({ content: [{ type: "text", text: "one" }, { type: "text", text: "a longer item" }] }))).toBe(false)
  expect(holdsTinyItems(JSON.stringify({ content: [{ type: "text", text: "\u00e9t\u00e9" }, { type: "text", text: "ok" }] }).replace(/é/g, "\\u00e9"))).toBe(true)
  // the items masked as a chain once read
  secrets.set("test-split", [KEY])
  expect(JSON.stringify(redactSplitItems(JSON.parse(json)))).not.toContain(KEY.slice(0, 4))
  // the byte form: whatever the cuts between chunks, the same verdict
  fc.assert(
    fc.property(fc.array(fc.nat(json.length), { maxLength: 6 }), (cuts) => {
      const at = [...new Set(cuts)].sort((a, b) => a - b)
      const bytes = Buffer.from(json)
      const chunks = [0, ...at].map((s, i) => new Uint8Array(bytes.subarray(s, at[i] ?? bytes.length)))
      expect(holdsTinyItemsChunks(chunks.filter((c) => c.byteLength > 0))).toBe(true)
      const single = Buffer.from(JSON.stringify({ content: [{ type: "text", text: "ab" }, { type: "text", text: "a longer item" }] }))
      expect(holdsTinyItemsChunks([0, ...at].map((s, i) => new Uint8Array(single.subarray(Math.min(s, single.length), Math.min(at[i] ?? single.length, single.length)))).filter((c) => c.byteLength > 0))).toBe(false)
    }),
  )
})
