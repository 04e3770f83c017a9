/**
 * Secrets spelled with JSON escapes (core/secrets, mcp/error-map). A result is scanned as the text
 * or bytes the downstream wrote, for the registered spellings (raw, JSON-escaped as JSON.stringify
 * writes it, URL-encoded); `\uXXXX` escapes and `\/` spell a value some other way, so text holding
 * them is decided on its decoded strings (`testJson`), keys included, and an escape may straddle a
 * chunk seam of a large result. Text without them is never parsed; nothing registered: nothing read.
 */
import { afterEach, describe, expect, spyOn, test } from "bun:test"
import fc from "fast-check"
import type { CallToolResult } from "@modelcontextprotocol/client"
// the new helpers through the namespace: on a build without them only the tests using them fail
import * as core from "../../src/core/index.ts"
import { JsonBytes, RawJson, REDACTED, redactRegistered, redactValues, registerSecret, SecretRegistry, secrets, WHOLE_TOKEN_BELOW } from "../../src/core/index.ts"
import { redactResultSecrets, redactToolError } from "../../src/mcp/error-map.ts"

const GROUP = "test-escapes"
afterEach(() => secrets.delete(GROUP))

const enc = new TextEncoder()
/** Every character as `\uXXXX`. */
const uesc = (s: string): string => [...s].map((c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0")).join("")
/** A JSON text with `body` as the text of a tool result (written by hand: `body` is already escaped). */
const resultText = (body: string): string => `{"content":[{"type":"text","text":"${body}"}]}`
/** Every way to cut `bytes` in two. */
const cuts = (bytes: Uint8Array): Uint8Array[][] => Array.from({ length: bytes.length + 1 }, (_, i) => [bytes.subarray(0, i), bytes.subarray(i)])

describe("escapes a spelling scan cannot see through", () => {
  test("hasOpaqueEscape: `\\u` and `\\/` escapes; an escaped backslash before u or / is none; the other escapes are not opaque", () => {
    const has = (core as { hasOpaqueEscape?: (t: string) => boolean }).hasOpaqueEscape!
    expect(has("\\u0041")).toBe(true)
    expect(has('"a\\/b"')).toBe(true)
    expect(has("x\\\\\\u0041")).toBe(true) // \\ then \u0041
    expect(has("C:\\\\users\\\\x")).toBe(false) // escaped backslashes before a u
    expect(has("\\\\/")).toBe(false)
    expect(has('\\"\\\\\\b\\f\\n\\r\\t')).toBe(false)
    expect(has("plain text")).toBe(false)
    expect(has("ends with \\")).toBe(false)
  })

  test("chunksHaveOpaqueEscape: the text's verdict at every cut, with empty chunks and multi-byte characters around (an escape across a seam)", () => {
    const has = (core as { hasOpaqueEscape?: (t: string) => boolean }).hasOpaqueEscape!
    const chunksHave = (core as { chunksHaveOpaqueEscape?: (c: readonly Uint8Array[]) => boolean }).chunksHaveOpaqueEscape!
    const texts = ["é\\u0041é", "ü\\/ü", "€\\\\u0041€", "\\\\\\\\/x", "a\\\\", "\\n\\t\\\"", "\\\\\\u00e9", "no escapes at all ✓"]
    for (const t of texts) {
      const bytes = enc.encode(t)
      const want = has(t)
      for (const [a, b] of cuts(bytes)) {
        expect({ t, cut: a!.length, got: chunksHave([a!, b!]) }).toEqual({ t, cut: a!.length, got: want })
        expect(chunksHave([a!, new Uint8Array(0), b!])).toBe(want)
      }
      // one byte per chunk
      expect(chunksHave(Array.from(bytes, (x) => Uint8Array.of(x)))).toBe(want)
    }
  })

  test("property: both agree with a left-to-right reading of the escapes, for any text and any cuts into chunks", () => {
    const has = (core as { hasOpaqueEscape?: (t: string) => boolean }).hasOpaqueEscape!
    const chunksHave = (core as { chunksHaveOpaqueEscape?: (c: readonly Uint8Array[]) => boolean }).chunksHaveOpaqueEscape!
    /** The reference: each backslash starts an escape whose letter is the next character. */
    const reference = (t: string): boolean => {
      for (let i = 0; i < t.length; i++) {
        if (t[i] !== "\\") continue
        if (t[i + 1] === "u" || t[i + 1] === "/") return true
        i++ // the escaped character
      }
      return false
    }
    fc.assert(
      fc.property(fc.array(fc.constantFrom("\\", "\\", "u", "/", "a", "é", "n"), { maxLength: 40 }), fc.array(fc.nat(60), { maxLength: 4 }), (parts, at) => {
        const t = parts.join("")
        const bytes = enc.encode(t)
        const points = [...new Set(at.map((x) => Math.min(x, bytes.length)))].sort((a, b) => a - b)
        const chunks = [0, ...points].map((p, i, all) => bytes.subarray(p, i + 1 < all.length ? all[i + 1] : bytes.length))
        expect(has(t)).toBe(reference(t))
        expect(chunksHave(chunks)).toBe(reference(t))
      }),
      { numRuns: 3000 },
    )
  })
})

describe("testJson: decided on the decoded strings", () => {
  test("a secret written as \\u escapes, with \\/ for a slash, \\u0022 for a quote, as a key, as an escaped surrogate pair", () => {
    const r = new SecretRegistry()
    r.set("g", ["QaTok9f8e7d6c5b4a", "sl/ash-secret-99", 'quo"te-secret-99', "emoji😀secret"])
    const cases = [
      resultText(`here: ${uesc("QaTok9f8e7d6c5b4a")}`),
      resultText("here: Qa\\u0054ok9f8e7d6c5b4a"), // one escaped character is enough
      resultText("here: sl\\/ash-secret-99"),
      resultText("here: quo\\u0022te-secret-99"),
      resultText("here: QaTo\\u006B9f8e7d6c5b4a"), // upper-case hex
      `{"structuredContent":{"${uesc("QaTok9f8e7d6c5b4a")}":1}}`,
      resultText("emoji\\ud83d\\uDE00secret"),
    ]
    for (const text of cases) {
      // the raw scan alone misses each of them: what reached the model before
      expect({ text, scan: r.test(text) }).toEqual({ text, scan: false })
      expect({ text, decoded: r.testJson(text) }).toEqual({ text, decoded: true })
    }
    // the canonical escapes are registered spellings: the scan finds them without a parse
    expect(r.test(JSON.stringify({ t: 'quo"te-secret-99' }))).toBe(true)
  })

  test("escapes without a secret: false; text that does not parse: true (its own parse decides); nothing registered: false", () => {
    const r = new SecretRegistry()
    expect(r.testJson(resultText(uesc("QaTok9f8e7d6c5b4a")))).toBe(false) // nothing registered
    r.set("g", ["QaTok9f8e7d6c5b4a"])
    expect(r.testJson(resultText("caf\\u00e9 \\/path \\u0022x\\u0022"))).toBe(false)
    expect(r.testJson(resultText(uesc("QaTok9f8e7d6c5b4b")))).toBe(false) // a near miss
    expect(r.testJson('{"t":"\\u0051 unterminated')).toBe(true)
  })

  test("testJsonChunks: the escaped secret is found at every cut (an escape straddling a seam), a clean text at none", () => {
    const r = new SecretRegistry()
    r.set("g", ["QaTok9f8e7d6c5b4a", "sl/ash-secret-99"])
    const dirty = enc.encode(resultText(`a ${uesc("QaTok9f8e7d6c5b4a")} b sl\\/ash-secret-99 c`))
    for (const [a, b] of cuts(dirty)) expect({ cut: a!.length, got: r.testJsonChunks([a!, b!]) }).toEqual({ cut: a!.length, got: true })
    // only the slash one (no \u), cut everywhere: the `\/` found whichever side the backslash is on
    const slash = enc.encode(resultText("é sl\\/ash-secret-99 é"))
    for (const [a, b] of cuts(slash)) expect(r.testJsonChunks([a!, b!])).toBe(true)
    const clean = enc.encode(resultText(`${uesc("QaTok9f8e7d6c5b4b")} sl\\/ash-secret-98`))
    for (const [a, b] of cuts(clean)) expect(r.testJsonChunks([a!, b!])).toBe(false)
    expect(r.testJsonBytes(dirty)).toBe(true)
    expect(r.testJsonBytes(clean)).toBe(false)
  })

  test("property: any valid JSON spelling of a text holding a secret is found; without \\u or \\/ escapes the raw scan alone finds it", () => {
    // characters JSON must escape, may escape, and the multi-unit kind
    const chars = [..."aZ9-_.~+=:@!%é€ ", '"', "\\", "/", "\n", "\t", "\r", "\b", "\f", "\u0001", "\u001f", "\u2028", "😀"]
    const short: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f" }
    const hex = (c: string, upper: boolean): string =>
      [...Array(c.length).keys()].map((i) => "\\u" + c.charCodeAt(i).toString(16).padStart(4, "0")[upper ? "toUpperCase" : "toLowerCase"]()).join("")
    /** One character of a JSON string in the spelling `how` picks (0: shortest valid, 1: \u lower, 2: \u upper, 3: \/ for a slash). */
    const spell = (c: string, how: number): string => {
      if (how === 1 || how === 2) return hex(c, how === 2)
      if (how === 3 && c === "/") return "\\/"
      if (c in short) return short[c]!
      if (c.charCodeAt(0) < 0x20) return hex(c, false)
      return c
    }
    const str = (min: number) => fc.array(fc.constantFrom(...chars), { minLength: min, maxLength: 24 }).map((a) => a.join(""))
    fc.assert(
      fc.property(str(4), str(0), str(0), fc.array(fc.nat(3), { minLength: 64, maxLength: 64 }), fc.boolean(), (secret, before, after, hows, asKey) => {
        const r = new SecretRegistry()
        r.set("g", [secret])
        // a short secret (under WHOLE_TOKEN_BELOW characters) is matched as a whole token: a
        // separator on each side (one JSON escapes, or a character it may write as \u…)
        const sep = secret.length < WHOLE_TOKEN_BELOW ? chars.filter((c) => !/[A-Za-z0-9]/.test(c))[hows[63]! * 3 + (asKey ? 1 : 0)]! : ""
        const text = before + sep + secret + sep + after
        const body = [...text].map((c, i) => spell(c, hows[i % hows.length]!)).join("")
        const json = asKey ? `{"${body}":1}` : `{"t":"${body}"}`
        expect(JSON.parse(json)).toEqual(asKey ? { [text]: 1 } : { t: text }) // a valid spelling of it
        expect(r.testJson(json)).toBe(true)
        expect(r.testJsonBytes(enc.encode(json))).toBe(true)
        // the claim the fast path rests on: no \u, no \/ → the registered spellings match the raw text
        if (!(core as { hasOpaqueEscape?: (t: string) => boolean }).hasOpaqueEscape!(json)) expect(r.test(json)).toBe(true)
      }),
      { numRuns: 1000 },
    )
  })

  test("a URL-decoded spelling is registered JSON-escaped too", () => {
    const r = new SecretRegistry()
    r.set("g", ["tok%22en-secret-1"]) // decodes to tok"en-secret-1
    expect(r.test(JSON.stringify({ t: 'tok"en-secret-1' }))).toBe(true)
  })
})

describe("redactResultSecrets and redactToolError", () => {
  test("an escaped secret is taken out of a small result's text, a large result's bytes (escapes across seams) and a key", () => {
    registerSecret("QaTok9f8e7d6c5b4a", GROUP)
    const small = new RawJson<CallToolResult>(undefined, resultText(`here: ${uesc("QaTok9f8e7d6c5b4a")}`))
    expect(redactResultSecrets(small) as unknown).toEqual({ content: [{ type: "text", text: `here: ${REDACTED}` }] })

    const text = resultText(`${"x".repeat(300_000)}${uesc("QaTok9f8e7d6c5b4a")}${"y".repeat(1000)}`)
    const bytes = enc.encode(text)
    const at = text.indexOf("\\u")
    // cut inside the escape, right after its backslash, and right before it
    for (const cut of [at + 3, at + 1, at]) {
      const big = new RawJson<CallToolResult>(undefined, new JsonBytes([bytes.subarray(0, cut), bytes.subarray(cut)], bytes.byteLength, false))
      const out = redactResultSecrets(big) as unknown as CallToolResult
      expect(out).not.toBeInstanceOf(RawJson)
      expect((out.content[0] as { text: string }).text).toBe(`${"x".repeat(300_000)}${REDACTED}${"y".repeat(1000)}`)
      expect(big.json instanceof JsonBytes && big.json.chunks.length).toBe(0) // its bytes given back
    }

    const keyed = new RawJson<CallToolResult>(undefined, `{"content":[],"structuredContent":{"a":1,"${uesc("QaTok9f8e7d6c5b4a")}":2,"z":3}}`)
    const out = redactResultSecrets(keyed) as unknown as CallToolResult
    expect(out.structuredContent).toEqual({ a: 1, [REDACTED]: 2, z: 3 })
    expect(Object.keys(out.structuredContent!)).toEqual(["a", REDACTED, "z"]) // in place
  })

  test("the same result without escapes is never parsed; with clean escapes it is, and comes back as it was; nothing registered: nothing read", () => {
    registerSecret("QaTok9f8e7d6c5b4a", GROUP)
    const parse = spyOn(JSON, "parse")
    try {
      const plain = new RawJson<CallToolResult>(undefined, resultText("nothing to see \\n \\\"here\\\" C:\\\\users"))
      expect(redactResultSecrets(plain)).toBe(plain)
      const bytes = enc.encode(resultText("z".repeat(300_000)))
      const big = new RawJson<CallToolResult>(undefined, new JsonBytes([bytes.subarray(0, 1000), bytes.subarray(1000)], bytes.byteLength, false))
      expect(redactResultSecrets(big)).toBe(big)
      expect(parse).toHaveBeenCalledTimes(0)
      const escaped = new RawJson<CallToolResult>(undefined, resultText("caf\\u00e9 \\/x"))
      expect(redactResultSecrets(escaped)).toBe(escaped) // its text goes out as it came
      expect(parse).toHaveBeenCalledTimes(1)
    } finally {
      parse.mockRestore()
    }
    // nothing registered (other tests of this run may have left groups in the process-wide registry)
    const untouchable = new RawJson<CallToolResult>(undefined, "")
    Object.defineProperty(untouchable, "json", {
      get() {
        throw new Error("read with nothing registered")
      },
    })
    Object.defineProperty(secrets, "empty", { value: true, configurable: true })
    try {
      expect(redactResultSecrets(untouchable)).toBe(untouchable)
    } finally {
      delete (secrets as { empty?: boolean }).empty
    }
    expect(secrets.empty).toBe(false) // the getter is back
  })

  test("a downstream's isError result with an escaped secret or an escaped token shape is scrubbed", () => {
    registerSecret("QaTok9f8e7d6c5b4a", GROUP)
    const failed = new RawJson<CallToolResult>(undefined, `{"isError":true,"content":[{"type":"text","text":"failed: ${uesc("QaTok9f8e7d6c5b4a")} \\u0042earer abcdefgh12345"}]}`)
    const out = redactToolError(failed) as unknown as CallToolResult
    expect((out.content[0] as { text: string }).text).toBe(`failed: ${REDACTED} Bearer ${REDACTED}`)
    const fine = new RawJson<CallToolResult>(undefined, `{"isError":true,"content":[{"type":"text","text":"caf\\u00e9"}]}`)
    expect(redactToolError(fine)).toBe(fine)
  })
})

describe("keys are text too", () => {
  test("redactRegistered and redactValues scrub keys in place (order kept); clean objects keep their identity; a __proto__ key stays data", () => {
    registerSecret("KeySecret-0123456789", GROUP)
    const src = { a: 1, "x KeySecret-0123456789 y": { KeySecret_0123456789: "n" }, b: "KeySecret-0123456789" }
    const out = redactRegistered(src)
    expect(Object.keys(out)).toEqual(["a", `x ${REDACTED} y`, "b"])
    expect(out).toEqual({ a: 1, [`x ${REDACTED} y`]: { KeySecret_0123456789: "n" }, b: REDACTED } as never)
    expect(Object.keys(src)).toContain("x KeySecret-0123456789 y") // input untouched
    const clean = { a: { b: ["c"] } }
    expect(redactRegistered(clean)).toBe(clean)
    const proto = JSON.parse('{"__proto__":{"polluted":true},"KeySecret-0123456789":1}') as Record<string, unknown>
    const scrubbed = redactValues(proto)
    expect(Object.getPrototypeOf(scrubbed)).toBe(Object.prototype)
    expect(Object.keys(scrubbed)).toEqual(["__proto__", REDACTED])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
