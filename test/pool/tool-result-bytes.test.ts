/**
 * The check of a large tool result over its bytes (forwarded unparsed) says what the check of the
 * parsed result says, however the bytes are split into chunks (a string, an escape, a run of
 * backslashes or a multi-byte character cut between two), and finds where `structuredContent` sits;
 * a long image/audio `data` or resource `blob` is read as base64 over its bytes, escapes and all.
 */
import { describe, expect, test } from "bun:test"
import { base64Problem, JsonSkim, LONG_STRING } from "../../src/core/index.ts"
import { resultProblem, shown } from "../../src/pool/rpc.ts"
import { toolResultBytesProblem } from "../../src/pool/tool-result-check.ts"
import { bytesHaveModernKeys, hasModernKeys } from "../../src/pool/modern-keys.ts"

const LONG = "x".repeat(5000)

const RESULTS: unknown[] = [
  { content: [{ type: "text", text: LONG }] },
  { content: [{ type: "text", text: 'quote " backslash \\ end\\' }, { type: "text", text: "\\\\\\" }], isError: false },
  { content: [{ type: "text", text: LONG + '\\"' }, { type: "video", url: "x" }] },
  { content: [{ type: "image", data: LONG }] },
  { content: [{ type: "image", data: LONG, mimeType: "image/png" }, { type: "audio", data: "AAAA", mimeType: "audio/wav", annotations: [] }] },
  { content: [{ type: "resource", resource: { uri: "file:///a", blob: LONG } }, { type: "resource", resource: { uri: "file:///b" } }] },
  { content: [{ type: "resource_link", uri: "file:///l", name: "é→ü€ 𝄞" }, { type: "text" }] },
  { content: [{ type: "text", text: "ok" }], structuredContent: { a: [1, { b: LONG }], n: -1.5e3, t: true, z: null } },
  { content: [], structuredContent: [1, 2] },
  { content: [], structuredContent: "a string" },
  { content: [], isError: "yes" },
  { content: { type: "text" } },
  { content: "nope" },
  { content: [null, 3] },
  { content: [{ type: LONG }] },
  { content: [{ type: "text", text: "a", __proto__x: 1, ["__proto__"]: { type: "video" } }] },
  { other: { deep: [[[LONG]]] }, content: [{ type: "text", text: "after" }], isError: true },
  {},
  // base64 fields (QA follow-up): valid with padding, whitespace and escapes; invalid in each way atob refuses
  { content: [{ type: "image", data: LONG + "AB==", mimeType: "image/png" }, { type: "audio", data: "QU/C\nRA==", mimeType: "audio/wav" }] },
  { content: [{ type: "image", data: LONG + "A", mimeType: "image/png" }] },
  { content: [{ type: "image", data: LONG + "A=AA", mimeType: "image/png" }] },
  { content: [{ type: "audio", data: LONG + "AA!A", mimeType: "audio/wav" }] },
  { content: [{ type: "audio", data: LONG + "A===", mimeType: "audio/wav" }] },
  { content: [{ type: "image", data: LONG + "é", mimeType: "image/png" }] },
  { content: [{ type: "image", data: LONG + '"\\', mimeType: "image/png" }] },
  { content: [{ type: "text", text: "t" }, { type: "resource", resource: { uri: "file:///b", blob: LONG + "A" } }] },
  { content: [{ type: "resource", resource: { uri: "file:///b", blob: "~" + LONG } }] },
  { content: [{ type: "resource", resource: { uri: "file:///t", text: "t", blob: LONG + "!" } }] },
  { content: [{ type: "image", data: "QQ=", mimeType: "image/png" }] },
]

/** `json` with each "/" and "\n" inside the string values written as the JSON escapes other encoders use (`\/`, `\u000a`). */
function escaped(json: string): string {
  return json.replaceAll("/", "\\/").replaceAll("\\n", "\\u000a")
}

/** The bytes of `json` cut into chunks of `size`. */
function chunked(json: string, size: number): Uint8Array[] {
  const b = new TextEncoder().encode(json)
  const out: Uint8Array[] = []
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size))
  return out
}

/** The wording of both checks differs where the bytes check builds nothing (a list or object that may be large, a long string). */
function same(problem: string | undefined): string | undefined {
  return problem
    ?.replace(/its structuredContent is \[[^\]]*\], not an object/, "its structuredContent is a list, not an object")
    .replace(/its content is \{.*\}, not a list/, "its content is an object, not a list")
    .replace(/has type "x+…,/, `has type ${JSON.stringify(LONG_STRING)},`)
}

