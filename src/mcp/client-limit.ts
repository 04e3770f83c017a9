/**
 * @module mcp/client-limit
 * The largest message written to a client (`proxy.maxMessageBytes`), for every face. An MCP SDK
 * client over stdio reads at most 10 MiB per message and closes the whole connection on a larger
 * one; so does one behind a stdio bridge to the HTTP face (mcp-remote, as Claude Desktop users run
 * it: it relays each HTTP answer as one stdout line). An answer over the limit is replaced: a tool
 * result by a tool error the model can act on, any other answer by a JSON-RPC error, both naming
 * the server, the method and what it was about; a request to the client over it is not sent.
 */
import { JsonBytes, ProtocolError, redactString, utf8Text } from "../core/index.ts"
import { CALL_TOOL_NAME } from "./tools/call-tool.ts"

/** `proxy.maxMessageBytes`'s default: room below the 10 MiB an MCP SDK stdio client reads per message. */
export const DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024

/** Why clients need the limit, as the messages say it: per face. */
export const STDIO_CLIENTS = "MCP clients over stdio close the connection above 10 MiB"
export const HTTP_CLIENTS = "MCP clients over stdio, also behind a bridge to HTTP such as mcp-remote, close the connection above 10 MiB"

/** The UTF-8 size of `body` when it is over `limit`, else undefined (exact only when it has to be). */
export function oversize(body: string | JsonBytes, limit: number): number | undefined {
  if (typeof body !== "string") return body.byteLength > limit ? body.byteLength : undefined
  // at most 3 bytes per UTF-16 unit (a surrogate pair is 4 bytes for 2 units)
  if (body.length * 3 <= limit) return undefined
  const bytes = Buffer.byteLength(body)
  return bytes > limit ? bytes : undefined
}

/** Does this result look like a tools/call result (a `content` list)? Only asked of oversize answers. */
export function isToolResult(result: unknown): boolean {
  // a result's text (or its bytes: a tools/list answer is bytes too) starts with its first key
  const head = typeof result === "string" ? result.slice(0, 64) : result instanceof JsonBytes ? utf8Text(result.chunks[0]?.subarray(0, 64) ?? new Uint8Array(0)) : undefined
  if (head !== undefined) return /^\s*\{\s*"content"\s*:\s*\[/.test(head)
  return result !== null && typeof result === "object" && Array.isArray((result as { content?: unknown }).content)
}

export function formatMiB(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`
}

/**
 * Why a request to the client was not sent: over `maxMessageBytes`. `details.maxMessageBytes` marks
 * it for the proxy (which logs a warning instead of the relay, proxy/proxy `relayRequest`).
 */
export function requestTooLarge(method: string, bytes: number, limit: number, clients = STDIO_CLIENTS): ProtocolError {
  return new ProtocolError(-32603, `${method} was not sent to the client: the request is ${formatMiB(bytes)} of JSON, over the ${formatMiB(limit)} one message to it may carry (proxy.maxMessageBytes of mcp-orchestrator; ${clients})`, {
    remedy: "Send a smaller request (less context, fewer or smaller messages).",
    details: { method, bytes, maxMessageBytes: limit },
  })
}

/** The server a request's answer comes from (the proxy's stored lists), if known. */
export type ServerOf = (method: string, params: Record<string, unknown> | undefined) => string | undefined

/**
 * What an answer answers, for its error: " of server fs to tools/call (tool read_file)",
 * " to resources/read (resource file:///a?…)": the server (`serverOf`), the method and its subject;
 * a URI without its query or fragment (they may carry a token), redacted and cut. Empty when unknown.
 */
export function answerOf(request: { method: string; params?: unknown } | undefined, serverOf: ServerOf | undefined): string {
  if (request === undefined) return ""
  let params = typeof request.params === "object" && request.params !== null ? (request.params as Record<string, unknown>) : undefined
  // call_tool's answer is the named tool's: that tool and its server are what the message names
  const through = request.method === "tools/call" && params?.name === CALL_TOOL_NAME ? (params.arguments as { name?: unknown } | undefined)?.name : undefined
  if (typeof through === "string") params = { name: through }
  let server: string | undefined
  try {
    server = serverOf?.(request.method, params)
  } catch {
    server = undefined
  }
  const about = subjectOf(request.method, params)
  const via = typeof through === "string" ? ` through ${CALL_TOOL_NAME}` : ""
  return `${server === undefined ? "" : ` of server ${server}`} to ${request.method}${about === undefined ? "" : ` (${about}${via})`}`
}

/**
 * The answer sent instead of one of `bytes` over `limit`: a tool error for a tool result, else a
 * JSON-RPC error; `about` is `answerOf`'s text; `modern`: to a 2026-07-28 request (its result carries `resultType`).
 */
export function oversizeAnswer(id: string | number, bytes: number, limit: number, toolResult: boolean, about: string, clients = STDIO_CLIENTS, modern = false): { jsonrpc: "2.0"; id: string | number; result?: unknown; error?: { code: number; message: string; data: unknown } } {
  const why = `the answer${about} is ${formatMiB(bytes)} of JSON, over the ${formatMiB(limit)} one message to this client may carry (proxy.maxMessageBytes; ${clients})`
  // a 2026-07-28 client refuses a result without its resultType
  if (toolResult) return { jsonrpc: "2.0", id, result: { ...(modern ? { resultType: "complete" } : {}), content: [{ type: "text", text: `The tool's result was not sent: ${why}. Ask the tool for less (a page, a range, a filter, a smaller file).` }], isError: true } }
  return { jsonrpc: "2.0", id, error: { code: -32603, message: `Internal error: ${why}`, data: { bytes, limit } } }
}

/**
 * The answer sent instead of one that would take a batch's answer (one message: a JSON array) over
 * `limit`: `total` is the batch's answer with it. A tool error for a tool result, else a JSON-RPC error.
 */
export function batchOverAnswer(id: string | number, total: number, limit: number, toolResult: boolean, about: string, clients = STDIO_CLIENTS): { jsonrpc: "2.0"; id: string | number; result?: unknown; error?: { code: number; message: string; data: unknown } } {
  const why = `the answer${about} would take the answer to its batch (one message) to ${formatMiB(total)} of JSON, over the ${formatMiB(limit)} one message to this client may carry (proxy.maxMessageBytes; ${clients})`
  if (toolResult) return { jsonrpc: "2.0", id, result: { content: [{ type: "text", text: `The tool's result was not sent: ${why}. Call it alone, or with fewer requests in the batch.` }], isError: true } }
  return { jsonrpc: "2.0", id, error: { code: -32603, message: `Internal error: ${why}; send it alone, or fewer requests per batch`, data: { bytes: total, limit } } }
}

/** What a request is about, for an error ("tool read_file", "prompt greet", "resource file:///a?…"), if anything. */
function subjectOf(method: string, params: Record<string, unknown> | undefined): string | undefined {
  const name = typeof params?.name === "string" ? cut(redactString(params.name)) : undefined
  if (method === "tools/call" && name !== undefined) return `tool ${name}`
  if (method === "prompts/get" && name !== undefined) return `prompt ${name}`
  if (method === "resources/read" && typeof params?.uri === "string") return `resource ${shownUri(params.uri)}`
  return undefined
}

/** A URI for a message: no query or fragment (they may carry a token: "?…" marks them), redacted, at most 200 characters. */
export function shownUri(uri: string): string {
  const at = uri.search(/[?#]/)
  return cut(redactString(at < 0 ? uri : `${uri.slice(0, at)}${uri[at]}…`))
}

function cut(s: string): string {
  return s.length > 200 ? `${s.slice(0, 200)}…` : s
}
