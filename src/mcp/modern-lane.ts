/**
 * @module mcp/modern-lane
 * The 2026-07-28 ("modern") era of our stdio face, beside the legacy one on the same connection.
 * A modern client sends no `initialize`: it probes with `server/discover` and puts a `_meta` envelope
 * (protocol version, client capabilities) on every request. This module checks that envelope,
 * answers `server/discover` and the methods the revision removed, serves the requests a downstream
 * may answer with `input_required` (`callModern`, with the envelope) and marks the rest for the
 * face's protocol layer, whose answers it completes with `resultType` (and `ttlMs`/`cacheScope` on list/read
 * results). Nothing here runs for a legacy message: the fast lane tells them apart by one key.
 */
import { RpcAnswerError as ProtocolError } from "./rpc-answer.ts"
import { argumentsProblem, cutText, progressTokenProblem, JsonBytes, NAME, RawJson, redactSplitProse, redactValues, unwrapRaw, VERSION, type Logger } from "../core/index.ts"
import type { CallContext, ClientLink, ModernRequest } from "../proxy/index.ts"
import { toRpcError } from "./error-map.ts"
import { clientCapabilitiesProblem, clientInfoProblem } from "./face-params.ts"
import type { McpFace } from "./server.ts"

const META = "io.modelcontextprotocol/"
export const PROTOCOL_VERSION_KEY = `${META}protocolVersion`
export const CAPABILITIES_KEY = `${META}clientCapabilities`
const LOG_LEVEL_KEY = `${META}logLevel`
const CLIENT_INFO_KEY = `${META}clientInfo`
/** The RFC 5424 levels MCP's `LoggingLevel` names, least severe first. */
const LOG_LEVELS: readonly string[] = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"]
export const MODERN_VERSION = "2026-07-28"
/**
 * The versions a client can put in the `_meta` envelope: what `server/discover` advertises and what a
 * -32022 names, the same list (a client retries with one of them). The legacy versions are reached
 * by `initialize`, not by the envelope, so they are in neither (as the SDK v2 dual-era server does).
 */
const ENVELOPE_VERSIONS: readonly string[] = [MODERN_VERSION]

/** Methods the 2026-07-28 revision removed: a modern request for one is "method not found". */
const REMOVED = new Set(["initialize", "ping", "logging/setLevel", "resources/subscribe", "resources/unsubscribe"])
/** Results that carry cache hints in the modern era. */
const CACHEABLE = new Set(["tools/list", "prompts/list", "resources/list", "resources/templates/list", "resources/read"])

/**
 * What we can honestly promise about our own lists and reads: they change with downstreams, plugins
 * and config at any time, and list_changed is how clients learn of it, so nothing may be reused.
 */
const CACHE_HINT = { ttlMs: 0, cacheScope: "private" } as const

/**
 * Our face's capabilities, the same in both eras (the legacy `initialize` answer and a modern
 * `server/discover`): `resources.subscribe` is `resources/subscribe` for a legacy client and the
 * `resourceSubscriptions` of `subscriptions/listen` for a modern one, relayed to the owning servers.
 */
export const FACE_CAPABILITIES = {
  tools: { listChanged: true },
  prompts: { listChanged: true },
  resources: { listChanged: true, subscribe: true },
  logging: {},
  completions: {},
}

export type JsonRpcError = { code: number; message: string; data?: unknown }

export type Verdict =
  /** Answer at once with this error. */
  | { error: JsonRpcError }
  /** Answer at once with this result. */
  | { result: Record<string, unknown> }
  /** Serve it (MRTR methods through `callModern`, the rest through the face's protocol layer), then `complete` the result. */
  | { serve: true }

/**
 * Is this message (params' `_meta`, as the client sent it: any JSON value) a modern request? One
 * property read: the legacy path pays nothing more. A `_meta` that is no object (null, a string) is
 * no envelope: the request is legacy and its `_meta` is that era's to refuse (http/era reads it alike).
 */
export function isModern(method: unknown, meta: unknown): boolean {
  return (typeof meta === "object" && meta !== null && (meta as Record<string, unknown>)[PROTOCOL_VERSION_KEY] !== undefined) || method === "server/discover"
}

/**
 * Why a batch is refused when one of its items is a 2026-07-28 message (`isModernBatch`): that
 * revision has no batches (MCP removed them in 2025-06-18). Both faces say it, each adding how to send instead.
 */
