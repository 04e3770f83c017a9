/**
 * @module mcp/rpc-answer
 * The JSON-RPC error a face handler throws to answer a request with (its code, message and data go
 * out as they are), and the errors a request of ours to the client can end with. The face's own
 * protocol layer (mcp/face-protocol) reads any thrown error with a safe-integer `code` the same way,
 * so an SDK `ProtocolError` (from a modern downstream's client) answers alike.
 */

/** JSON-RPC 2.0 error codes the face answers with. */
export const RpcCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
} as const

/** A JSON-RPC error answer: `code`, `message` and `data` as they go on the wire. */
export class RpcAnswerError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message)
    this.name = "RpcAnswerError"
  }
}

/**
 * Why a request of ours to the client did not get a result: the same string codes and messages as
 * the SDK's `SdkError` (`REQUEST_TIMEOUT` "Request timed out", `CONNECTION_CLOSED` "Connection
 * closed", `NOT_CONNECTED`, `INVALID_RESULT`), which is what callers and relayed answers read.
 */
export class ClientRequestError extends Error {
  constructor(
    readonly code: "REQUEST_TIMEOUT" | "CONNECTION_CLOSED" | "NOT_CONNECTED" | "INVALID_RESULT" | "NOT_SUPPORTED",
    message: string,
    readonly data?: unknown,
  ) {
    super(message)
    this.name = "ClientRequestError"
  }
}

/** A JSON-RPC error answer of ours, or one of the MCP SDKs' (v2 `ProtocolError`, v1 `McpError`): an integer code. */
export function isRpcAnswerError(err: unknown): err is RpcAnswerError {
  if (err instanceof RpcAnswerError) return true
  return err instanceof Error && (err.name === "ProtocolError" || err.name === "McpError") && Number.isSafeInteger((err as { code?: unknown }).code)
}
