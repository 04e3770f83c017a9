/**
 * SEP-2243 `Mcp-Param-*` headers: which `x-mcp-header` declarations are valid, the header values of a
 * call (plain ASCII as it is, anything else as `=?base64?…?=`), and a server's check of them.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { decodeParamValue, encodeParamValue, paramHeaderProblem, paramHeaders, scanParamHeaders } from "../../src/core/index.ts"

const schema = (props: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: "object", properties: props, ...extra })

describe("scanParamHeaders", () => {
  test("declarations reached through properties, at any depth", () => {
    const s = scanParamHeaders(schema({ region: { type: "string", "x-mcp-header": "Region" }, opts: schema({ dry: { type: "boolean", "x-mcp-header": "Dry-Run" } }), n: { type: "integer" } }))
    expect(s).toEqual({ ok: true, headers: [{ path: ["region"], name: "Region", type: "string" }, { path: ["opts", "dry"], name: "Dry-Run", type: "boolean" }] })
    expect(scanParamHeaders(schema({ a: { type: "string" } }))).toEqual({ ok: true, headers: [] })
    expect(scanParamHeaders(undefined)).toEqual({ ok: true, headers: [] })
  })

  test("invalid: under items/anyOf/$defs, on a non-primitive, not a token, declared twice (any case), at the root", () => {
    const bad = [
      schema({ list: { type: "array", items: { type: "string", "x-mcp-header": "X" } } }),
      schema({}, { anyOf: [schema({ a: { type: "string", "x-mcp-header": "A" } })] }),
      schema({}, { $defs: { d: { type: "string", "x-mcp-header": "D" } } }),
      schema({ o: { type: "object", "x-mcp-header": "O" } }),
      schema({ f: { type: "array", "x-mcp-header": "F" } }),
      schema({ s: { type: "string", "x-mcp-header": "has space" } }),
      schema({ a: { type: "string", "x-mcp-header": "Name" }, b: { type: "string", "x-mcp-header": "name" } }),
      { type: "string", "x-mcp-header": "Root" },
    ]
    for (const b of bad) expect(scanParamHeaders(b).ok).toBe(false)
  })
})

describe("header values", () => {
  test("plain ASCII as it is; whitespace at the ends, non-ASCII, empty and sentinel-looking values as Base64", () => {
    expect(encodeParamValue("eu-west-1")).toBe("eu-west-1")
    expect(encodeParamValue(" x")).toBe(`=?base64?${btoa(" x")}?=`)
    expect(encodeParamValue("")).toBe("=?base64??=")
    expect(encodeParamValue("Zürich")).toStartWith("=?base64?")
    // anything that looks like the Base64 form is wrapped, so it is never decoded by mistake
    expect(decodeParamValue(encodeParamValue("=?base64?hello world?="))).toBe("=?base64?hello world?=")
    expect(decodeParamValue(encodeParamValue("=?base64?aGk=?="))).toBe("=?base64?aGk=?=")
    // the marker is case-sensitive: an upper-case one is a plain value
    expect(decodeParamValue("=?BASE64?aGk=?=")).toBe("=?BASE64?aGk=?=")
    expect(decodeParamValue("=?base64?not base64?=")).toBeUndefined()
    const n = { type: "integer" }
    expect(paramHeaders([{ path: ["n"], name: "N", ...n }, { path: ["b"], name: "B", type: "boolean" }, { path: ["gone"], name: "G", type: "string" }], { n: 3, b: false, gone: null })).toEqual({ "Mcp-Param-N": "3", "Mcp-Param-B": "false" })
  })

  test("a leading U+FEFF survives encode → decode (it is data, not a byte-order mark to drop)", () => {
    for (const s of ["\ufeff", "\ufeffZürich", "a\ufeff"]) expect(decodeParamValue(encodeParamValue(s))).toBe(s)
  })

  test("property: any string survives encode → decode, and an encoded value is a valid header value", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const v = encodeParamValue(s)
        expect(decodeParamValue(v)).toBe(s)
        expect(new Headers({ x: v }).get("x")).toBe(v)
      }),
      { numRuns: 500 },
    )
  })

  test("a server's check: a missing, different or badly encoded header is named; equal ones pass; numbers compare as numbers", () => {
    const d = [{ path: ["region"], name: "Region", type: "string" }]
    const h = (v: Record<string, string>) => (n: string) => new Headers(v).get(n)
    expect(paramHeaderProblem(d, { region: "eu" }, h({ "Mcp-Param-Region": "eu" }))).toBeUndefined()
    expect(paramHeaderProblem(d, { region: "Zürich" }, h({ "Mcp-Param-Region": encodeParamValue("Zürich") }))).toBeUndefined()
    expect(paramHeaderProblem(d, { region: "eu" }, h({}))).toContain("is required")
    expect(paramHeaderProblem(d, { region: "eu" }, h({ "mcp-param-region": "us" }))).toContain("does not match")
    expect(paramHeaderProblem(d, { region: "eu" }, h({ "Mcp-Param-Region": "=?base64?***?=" }))).toContain("invalid Base64")
    // a header whose argument is absent or null is not looked at
    expect(paramHeaderProblem(d, {}, h({ "Mcp-Param-Region": "eu" }))).toBeUndefined()
    expect(paramHeaderProblem(d, { region: null }, h({ "Mcp-Param-Region": "eu" }))).toBeUndefined()
    const n = [{ path: ["n"], name: "N", type: "integer" }]
    expect(paramHeaderProblem(n, { n: 42 }, h({ "Mcp-Param-N": "42.0" }))).toBeUndefined()
    expect(paramHeaderProblem(n, { n: 42 }, h({ "Mcp-Param-N": "43" }))).toContain("does not match")
  })
})