export const MODERN_BATCH = "batches are not part of the 2026-07-28 protocol"

/** Is one of a batch's `items` a 2026-07-28 request or notification (the `_meta` version, or `server/discover`)? */
export function isModernBatch(items: readonly unknown[]): boolean {
  return items.some((m) => typeof m === "object" && m !== null && isModern((m as { method?: unknown }).method, ((m as { params?: unknown }).params as { _meta?: unknown } | undefined)?._meta))
}

/** Characters of a client's unsupported protocol version echoed in the -32022 answer. */
const MAX_VERSION_ECHO = 64

/** What `v` is, for an envelope error ("a number", "an array"). */
function kindOf(v: unknown): string {
  return Array.isArray(v) ? "an array" : v === null ? "null" : `a ${typeof v}`
}

/** Checks a modern request's envelope and decides what to do with it. */
export function judge(method: string, meta: Record<string, unknown> | undefined, instructions?: string): Verdict {
  const version = meta?.[PROTOCOL_VERSION_KEY]
  const caps = meta?.[CAPABILITIES_KEY]
  if (version === undefined) return { error: { code: -32602, message: `Invalid params: _meta["${PROTOCOL_VERSION_KEY}"] is required` } }
  if (typeof version !== "string") return { error: { code: -32602, message: `Invalid params: _meta["${PROTOCOL_VERSION_KEY}"] must be a string, got ${kindOf(version)}` } }
  if (version !== MODERN_VERSION) {
    // a version is short: one longer is cut (a 100 000-character one came back twice, message and data); an empty one is shown as ""
    const requested = version.length > MAX_VERSION_ECHO ? `${cutText(version, MAX_VERSION_ECHO)}…` : version
    const shown = version === "" ? '"" (empty)' : version.length > MAX_VERSION_ECHO ? `${requested} (${version.length.toLocaleString("en")} characters)` : version
    return { error: { code: -32022, message: `Unsupported protocol version: ${shown}`, data: { supported: ENVELOPE_VERSIONS, requested } } }
  }
  if (caps === undefined) return { error: { code: -32602, message: `Invalid params: _meta["${CAPABILITIES_KEY}"] is required` } }
  if (typeof caps !== "object" || caps === null || Array.isArray(caps)) {
    return { error: { code: -32602, message: `Invalid params: _meta["${CAPABILITIES_KEY}"] must be an object, got ${kindOf(caps)}` } }
  }
  // the rules `initialize` applies to the same values (mcp/face-params): before, `{"elicitation": 5}`
  // or `"clientInfo": 5` passed here while the legacy face refused them, and a capability that is
  // no object was taken as declared
  const capsWrong = clientCapabilitiesProblem(caps as Record<string, unknown>)
  if (capsWrong !== undefined) return { error: { code: -32602, message: `Invalid params: _meta["${CAPABILITIES_KEY}"].${capsWrong}` } }
  const info = meta?.[CLIENT_INFO_KEY]
  const infoWrong = info === undefined ? undefined : clientInfoProblem(info)
  if (infoWrong !== undefined) return { error: { code: -32602, message: `Invalid params: _meta["${CLIENT_INFO_KEY}"]${infoWrong.startsWith("expected") ? ": " : "."}${infoWrong}` } }
  const level = meta?.[LOG_LEVEL_KEY]
  // optional, a LoggingLevel when present: another value reached a modern downstream as its own
  // envelope (refused there, the error blamed on it) and filtered a legacy one's logs by no known rank
  if (level !== undefined && !(typeof level === "string" && LOG_LEVELS.includes(level))) {
    const shown = typeof level === "string" ? JSON.stringify(level.length > MAX_VERSION_ECHO ? `${cutText(level, MAX_VERSION_ECHO)}…` : level) : kindOf(level)
    return { error: { code: -32602, message: `Invalid params: _meta["${LOG_LEVEL_KEY}"] must be one of ${LOG_LEVELS.join(", ")} (or absent: no logs), got ${shown}` } }
  }
  const tokenWrong = meta === undefined ? undefined : progressTokenProblem(meta)
  if (tokenWrong !== undefined) return { error: { code: -32602, message: `Invalid params: ${tokenWrong}` } }
  if (REMOVED.has(method)) return { error: { code: -32601, message: `Method not found: ${method} (removed in protocol revision ${MODERN_VERSION})` } }
  if (method === "server/discover") return { result: discoverResult(instructions) }
  return { serve: true }
}

