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
    expect(s).toEqual({ ok: true, headers: [{ path: ["region"], name: "Region" }, { path: ["opts", "dry"], name: "Dry-Run" }] })
    expect(scanParamHeaders(schema({ a: { type: "string" } }))).toEqual({ ok: true, headers: [] })
    expect(scanParamHeaders(undefined)).toEqual({ ok: true, headers: [] })
  })

  test("invalid: under items/anyOf/$defs, on a non-primitive or number, not a token, declared twice (any case), at the root", () => {
    const bad = [
      schema({ list: { type: "array", items: { type: "string", "x-mcp-header": "X" } } }),
      schema({}, { anyOf: [schema({ a: { type: "string", "x-mcp-header": "A" } })] }),
      schema({}, { $defs: { d: { type: "string", "x-mcp-header": "D" } } }),
      schema({ o: { type: "object", "x-mcp-header": "O" } }),
      schema({ f: { type: "number", "x-mcp-header": "F" } }),
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
    expect(encodeParamValue("=?base64?abc?=")).toStartWith("=?base64?")
    expect(paramHeaders([{ path: ["n"], name: "N" }, { path: ["b"], name: "B" }, { path: ["gone"], name: "G" }], { n: 3, b: false, gone: null })).toEqual({ "Mcp-Param-N": "3", "Mcp-Param-B": "false" })
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

  test("a server's check: a missing, different or stray header is named; equal ones pass", () => {
    const d = [{ path: ["region"], name: "Region" }]
    const h = (v: Record<string, string>) => (n: string) => new Headers(v).get(n)
    expect(paramHeaderProblem(d, { region: "eu" }, h({ "Mcp-Param-Region": "eu" }))).toBeUndefined()
    expect(paramHeaderProblem(d, { region: "Zürich" }, h({ "Mcp-Param-Region": encodeParamValue("Zürich") }))).toBeUndefined()
    expect(paramHeaderProblem(d, { region: "eu" }, h({}))).toContain("is required")
    expect(paramHeaderProblem(d, { region: "eu" }, h({ "mcp-param-region": "us" }))).toContain("does not match")
    expect(paramHeaderProblem(d, {}, h({ "Mcp-Param-Region": "eu" }))).toContain("is set but")
  })
})
