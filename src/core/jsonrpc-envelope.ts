/**
 * @module core/jsonrpc-envelope
 * The JSON-RPC 2.0 envelope rules both client faces apply before a message reaches the MCP layer
 * (stdio: mcp/stdio-transport; HTTP: http/jsonrpc-shape), so both reject the same messages with
 * -32600 Invalid Request. Only the envelope is checked; params are the MCP layer's.
 *
 * A request id is a string or a safe integer (the MCP SDK's `RequestId`; MCP forbids null). A request
 * whose id is anything else (null, 1.5, 1e300, an object, an array, a boolean) is invalid, and its
 * error answer carries id null: there is no id to answer with (JSON-RPC 2.0 §5).
 */
import { isRecord as isObject } from "./is-record.ts"

/** A JSON-RPC id an MCP peer accepts: a string or a safe integer. */
export type JsonRpcId = string | number

/** A string or a safe integer (what the SDK's `RequestIdSchema` accepts). */
export function isRequestId(v: unknown): v is JsonRpcId {
  return typeof v === "string" || (typeof v === "number" && Number.isSafeInteger(v))
}

/** What `v` is, for an error message: a scalar as it is, an array or object by its kind. */
function shown(v: unknown): string {
  if (Array.isArray(v)) return "an array"
  if (typeof v === "object" && v !== null) return "an object"
  return typeof v === "string" ? "a string" : String(v)
}

/** Why `m` is not a JSON-RPC 2.0 request, notification or response; undefined when it is one. */
export function messageProblem(m: unknown): string | undefined {
  if (!isObject(m)) return `expected a JSON-RPC message object, got ${m === null ? "null" : Array.isArray(m) ? "an array" : typeof m}`
  if (m.jsonrpc !== "2.0") return 'missing "jsonrpc": "2.0"'
  if ("method" in m) {
    if (typeof m.method !== "string") return '"method" must be a string'
    // no "id" member at all: a notification
    if ("id" in m && !isRequestId(m.id)) return `"id" must be a string or an integer, got ${shown(m.id)}`
    // MCP params are an object (JSON-RPC allows omitting them, never null or a scalar; MCP no array)
    if ("params" in m && m.params !== undefined && !isObject(m.params)) return `"params" must be an object when present, got ${m.params === null ? "null" : shown(m.params)}`
    return undefined
  }
  // a response to one of our requests (its id may be null: an error about a message it could not read)
  if ("id" in m && ("result" in m || "error" in m)) return undefined
  return 'expected "method" (request or notification) or "id" with "result"/"error" (response)'
}

/**
 * `body` (a message or a batch, as the face parsed it) with each top-level `"params": null` removed,
 * in place: JSON-RPC lets a client omit params, and a client's null means none (mcp.el sends
 * `"params": null` on every `*\/list`, notifications too). Params that are an array, a string, a
 * number or a boolean stay, for `messageProblem` to refuse. Both faces apply it before the envelope check.
 * `"_meta": {"progressToken": null}` is no token (no progress wanted).
 * `"arguments": null` of a `tools/call` or `prompts/get` is no arguments too (a client that sends
 * `arguments: None` / `nil` for a tool without any; Python and Go servers take it): it was -32602
 * on one face path and another, while the same call without the key went through.
 */
export function dropNullParams(body: unknown): void {
  for (const m of Array.isArray(body) ? body : [body]) {
    if (!isObject(m)) continue
    const p = m.params
    if (p === null) delete m.params
    else if (isObject(p)) {
      if (p.arguments === null && (m.method === "tools/call" || m.method === "prompts/get")) delete p.arguments
      // no token, as a null `_meta` is no `_meta`: the client wants no progress (progressTokenProblem refuses other odd ones)
      if (isObject(p._meta) && p._meta.progressToken === null) delete p._meta.progressToken
    }
  }
}

/**
 * Why the `arguments` of a `tools/call` or `prompts/get` are refused (-32602): present, they are an
 * object of named arguments (null was taken as absent by `dropNullParams`). Undefined when fine.
 */
