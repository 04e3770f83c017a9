/**
 * @module mcp/error-map
 * The one place where home errors become MCP answers: tool failures are `isError` results with a
 * readable message and remedy; protocol misuse is a JSON-RPC error.
 */
import { ErrorCode, McpError, type CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { errorMessage, isOrchestratorError, ProtocolError, redactString } from "../core/index.ts"

export function toolErrorResult(err: unknown): CallToolResult {
  const text = isOrchestratorError(err) ? `[${err.code}] ${err.describe()}` : errorMessage(err)
  return { isError: true, content: [{ type: "text", text: redactString(text) }] }
}

/** Errors that must surface as JSON-RPC errors rather than tool results. */
export function toRpcError(err: unknown): McpError {
  if (err instanceof McpError) return err
  if (err instanceof ProtocolError) return new McpError(err.rpcCode, redactString(err.message))
  if (isOrchestratorError(err)) return new McpError(ErrorCode.InternalError, redactString(`[${err.code}] ${err.describe()}`))
  return new McpError(ErrorCode.InternalError, redactString(errorMessage(err)))
}

export function isProtocolMisuse(err: unknown): boolean {
  return err instanceof McpError || err instanceof ProtocolError
}