export function discoverResult(instructions?: string): Record<string, unknown> {
  return {
    supportedVersions: ENVELOPE_VERSIONS,
    capabilities: FACE_CAPABILITIES,
    ...(instructions ? { instructions } : {}),
    ...CACHE_HINT,
    resultType: "complete",
    _meta: { [`${META}serverInfo`]: { name: NAME, version: VERSION, title: "MCP Orchestrator" } },
  }
}

/** A result of `method` as a modern client expects it (an `input_required` one stays what it is). */
export function complete(method: string, result: Record<string, unknown>): Record<string, unknown> {
  if (result.resultType === "input_required") return result
  const out: Record<string, unknown> = { ...result, resultType: "complete" }
  if (CACHEABLE.has(method)) {
    out.ttlMs = CACHE_HINT.ttlMs
    out.cacheScope = CACHE_HINT.cacheScope
  } else {
    // a downstream's hints on other results (a legacy server's stray keys) are not ours to pass on
    delete out.ttlMs
    delete out.cacheScope
  }
  return out
}

/**
 * A modern client's connection as the proxy sees it: the revision forbids server→client requests, so
 * a legacy downstream's request is declined (the proxy logs why). A modern downstream's
 * `input_required` reaches the client as `input_required` (its request's capabilities decide, not this link).
 */
export function modernLink(_log?: Logger): ClientLink {
  return {
    capabilities: () => undefined,
    protocolVersion: () => MODERN_VERSION,
    request: (method) => Promise.reject(new Error(`${method} cannot be sent to a 2026-07-28 client`)),
    // unsolicited notifications (resources/updated…) are not part of that era either
    notify: () => Promise.resolve(),
    modern: true,
  }
}

/** What a modern request carried for the proxy: its envelope's capabilities and log level, and an MRTR retry's fields. */
export function modernRequest(params: { _meta?: Record<string, unknown>; inputResponses?: unknown; requestState?: unknown } | undefined): ModernRequest {
  const meta = params?._meta
  const caps = meta?.[CAPABILITIES_KEY]
  const m: ModernRequest = { clientCapabilities: typeof caps === "object" && caps !== null && !Array.isArray(caps) ? (caps as Record<string, unknown>) : {} }
  const level = meta?.[LOG_LEVEL_KEY]
  if (typeof level === "string") m.logLevel = level
  const responses = params?.inputResponses
  if (typeof responses === "object" && responses !== null && !Array.isArray(responses)) m.inputResponses = responses as Record<string, unknown>
  if (typeof params?.requestState === "string") m.requestState = params.requestState
  return m
}

/** The requests a modern downstream may answer with `input_required` (MRTR): each goes through `callModern`, on both faces. */
export const MRTR_METHODS: ReadonlySet<string> = new Set(["tools/call", "prompts/get", "resources/read"])

/** The params of an MRTR method as a face hands them over (checked by `mrtrParamsProblem` first). */
export type MrtrParams = Record<string, unknown> & { _meta?: Record<string, unknown>; inputResponses?: unknown; requestState?: unknown }

/** What an MRTR method's params must hold, checked before anything is called: the problem, or undefined. */
export function mrtrParamsProblem(method: string, params: Record<string, unknown> | undefined): JsonRpcError | undefined {
  const bad = (why: string): JsonRpcError => ({ code: -32602, message: `Invalid params: ${method} ${why}` })
  if (method === "resources/read") return typeof params?.uri === "string" ? retryProblem(method, params) : bad("needs params.uri (string)")
  if (typeof params?.name !== "string") return bad("needs params.name (string)")
  const args = params.arguments
  if (args === undefined) return retryProblem(method, params)
  const argsWrong = argumentsProblem(method, args)
  if (argsWrong !== undefined) return { code: -32602, message: `Invalid params: ${argsWrong}` }
  if (method === "prompts/get" && Object.values(args as Record<string, unknown>).some((v) => typeof v !== "string")) return bad("params.arguments values must be strings")
  return retryProblem(method, params)
}

/**
 * Why the MRTR fields of a retry are refused: `requestState` is the string an `input_required`
 * result gave, `inputResponses` an object of results (objects) by the keys it asked. null is taken as
 * absent. Before, a state of another type (a number, an object: a client that parsed and re-encoded
 * it) or responses that were no object were dropped, and the retry ran as a new call: the tool ran a
 * second time (its side effects twice) while the call that asked waited, parked, for answers that
 * never came.
 */