describe("toolResultBytesProblem", () => {
  for (const [i, r] of RESULTS.entries()) {
    const plain = JSON.stringify(r, null, i % 2 === 0 ? undefined : 1)
    // escapes in every other base64 case (JSON.parse reads both the same)
    const json = i >= 18 && i % 2 === 0 ? escaped(plain) : plain
    test(`result ${i}: as the parsed check, in any chunking`, () => {
      const expected = same(resultProblem("tools/call", JSON.parse(json)))
      for (const size of [json.length + 1, 1, 2, 3, 7, 64, 1000]) {
        const c = toolResultBytesProblem(chunked(json, size), shown)
        expect(c.problem === undefined ? undefined : c.problem).toBe(expected)
        const sc = (JSON.parse(json) as { structuredContent?: unknown }).structuredContent
        if (c.structured !== undefined) {
          const b = new TextEncoder().encode(json)
          expect(JSON.parse(new TextDecoder().decode(b.subarray(...c.structured)))).toEqual(sc)
        } else if (expected === undefined) expect(sc).toBeUndefined()
      }
    })
  }
})

describe("a large result's 2026-07-28 keys and block types, as the parsed result has them (pool/modern-keys, proxy/old-client-content)", () => {
  const KEYED = (r: object): string[] => [
    JSON.stringify(r),
    JSON.stringify({ resultType: "complete", ...r }),
    JSON.stringify({ ...r, ttlMs: 5, cacheScope: "public" }),
    // an escaped key is the same key to JSON.parse
    JSON.stringify({ ...r, cacheScope: "x" }).replace('"cacheScope"', '"cache\\u0053cope"'),
    // nested ones are not the result's
    JSON.stringify({ ...r, _meta: { resultType: "complete" } }),
  ]
  for (const [i, r] of RESULTS.entries()) {
    if (typeof r !== "object" || r === null) continue
    test(`result ${i}`, () => {
      for (const json of KEYED(r)) {
        const parsed = JSON.parse(json) as { content?: unknown }
        for (const size of [json.length + 1, 1, 3, 64]) {
          const c = toolResultBytesProblem(chunked(json, size), shown)
          expect(c.modernKeys).toBe(hasModernKeys(parsed))
          expect(bytesHaveModernKeys(chunked(json, size))).toBe(hasModernKeys(parsed))
          if (c.problem === undefined && Array.isArray(parsed.content)) expect([...c.types].sort()).toEqual([...new Set(parsed.content.map((b: { type: string }) => b.type))].sort())
        }
      }
    })
  }
})

describe("base64 checks", () => {
  test("base64Problem refuses what atob refuses, and only that", () => {
    const alphabet = "AB+/=  \n\t\r\fx!-_é"
    for (let t = 0; t < 20000; t++) {
      let s = ""
      for (let n = t % 11; n > 0; n--) s += alphabet[(t * 7 + n * 13 + (t >> 3) * n) % (n % 3 === 0 ? alphabet.length : 4)]
      let ok = true
      try {
        atob(s)
      } catch {
        ok = false
      }
      expect([s, base64Problem(s) === undefined]).toEqual([s, ok])
    }
  })
  test("a resources/read blob and a prompt's embedded resource are checked too", () => {
    expect(resultProblem("resources/read", { contents: [{ uri: "a://b", blob: "AA=A" }] })).toMatch(/^contents\[0\]\.blob is no base64: a "=" comes before character 3/)
    expect(resultProblem("resources/read", { contents: [{ uri: "a://b", blob: "AA==" }, { uri: "a://c", text: "t" }] })).toBeUndefined()
    expect(resultProblem("prompts/get", { messages: [{ role: "user", content: { type: "image", data: "a b c d e", mimeType: "image/png" } }] })).toMatch(/^messages\[0\]\.content \(image\) has data that is no base64: its length is 5 characters/)
  })
})

describe("JsonSkim", () => {
  test("builds small values as JSON.parse does, long strings as a marker", () => {
    // a leading U+FEFF in a string (key or value) is data, not a byte-order mark to drop
    const v = { a: "short", b: LONG, c: [1, -2.5e-3, true, false, null], d: { "é": 'x"y\\' }, e: "\u00e9\ud834\udd1e", f: "\ufeffbom", "\ufeffk": "\ufeff" }
    for (const size of [1, 5, 4096]) {
      const got = new JsonSkim(chunked(JSON.stringify(v), size)).value(64)
      expect(got).toEqual({ ...v, b: LONG_STRING } as unknown)
    }
  })
  test("skips a value and reports where the next one starts", () => {
    const json = `[${JSON.stringify({ big: LONG, list: [LONG, { x: LONG }] })}, "next"]`
    const s = new JsonSkim(chunked(json, 13))
    const seen: unknown[] = []
    s.array((i) => (i === 0 ? s.skip() : seen.push(s.value(16))))
    expect(seen).toEqual(["next"])
    expect(s.pos).toBe(json.length)
  })
})
