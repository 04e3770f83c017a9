/**
 * @module mcp/error-map
 * The one place where home errors become MCP answers: tool failures are `isError` results with a
 * readable message and remedy; protocol misuse and downstream JSON-RPC errors are JSON-RPC errors.
 * It is also the redaction point of those exits (every configured secret value, core/secrets): an
 * error answer, a relayed downstream error (message and data), an own tool's result, an outgoing
 * message written by the SDK protocol layer.
 */
import type { CallToolResult, JSONRPCMessage } from "@modelcontextprotocol/client"
import { isRpcAnswerError, RpcAnswerError, RpcCode as ProtocolErrorCode } from "./rpc-answer.ts"
import { boundedAnswerMessage, boundedServerMessage, chunksHaveEscapeSpelling, errorMessage, hasEscapeSpelling, hasOpaqueEscape, holdsTinyItems, holdsTinyItemsChunks, isOrchestratorError, JsonBytes, maskStreamEdges, mayHoldSecret, ProtocolError, RawJson, redact, redactListResult, redactRegistered, redactSplitItems, redactSplitProse, redactString, redactValues, redactValuesChecked, secrets, unwrapRaw } from "../core/index.ts"

/**
 * The v1 SDK's `McpError` message prefix ("MCP error <code>: "): downstream servers and clients on
 * that SDK still put it before the message of every error they write or read. The v2 SDK's
 * `ProtocolError`, and our RpcAnswerError (what we throw), have none.
 */
const PREFIX = /MCP error -?\d+: /g
const LEADING_PREFIXES = /^(?:MCP error -?\d+: )+/
const PREFIX_RUN = /(?:MCP error -?\d+: ){2,}/g

/**
 * The message of a JSON-RPC error as it goes on the wire: without the prefix. A v1 SDK peer adds
 * it when it reads an error from the wire (and writes its own errors with it), so a message relayed
 * through us (downstream → us → client) would gain one per hop.
 */
export function wireMessage(message: string): string {
  return onePrefix(message.replace(LEADING_PREFIXES, ""))
}

/** A run of prefixes anywhere in a text (an error wrapped into another) shrinks to its last, innermost one. */
export function onePrefix(text: string): string {
  return text.replace(PREFIX_RUN, (run) => run.match(PREFIX)!.at(-1)!)
}

/**
 * A value nested tens of thousands of levels deep (JSON.parse takes it; JSON.stringify and every
 * recursive walk overflow the stack): the engine's own words ("Maximum call stack size exceeded.")
 * say nothing of the data.
 */
function stackOverflowText(err: unknown): string | undefined {
  if (!(err instanceof RangeError) || !/call stack/i.test(err.message)) return undefined
  return "the call could not be processed: a value in it (its arguments, or the server's answer) is nested too deeply to handle (stack overflow). Send flatter data: JSON nested at most a few thousand levels."
}

export function toolErrorResult(err: unknown): CallToolResult {
  const text = isDownstreamRpcError(err) ? `[${err.code}] ${downstreamText(err)}` : isOrchestratorError(err) ? `[${err.code}] ${err.describe()}` : (stackOverflowText(err) ?? errorMessage(err))
  return { isError: true, content: [{ type: "text", text: boundedAnswerMessage(onePrefix(redactString(text))) }] }
}

/**
 * A result the orchestrator wrote itself (orchestrator_status, management tools): every string
 * scrubbed, the shape kept (its structuredContent is checked against the output schema).
 */
