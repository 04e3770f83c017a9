/**
 * @module http/jsonrpc-shape
 * The JSON-RPC 2.0 envelope check for a POST /mcp body, before any session sees it: valid JSON that
 * is not a message, a request whose id is not a string or an integer (null, 1.5, 1e300, an object…),
 * or a batch with any such item (or empty, or `initialize` with other messages, or one id twice) is
 * an Invalid Request (-32600, HTTP 400; id null unless a single request has a usable id), as the JSON-RPC spec says. The rules are the stdio
 * face's too (core/jsonrpc-envelope). Only the envelope is checked; params are left to the MCP layer.
 */
import { batchProblem, messageProblem } from "../core/index.ts"

/** The reason `body` is not a valid message or batch, or undefined. */
export function invalidRequest(body: unknown): string | undefined {
  return Array.isArray(body) ? batchProblem(body) : messageProblem(body)
}
