import { describe, expect, test } from "bun:test"
import { strayAnswer } from "../../src/pool/stray-answers.ts"

describe("strayAnswer", () => {
  test("a late answer to a request sent and given up is dropped quietly", () => {
    expect(strayAnswer({ jsonrpc: "2.0", id: 3, result: {} }, 5, [5])).toEqual({ kind: "late" })
  })
  test("the id of a request in flight as a string is that request's answer", () => {
    const v = strayAnswer({ jsonrpc: "2.0", id: "5", result: {} }, 5, [4, 5])
    expect(v).toMatchObject({ kind: "owner", id: 5 })
    // a string id of no request in flight is no one's
    expect(strayAnswer({ jsonrpc: "2.0", id: "3", result: {} }, 5, [5]).kind).toBe("stray")
    expect(strayAnswer({ jsonrpc: "2.0", id: "05", result: {} }, 5, [5]).kind).toBe("stray")
  })
  test("an error with id null is the only request's; with several in flight, no one's", () => {
    const err = { code: -32700, message: "Parse error" }
    expect(strayAnswer({ jsonrpc: "2.0", id: null, error: err }, 5, [5])).toMatchObject({ kind: "owner", id: 5 })
    expect(strayAnswer({ jsonrpc: "2.0", error: err }, 5, [5])).toMatchObject({ kind: "owner", id: 5 })
    const many = strayAnswer({ jsonrpc: "2.0", id: null, error: err }, 5, [4, 5])
    expect(many.kind).toBe("stray")
    expect(many.kind === "stray" && many.what).toContain("2 requests were in flight")
    // a result with id null answers nothing
    expect(strayAnswer({ jsonrpc: "2.0", id: null, result: {} }, 5, [5]).kind).toBe("stray")
  })
  test("ids never sent are stray", () => {
    for (const id of [6, 0, -1, 1.5, "x", { a: 1 }]) expect(strayAnswer({ jsonrpc: "2.0", id, result: {} }, 5, [5]).kind).toBe("stray")
  })
  test("what a secret in the error says is redacted", () => {
    const v = strayAnswer({ jsonrpc: "2.0", id: null, error: { code: -32600, message: "bad token ghp_abcdefghijklmnopqrstuvwxyz0123456789" } }, 5, [])
    expect(v.kind === "stray" && v.what).not.toContain("ghp_abcdefghijklmnopqrstuvwxyz0123456789")
  })
})
