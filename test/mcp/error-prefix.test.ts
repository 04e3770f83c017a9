/**
 * The SDK's "MCP error <code>: " prefix, once per error (issue 11 §2): `McpError` adds it to its
 * message and every SDK peer adds it again when it reads an error from the wire, so each mapping
 * step must drop the ones it was given. Wire messages carry none; errors and texts carry at most one.
 */
import { describe, expect, test } from "bun:test"
import { McpError } from "@modelcontextprotocol/sdk/types.js"
import { ProtocolError } from "../../src/core/index.ts"
import { onePrefix, redactOutgoing, toolErrorResult, toRpcError, wireMessage } from "../../src/mcp/error-map.ts"
import { RpcError } from "../../src/pool/index.ts"

const count = (s: string): number => s.match(/MCP error -?\d+: /g)?.length ?? 0

describe("error prefix mapping", () => {
  test("a downstream SDK server's wire message (already prefixed) gives an McpError with one prefix", () => {
    const e = toRpcError(new RpcError("resources/read", -32602, "MCP error -32602: Resource x not found", undefined))
    expect(e.code).toBe(-32602)
    expect(e.message).toBe("MCP error -32602: Resource x not found")
  })

  test("an McpError wrapping another one's message is reduced to one prefix", () => {
    const inner = new McpError(-32603, "boom")
    const e = toRpcError(new McpError(-32603, inner.message))
    expect(count(e.message)).toBe(1)
    expect(e.message).toBe("MCP error -32603: boom")
    const plain = new McpError(-32602, "Unknown prompt: x")
    expect(toRpcError(plain)).toBe(plain) // nothing to fix: the same error
  })

  test("our own errors, orchestrator errors and plain errors carry one prefix", () => {
    expect(toRpcError(new ProtocolError(-32602, "MCP error -32602: MCP error -32602: Unknown tool: y")).message).toBe("MCP error -32602: Unknown tool: y")
    expect(count(toRpcError(new Error("MCP error -32000: MCP error -32000: gone")).message)).toBe(1)
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
