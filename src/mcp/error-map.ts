/**
 * @module mcp/error-map
 * The one place where home errors become MCP answers: tool failures are `isError` results with a
 * readable message and remedy; protocol misuse and downstream JSON-RPC errors are JSON-RPC errors.
 */
import { ErrorCode, McpError, type CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { errorMessage, isOrchestratorError, ProtocolError, redact, redactString } from "../core/index.ts"

export function toolErrorResult(err: unknown): CallToolResult {
  const text = isOrchestratorError(err) ? `[${err.code}] ${err.describe()}` : errorMessage(err)
  return { isError: true, content: [{ type: "text", text: redactString(text) }] }
}

/** A downstream's own JSON-RPC error answer (the pool's RpcError), relayed as it came. */
interface DownstreamRpcError {
  code: "DOWNSTREAM_RPC_ERROR"
  rpcCode: number
  message: string
  data?: unknown
}

function isDownstreamRpcError(err: unknown): err is DownstreamRpcError {
  return isOrchestratorError(err) && err.code === "DOWNSTREAM_RPC_ERROR" && typeof (err as { rpcCode?: unknown }).rpcCode === "number"
}

/**
 * Errors that must surface as JSON-RPC errors rather than tool results: protocol misuse, and a
 * downstream's own JSON-RPC error (same code, message and data: the proxy is transparent to them).
 */
export function isRpcAnswer(err: unknown): boolean {
  return err instanceof McpError || err instanceof ProtocolError || isDownstreamRpcError(err)
}

/** Errors that must surface as JSON-RPC errors rather than tool results. */
export function toRpcError(err: unknown): McpError {
  if (err instanceof McpError) return err
  if (err instanceof ProtocolError) return new McpError(err.rpcCode, redactString(err.message))
  if (isDownstreamRpcError(err)) return new McpError(err.rpcCode, redactString(err.message), err.data === undefined ? undefined : redact(err.data))
  if (isOrchestratorError(err)) return new McpError(ErrorCode.InternalError, redactString(`[${err.code}] ${err.describe()}`))
  return new McpError(ErrorCode.InternalError, redactString(errorMessage(err)))
}