export function redactOwnResult(result: CallToolResult): CallToolResult {
  return redactValuesChecked(result)
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
 * A downstream's JSON-RPC error answer as the model reads it: which server (and tool) gave it, then
 * its own text as it came (a bare "fetch failed" says nothing of where): `server github, tool
 * create_issue: fetch failed`. Without the v1 SDK's "MCP error <code>: " prefix (the code is the
 * error's own).
 */
function downstreamText(err: DownstreamRpcError & { details?: Record<string, unknown> }): string {
  const server = err.details?.server
  const tool = err.details?.tool
  // bounded (a 2 MB message would fill the model's context; a result's content is the place for data)
  const message = boundedServerMessage(wireMessage(err.message))
  if (typeof server !== "string") return message
  const who = `server ${server}${typeof tool === "string" ? `, tool ${tool}` : ""}`
  // a message that already names its server (ours, relayed from a nested orchestrator) is not named twice
  return message.startsWith(`${who}:`) ? message : `${who}: ${message}`
}


/** The text of a failure as the model reads it (run_code's rejection): a downstream's error answer names its server and tool. */
export function failureText(err: unknown): string {
  return isDownstreamRpcError(err) ? downstreamText(err) : errorMessage(err)
}

/**
 * Errors that must surface as JSON-RPC errors rather than tool results: protocol misuse, and a
 * downstream's own JSON-RPC error (same code and data, its message after the server and tool that gave it).
 */
export function isRpcAnswer(err: unknown): boolean {
  return isRpcAnswerError(err) || err instanceof ProtocolError || isDownstreamRpcError(err)
}

/**
 * Errors that must surface as JSON-RPC errors rather than tool results, as an RpcAnswerError (its
 * message is the wire message: no prefix, one from a downstream or an inner error is dropped).
 */
export function toRpcError(err: unknown): RpcAnswerError {
  if (isRpcAnswerError(err)) return redactedRpcError(err)
  if (err instanceof ProtocolError) return rpcError(err.rpcCode, redactString(err.message))
  if (isDownstreamRpcError(err)) return rpcError(err.rpcCode, redactString(downstreamText(err)), err.data === undefined ? undefined : redact(err.data))
  if (isOrchestratorError(err)) return rpcError(ProtocolErrorCode.InternalError, redactString(`[${err.code}] ${err.describe()}`))
  return rpcError(ProtocolErrorCode.InternalError, redactString(errorMessage(err)))
}

function rpcError(code: number, message: string, data?: unknown): RpcAnswerError {
  const e = wireError(code, wireMessage(message), data)
  return new RpcAnswerError(e.code, e.message, e.data)
}

/** The same error when nothing needed scrubbing (the common case), else a scrubbed copy. */
function redactedRpcError(err: RpcAnswerError): RpcAnswerError {
  const message = wireMessage(redactString(err.message))
  if (message === err.message && err.data === undefined && Number.isSafeInteger(err.code)) return err
  return rpcError(err.code, message, err.data === undefined ? undefined : redact(err.data))
}

/** Characters of a JSON-RPC error's `data` (as JSON) relayed: a downstream's 4 MB `data` would reach the client, and the model, whole. */
export const MAX_ERROR_DATA_CHARS = 8000

/**
 * A JSON-RPC error as it may go on the wire (redacted already): its code an integer (a downstream's
 * 1.5, 1e300 or "oops" would make the client's SDK drop the answer, and the call wait for its
 * timeout: sent as -32603, the message naming the code it had), its `data` at most
 * `MAX_ERROR_DATA_CHARS` as JSON (larger data is left out, the message says how large it was).
 */
export function wireError(code: unknown, message: string, data: unknown): { code: number; message: string; data?: unknown } {
  let text = boundedAnswerMessage(message)
  let wireCode = code as number
  if (!Number.isSafeInteger(code)) {
    wireCode = ProtocolErrorCode.InternalError
    text += ` (the error code it came with, ${shownCode(code)}, is no JSON-RPC error code: an integer; sent as ${wireCode})`
  }
  if (data === undefined) return { code: wireCode, message: text }
  const size = jsonLength(data)
  if (size !== undefined && size <= MAX_ERROR_DATA_CHARS) return { code: wireCode, message: text, data }
  text += size === undefined ? " (its error data could not be written as JSON and was left out)" : ` (its error data, ${size.toLocaleString("en")} characters of JSON, was left out: at most ${MAX_ERROR_DATA_CHARS.toLocaleString("en")} are relayed)`
  return { code: wireCode, message: text }
}

function shownCode(code: unknown): string {
  if (typeof code === "number") return String(code)
  const size = jsonLength(code)
  return size !== undefined && size <= 40 ? JSON.stringify(code) : typeof code
}

function jsonLength(v: unknown): number | undefined {
  try {
    return JSON.stringify(v)?.length
  } catch {
    return undefined
  }
}

/**
 * Redaction of a message the face writes through the SDK protocol layer (both transports), and of
 * fast-lane notifications: JSON-RPC errors (from any handler, mapped or not), every request and
 * notification to the client (log messages, progress, a downstream's elicitation or sampling
 * request relayed), and list answers (a downstream's tool, prompt and resource definitions reach
 * the model). Other results pass as they are: own tool results were redacted by
 * `redactOwnResult`; tool results, prompts, resource contents and completions are downstream data
 * whose configured secrets `redactResultSecrets` took out. Returns `m` itself when nothing changed.
 */
/** A notification a call sends its client (progress, a downstream's log), as it goes on the wire: redacted. */
export function outgoingNotification(n: { method: string; params?: Record<string, unknown> }): JSONRPCMessage {
  return redactOutgoing((n.params ? { jsonrpc: "2.0", method: n.method, params: n.params } : { jsonrpc: "2.0", method: n.method }) as JSONRPCMessage)
}

export function redactOutgoing(m: JSONRPCMessage): JSONRPCMessage {
  const msg = m as { error?: { code: number; message: string; data?: unknown }; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown> }
  if (msg.error) {
    const message = wireMessage(redactString(String(msg.error.message ?? "")))
    const { data, ...rest } = msg.error
    return { ...m, error: { ...rest, ...wireError(msg.error.code, message, data === undefined ? undefined : redact(data)) } } as JSONRPCMessage
  }
  if (msg.method !== undefined) {
    if (!msg.params) return m
    // a request the client's model or user reads in parts: a value split across them masked in each (qa333)
    const whole = msg.method === "sampling/createMessage" || msg.method === "elicitation/create" ? redactSplitProse(msg.params) : msg.params
    const params = streamEdges(msg.method, redactValues(whole))
    return params === msg.params ? m : ({ ...m, params } as JSONRPCMessage)
  }
  const r = msg.result
  if (r && (Array.isArray(r.tools) || Array.isArray(r.prompts) || Array.isArray(r.resources) || Array.isArray(r.resourceTemplates)) && !("content" in r)) {
    const result = redactListResult(r)
    return result === r ? m : ({ ...m, result } as JSONRPCMessage)
  }
  return m
}

/**
 * The text of a message that is one piece of a stream (a progress message, a log message's text):
 * masked at its edges where it ends with the start, or starts with the end, of a configured value
 * (a tool streaming its output in pieces cuts a key between two of them: core/stream-edges).
 */
function streamEdges(method: string, params: Record<string, unknown>): Record<string, unknown> {
  const key = method === "notifications/progress" ? "message" : method === "notifications/message" ? "data" : undefined
  const text = key === undefined ? undefined : params[key]
  if (typeof text !== "string") return params
  const masked = maskStreamEdges(text)
  return masked === text ? params : { ...params, [key!]: masked }
}

/**
 * A downstream's own `isError` tool result is an error the client gets: its strings are scrubbed
 * (a server echoing its env or args in a failure). Successful results: `redactResultSecrets`.
 * Returns `result` itself when nothing changed.
 */
export function redactToolError<T extends object>(result: T): T
export function redactToolError<T extends object>(result: T | RawJson<T>): T | RawJson<T>
export function redactToolError<T extends object>(result: T | RawJson<T>): T | RawJson<T> {
  // its exact text is at hand: one scan of it, and nothing parsed when it holds no secret (nor an
  // escape that could spell one past the scan: then its decoded strings decide)
  // (or half of a configured value: it may be split across two content items, core/split-items)
  // (or several texts under 6 characters: it may be split in as many items, core/split-items)
  if (result instanceof RawJson && typeof result.json === "string" && !mayHoldSecret(result.json) && !hasOpaqueEscape(result.json) && !secrets.testHalves(result.json) && !holdsTinyItems(result.json)) return result
  const value = unwrapRaw(result)
  // the split first: the generic patterns may mask the first part alone (`API_KEY=<first part>`)
  const clean = redactValues(redactSplitItems(value))
  if (clean === value) return result
  // the scrubbed copy goes out instead: a large result's bytes give their budget back now
  if (result instanceof RawJson && result.json instanceof JsonBytes) result.json.release()
  return clean
}

/** `\u` escapes and `\/` at any level (`\u0041`, `\\u0041`, `\\/`), read loosely: enough to tell whether text may hide a value's piece. */
const LOOSE_ESCAPE = /\\+(?:u([0-9a-fA-F]{4})|\/)/g

/**
 * Whether JSON text with escapes (`hasEscapeSpelling`) holds a piece of a value once they are read:
 * a value split across two strings, each part spelled with `\u` escapes, shows no piece to the raw
 * scan (qa277). Only then is the result parsed (`testJson` parsed it already for a whole value).
 */
function escapedHalves(json: string): boolean {
  if (!hasEscapeSpelling(json)) return false
  return secrets.testHalves(json.replace(LOOSE_ESCAPE, (_, hex: string | undefined) => (hex === undefined ? "/" : String.fromCharCode(Number.parseInt(hex, 16)))))
}

/**
 * A downstream's successful result (tool result, prompt, resource contents) with the configured
 * secrets taken out — a server that prints its environment (server-everything's `get-env`) would
 * otherwise hand the model the API key the user gave the orchestrator for it. Only the registry's
 * values are replaced (the generic patterns would mangle data that merely looks like a key), in
 * strings and object keys. With no secret configured this is one property read; else one scan of
 * the text or bytes, and a parse only when a value is found or the text holds a `\u` or `\/`
 * escape (which could spell one the scan cannot see: `SecretRegistry.testJson`). Applied to tool
 * results, `prompts/get`, `resources/read` and `completion/complete`. Returns `result` itself when
 * nothing changed.
 */
export function redactResultSecrets<T extends object>(result: T): T
export function redactResultSecrets<T extends object>(result: T | RawJson<T>): T | RawJson<T>
export function redactResultSecrets<T extends object>(result: T | RawJson<T>): T | RawJson<T> {
  if (secrets.empty) return result
  let found = true
  if (result instanceof RawJson) {
    // the text as the downstream wrote it: a value spelled with `\u` escapes or `\/` is decided on
    // the decoded strings (`testJson`); text without such escapes is never parsed here, unless it
    // holds half of a value (which may be split across two content items: core/split-items)
    const json = result.json
    found = typeof json === "string" ? secrets.testJson(json) : secrets.testJsonChunks(json.chunks)
    // (or item texts under 6 characters, as many parts of a value: core/split-items `holdsTinyItems`)
    if (!found && !(typeof json === "string" ? secrets.testHalves(json) || escapedHalves(json) || holdsTinyItems(json) : secrets.testHalvesChunks(json.chunks) || (chunksHaveEscapeSpelling(json.chunks) && escapedHalves(Buffer.concat(json.chunks).toString("utf8"))) || holdsTinyItemsChunks(json.chunks))) return result
  }
  const value = unwrapRaw(result)
  const split = redactSplitItems(value)
  const clean = found ? redactRegistered(split) : split
  // raw text the scan found a value in goes out as parsed even when no string or number of it held
  // one: a number past 2^53 (`"id": 9182736450192837`, a configured account number) is parsed
  // rounded, so only the downstream's own text still spelled it
  if (clean === value && (!found || !(result instanceof RawJson))) return result
  if (result instanceof RawJson && result.json instanceof JsonBytes) result.json.release()
  return clean
}
