/**
 * The exit bound of every error message (mcp/error-map): a message that quotes what a client sent
 * (a name, a URI, an argument) is cut with a note of its length, never sent whole, whatever made it.
 */
import { describe, expect, test } from "bun:test"
import { MAX_ANSWER_MESSAGE_CHARS } from "../../src/core/index.ts"
import { redactOutgoing, toolErrorResult, toRpcError, wireError } from "../../src/mcp/error-map.ts"

const huge = `no such thing: ${"x".repeat(1 << 20)}`

describe("error messages leave bounded", () => {
  test("a tool error result", () => {
    const text = (toolErrorResult(new Error(huge)).content[0] as { text: string }).text
    expect(text.length).toBeLessThan(MAX_ANSWER_MESSAGE_CHARS + 200)
    expect(text).toContain("(the message was 1,048,591 characters; cut to its first 16,000)")
  })

  test("a JSON-RPC error, made by us or written by the SDK", () => {
    expect(wireError(-32602, huge, undefined).message.length).toBeLessThan(MAX_ANSWER_MESSAGE_CHARS + 200)
    expect(toRpcError(new Error(huge)).message.length).toBeLessThan(MAX_ANSWER_MESSAGE_CHARS + 200)
    const out = redactOutgoing({ jsonrpc: "2.0", id: 1, error: { code: -32602, message: huge } }) as { error: { message: string } }
    expect(out.error.message.length).toBeLessThan(MAX_ANSWER_MESSAGE_CHARS + 200)
  })

  test("a message within the bound is untouched", () => {
    expect(wireError(-32602, "Unknown tool: a__b", undefined).message).toBe("Unknown tool: a__b")
  })
})