function retryProblem(method: string, params: Record<string, unknown>): JsonRpcError | undefined {
  const state = params.requestState
  const responses = params.inputResponses
  const restart = "; send the request again without inputResponses and requestState to start over"
  const kind = (v: unknown): string => (Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `a ${typeof v}`)
  if (state !== undefined && state !== null && typeof state !== "string") {
    return { code: -32602, message: `Invalid params: ${method} params.requestState must be the string an input_required result gave, unchanged, got ${kind(state)}${restart}` }
  }
  if (responses === undefined || responses === null) return undefined
  if (typeof responses !== "object" || Array.isArray(responses)) {
    return { code: -32602, message: `Invalid params: ${method} params.inputResponses must be an object of results by the keys of the input requests, got ${kind(responses)}${restart}` }
  }
  for (const [key, r] of Object.entries(responses)) {
    if (typeof r !== "object" || r === null || Array.isArray(r)) {
      return { code: -32602, message: `Invalid params: ${method} params.inputResponses[${JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key)}] must be a result object, got ${r === null ? "null" : kind(r)}` }
    }
  }
  return undefined
}

/** "Resource not found" of the 2025 revision; a 2026-07-28 client gets -32602 for it (as the SDK's codec writes it). */
const RESOURCE_NOT_FOUND = -32002

/**
 * `tools/call`, `prompts/get` or `resources/read` of a 2026-07-28 client: the one path of the stdio
 * fast lane and the HTTP face. The request's envelope (capabilities, log level) and MRTR fields
 * (`inputResponses`, `requestState`) go to the proxy with it, so a modern downstream's
 * `input_required` comes back as ours (mrtr.ts). Returns the result completed for the era (an
 * `input_required` one as it is; a raw tool result's bytes released); throws the JSON-RPC error to
 * send. `ctx.client` should be a `modernLink`; params must have passed `mrtrParamsProblem`.
 */
export async function callModern(face: Pick<McpFace, "callTool" | "getPrompt" | "readResource">, method: string, params: MrtrParams, ctx: CallContext): Promise<Record<string, unknown>> {
  ctx.modern = modernRequest(params)
  let result: unknown
  try {
    if (method === "tools/call") {
      // a raw context (the fast lane) may get RawJson back: its bytes are released once it is an object
      const out = await face.callTool(params.name as string, params.arguments as Record<string, unknown> | undefined, ctx as CallContext & { raw: true })
      result = unwrapRaw(out)
      if (out instanceof RawJson && out.json instanceof JsonBytes) out.json.release()
    } else if (method === "prompts/get") result = await face.getPrompt(params.name as string, params.arguments as Record<string, string> | undefined, ctx)
    else result = await face.readResource(params.uri as string, ctx)
  } catch (e) {
    const err = toRpcError(e)
    throw err.code === RESOURCE_NOT_FOUND ? new ProtocolError(-32602, err.message, err.data) : err
  }
  return completeModern(method, result as Record<string, unknown>)
}

/** Each input request (a map or list of them) with a value split across its prose parts masked (core/split-items `redactSplitProse`, qa333). */
function eachSplitProse(requests: unknown): unknown {
  if (requests === null || typeof requests !== "object") return requests
  if (Array.isArray(requests)) {
    const out = requests.map((q: unknown) => redactSplitProse(q))
    return out.some((q, i) => q !== requests[i]) ? out : requests
  }
  const src = requests as Record<string, unknown>
  let out: Record<string, unknown> | undefined
  for (const k of Object.keys(src)) {
    const q = redactSplitProse(src[k])
    if (q !== src[k]) (out ??= { ...src })[k] = q
  }
  return out ?? requests
}

/** A result of an MRTR method completed for a modern client (`callModern`'s last step; the HTTP face's raw `tools/call` lane falls back to it). */
export function completeModern(method: string, r: Record<string, unknown>): Record<string, unknown> {
  // a server's input requests reach the client as a relayed elicitation would: same redaction point
  // (the sealed requestState is ours and opaque, so it passes as it is)
  if (r.resultType === "input_required" && r.inputRequests !== undefined) {
    const inputRequests = redactValues(eachSplitProse(r.inputRequests))
    if (inputRequests !== r.inputRequests) return complete(method, { ...r, inputRequests })
  }
  return complete(method, r)
}
