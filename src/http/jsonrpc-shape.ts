/**
 * @module http/jsonrpc-shape
 * The JSON-RPC 2.0 envelope check for a POST /mcp body, before any session sees it: valid JSON that
 * is not a message (or is an empty batch) is an Invalid Request (-32600, id null, HTTP 400), as the
 * JSON-RPC spec says. Only the envelope is checked; params are left to the MCP layer.
 */

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v)
}

/** Why one message is not a JSON-RPC 2.0 request, notification or response; undefined when it is. */
function messageProblem(m: unknown): string | undefined {
  if (!isObject(m)) return `expected a JSON-RPC message object, got ${m === null ? "null" : Array.isArray(m) ? "an array" : typeof m}`
  if (m.jsonrpc !== "2.0") return 'missing "jsonrpc": "2.0"'
  if ("method" in m) return typeof m.method === "string" ? undefined : '"method" must be a string'
  if ("id" in m && ("result" in m || "error" in m)) return undefined
  return 'expected "method" (request or notification) or "id" with "result"/"error" (response)'
}

/** The reason `body` is not a valid message or batch, or undefined. */
export function invalidRequest(body: unknown): string | undefined {
  if (!Array.isArray(body)) return messageProblem(body)
  if (body.length === 0) return "empty batch"
  for (let i = 0; i < body.length; i++) {
    const p = messageProblem(body[i])
    if (p) return `batch item ${i}: ${p}`
  }
  return undefined
}