export function argumentsProblem(method: string, args: unknown): string | undefined {
  if (args === undefined || isObject(args)) return undefined
  return `${method} params.arguments must be an object (the arguments by name, e.g. {"path": "a.txt"}), got ${shown(args)}`
}

/**
 * Why a request's `params._meta` is refused: MCP says it is an object when present. `null` is taken
 * as absent (a sloppy client's "nothing"); a string, number, boolean or array is -32602 naming it.
 * Every face path applies it (the protocol layer, the stdio fast lane, the HTTP lane).
 */
export function metaProblem(params: unknown): string | undefined {
  const m = isObject(params) ? params._meta : undefined
  if (m === undefined || m === null) return undefined
  if (isObject(m)) return progressTokenProblem(m)
  return `_meta: expected object, received ${Array.isArray(m) ? "array" : typeof m}`
}

/**
 * Why a request's `_meta.progressToken` is refused (-32602); undefined when absent or usable. A token
 * is a string or a safe integer, as a request id (the SDK's `ProgressTokenSchema`). Another one was
 * taken silently before: 2^53+1 parses rounded, so its `notifications/progress` carried 2^53, a token
 * the client never sent (its progress lost, or matched to another request); an object, a boolean or
 * 1.5 got no progress at all and no word why. A client that asks for progress learns it cannot have
 * it this way, and what to send instead. Both eras (the legacy faces via `metaProblem`, the
 * 2026-07-28 envelope check `judge`).
 */
export function progressTokenProblem(meta: Record<string, unknown>): string | undefined {
  if (!("progressToken" in meta)) return undefined
  const t = meta.progressToken
  if (isRequestId(t)) return undefined
  const got = typeof t === "number" && Number.isInteger(t) ? "an integer beyond 2^53-1 in size (it cannot come back unchanged)" : t === undefined ? "undefined" : shown(t)
  return `_meta.progressToken must be a string or a safe integer (|n| <= 2^53-1), got ${got}; send a string token, or none for no progress notifications`
}

/**
 * The id an Invalid Request error about `m` is sent with: its own when `m` has a usable one and is
 * not a response (a response is never answered), else undefined (id null, or no answer at all).
 */
export function answerableId(m: unknown): JsonRpcId | undefined {
  if (!isObject(m) || !isRequestId(m.id)) return undefined
  if (!("method" in m) && ("result" in m || "error" in m)) return undefined
  return m.id
}

/**
 * Messages one batch may carry. Each request of a batch is served at once and its answer held until
 * the batch is answered: 3000 `tools/list` in a 150 KB POST took the HTTP face to 880 MiB, 60 000
 * `ping` to 260 MiB. Clients that batch (MCP 2025-03-26) send a few at a time.
 */
export const MAX_BATCH = 1000

/**
 * Why the batch `items` is rejected as a whole; undefined when every item is a valid message.
 * Empty; more than MAX_BATCH messages; an item that is not a valid message; `initialize` with other
 * messages (it must be sent alone); two requests with the same id (MCP: ids are never reused).
 */
export function batchProblem(items: readonly unknown[]): string | undefined {
  if (items.length === 0) return "empty batch"
  if (items.length > MAX_BATCH) return `a batch of ${items.length} messages, over the ${MAX_BATCH} one batch may carry; send fewer per batch`
  const ids = new Map<JsonRpcId, number>()
  for (let i = 0; i < items.length; i++) {
    const m = items[i]
    const p = messageProblem(m)
    if (p) return `batch item ${i}: ${p}`
    const r = m as { id?: JsonRpcId; method?: string }
    if (r.method === undefined || r.id === undefined) continue
    if (r.method === "initialize" && items.length > 1) return "initialize must be sent alone"
    const twin = ids.get(r.id)
    if (twin !== undefined) return `batch items ${twin} and ${i} use the same id ${JSON.stringify(r.id)}`
    ids.set(r.id, i)
  }
  return undefined
}
