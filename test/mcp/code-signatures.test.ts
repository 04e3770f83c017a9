/**
 * Regression (QA qa7b): an argument whose enum has more members than the signature shows (a port
 * among 7 numbers, a level among 8 integers) was typed `string` in search_tools' `args` and in
 * run_code's description, so a model sent `"8080"` where the server expects `8080`. The type of a
 * long enum is now its schema's type, else the type of its members.
 */
import { describe, expect, test } from "bun:test"
import { schemaType, signature } from "../../src/mcp/tools/code-signatures.ts"
import { argSignature } from "../../src/mcp/tools/tool-summary.ts"

const ports = [80, 443, 8080, 8443, 3000, 5000, 9000]

describe("long enums keep their members' type", () => {
  test("a declared type wins: integer → number, string → string", () => {
    expect(schemaType({ type: "integer", enum: ports })).toBe("number")
    expect(schemaType({ type: "string", enum: ["a", "b", "c", "d", "e", "f", "g"] })).toBe("string")
    expect(schemaType({ type: ["integer", "null"], enum: [...ports, null] })).toBe("number | null")
  })

  test("without a type, the types of the members", () => {
    expect(schemaType({ enum: ports })).toBe("number")
    expect(schemaType({ enum: [...ports, "auto"] })).toBe("number | string")
    expect(schemaType({ enum: [true, false, 0, 1, 2, 3, 4] })).toBe("boolean | number")
  })

  test("short enums are still spelled out", () => {
    expect(schemaType({ type: "integer", enum: [1, 2, 3] })).toBe("1 | 2 | 3")
  })

  test("search_tools' argument signature and run_code's signature say number", () => {
    const inputSchema = { type: "object", properties: { port: { type: "integer", enum: ports } }, required: ["port"] }
    expect(argSignature(inputSchema)).toBe("(port: number)")
    expect(signature({ name: "net__open", inputSchema })).toBe("net__open(args: { port: number })")
  })
})
