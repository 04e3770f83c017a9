/**
 * The v1 SDK's "MCP error <code>: " prefix, once per error (issue 11 §2): a v1 `McpError` adds it to
 * its message and every v1 peer adds it again when it reads an error from the wire, so each mapping
 * step must drop the ones it was given. Wire messages carry none, and neither do the v2
 * `ProtocolError`s we throw (their message is the wire message); texts carry at most one.
 */
import { describe, expect, test } from "bun:test"
import { ProtocolError as SdkProtocolError } from "@modelcontextprotocol/client"
import { ProtocolError } from "../../src/core/index.ts"
import { onePrefix, redactOutgoing, toolErrorResult, toRpcError, wireMessage } from "../../src/mcp/error-map.ts"
import { RpcError } from "../../src/pool/index.ts"
import { RpcAnswerError } from "../../src/mcp/rpc-answer.ts"

const count = (s: string): number => s.match(/MCP error -?\d+: /g)?.length ?? 0

describe("error prefix mapping", () => {
  test("a downstream v1 SDK server's wire message (already prefixed) gives an RpcAnswerError without it", () => {
    const e = toRpcError(new RpcError("resources/read", -32602, "MCP error -32602: Resource x not found", undefined))
    expect(e).toBeInstanceOf(RpcAnswerError)
    expect(e.code).toBe(-32602)
    expect(e.message).toBe("Resource x not found")
  })

  test("an SDK ProtocolError (thrown by an SDK piece) holding a v1 peer's prefixed message loses the prefix", () => {
    const e = toRpcError(new SdkProtocolError(-32603, "MCP error -32603: MCP error -32603: boom"))
    expect(count(e.message)).toBe(0)
    expect(e.message).toBe("boom")
    const plain = new SdkProtocolError(-32602, "Unknown prompt: x")
    expect(toRpcError(plain)).toBe(plain) // nothing to fix: the same error
  })

  test("our own errors, orchestrator errors and plain errors carry none", () => {
    expect(toRpcError(new ProtocolError(-32602, "MCP error -32602: MCP error -32602: Unknown tool: y")).message).toBe("Unknown tool: y")
    expect(count(toRpcError(new Error("MCP error -32000: MCP error -32000: gone")).message)).toBe(0)
  })

  test("the wire message has none, however many were stacked", () => {
    expect(wireMessage("MCP error -32602: MCP error -32602: MCP error -32602: x")).toBe("x")
    expect(wireMessage("plain")).toBe("plain")
    const out = redactOutgoing({ jsonrpc: "2.0", id: 1, error: { code: -32602, message: "MCP error -32602: MCP error -32602: x" } }) as { error: { message: string } }
    expect(out.error.message).toBe("x")
  })

  test("inside a text, a run of prefixes keeps only the innermost", () => {
    expect(onePrefix("[DOWNSTREAM] MCP error -32603: MCP error -32602: bad")).toBe("[DOWNSTREAM] MCP error -32602: bad")
    const r = toolErrorResult(new Error("MCP error -32001: MCP error -32001: timed out"))
    expect((r.content[0] as { text: string }).text).toBe("MCP error -32001: timed out")
  })
})
