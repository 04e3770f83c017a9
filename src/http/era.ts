/**
 * @module http/era
 * Which era a POST /mcp speaks, and the 2026-07-28 header rules. A modern request carries the
 * protocol version in `_meta` (or is `server/discover`, the probe); a request without a session whose
 * `MCP-Protocol-Version` header names a modern revision is modern too (its missing `_meta` is then
 * its error, not a legacy 400). Everything else is legacy: `initialize`, session requests, answers.
 * A session id on a modern request is ignored, as the revision says.
 */
import { decodeParamValue } from "../core/index.ts"
import { isModernBatch, MODERN_VERSION, PROTOCOL_VERSION_KEY, type JsonRpcError } from "../mcp/index.ts"
import { shown } from "./echo.ts"
import type { RpcMessage } from "./reply.ts"

type Meta = Record<string, unknown> | undefined

function metaOf(m: RpcMessage): Meta {
  const meta = m.params?._meta
  return typeof meta === "object" && meta !== null && !Array.isArray(meta) ? (meta as Record<string, unknown>) : undefined
}

/** A header version at or after the first modern revision (dates compare as strings). */
function modernVersion(v: string | null): boolean {
  return v !== null && /^\d{4}-\d{2}-\d{2}$/.test(v) && v >= MODERN_VERSION
}

/** The modern request in this body, or undefined when it belongs to the legacy era. */
export function modernRequest(body: unknown, headers: Headers): (RpcMessage & { method: string }) | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined
  const m = body as RpcMessage
  if (typeof m.method !== "string" || m.id === undefined || m.id === null) return undefined
  if (metaOf(m)?.[PROTOCOL_VERSION_KEY] !== undefined || m.method === "server/discover") return m as RpcMessage & { method: string }
  if (!headers.has("mcp-session-id") && m.method !== "initialize" && modernVersion(headers.get("mcp-protocol-version"))) return m as RpcMessage & { method: string }
  return undefined
}

/**
 * An `initialize` (the 2025 handshake, without the 2026-07-28 `_meta`) sent with an
 * `MCP-Protocol-Version` header naming 2026-07-28 or later: the header and the body speak different
 * eras. Refused (-32020 HeaderMismatch, HTTP 400, as the SDK's `createMcpHandler` answers) instead of
 * opening a 2025 session whose every later request, carrying the same header, would be refused as an
 * unsupported version. An `initialize` with the `_meta` version is modern (a removed method, 404).
 */
export function initializeEraClash(body: unknown, headers: Headers): JsonRpcError | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined
  const m = body as RpcMessage
  if (m.method !== "initialize" || m.id === undefined) return undefined
  const header = headers.get("mcp-protocol-version")?.trim() ?? null
  if (!modernVersion(header)) return undefined
  const asked = typeof m.params?.protocolVersion === "string" ? ` (params.protocolVersion "${m.params.protocolVersion.slice(0, 40)}")` : ""
  return {
    code: -32020,
    message: `Header mismatch: initialize${asked} is the 2025 handshake, but the MCP-Protocol-Version header names ${header}, a revision without initialize. Send initialize without that header (it names the negotiated version only after initialize), or speak ${header} with no initialize: each request carries _meta["${PROTOCOL_VERSION_KEY}"]`,
    data: { mismatch: { header: header!, body: "initialize" } },
  }
}

/**
 * A notification of a modern client (it has no session to belong to): `notifications/cancelled` of
 * a listen it closes, say. Nothing to do over HTTP (closing the stream already cancelled), so it is
 * accepted (202) instead of meeting the legacy "session required" 400.
 */
export function modernNotification(body: unknown, headers: Headers): boolean {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return false
  const m = body as RpcMessage
  if (m.id !== undefined || typeof m.method !== "string" || headers.has("mcp-session-id")) return false
  return metaOf(m)?.[PROTOCOL_VERSION_KEY] !== undefined || modernVersion(headers.get("mcp-protocol-version"))
}

/**
 * A batch (JSON array) sent by a modern client: an item that carries the `_meta` version or is
 * `server/discover`, or no session and a modern `MCP-Protocol-Version` header. The 2026-07-28
 * revision has no batches: it is refused as such instead of meeting the legacy "session required".
 */
export function modernBatch(body: readonly unknown[], headers: Headers): boolean {
  return isModernBatch(body) || modernNonPost(headers)
}

/** GET/DELETE (or a batch) that are clearly modern (no session, a modern version header): 405 in that era. */
export function modernNonPost(headers: Headers): boolean {
  return !headers.has("mcp-session-id") && modernVersion(headers.get("mcp-protocol-version"))
}

/** The `Mcp-Name` a method must carry: the tool or prompt name, or the resource URI. */
function nameOf(m: RpcMessage): unknown {
  if (m.method === "tools/call" || m.method === "prompts/get") return m.params?.name
  if (m.method === "resources/read") return m.params?.uri
  return undefined
}

/** A header value without its surrounding whitespace (RFC 9110 §5.5), or undefined when absent. */
function headerValue(raw: string | null): string | undefined {
  return raw === null ? undefined : raw.trim()
}

const mismatch = (message: string): JsonRpcError => ({ code: -32020, message: `Header mismatch: ${message}` })

/**
 * The HTTP headers of a modern request against its body (-32020 HeaderMismatch): `Mcp-Method` must
 * be the method, `Mcp-Name` the name/URI where the method has one, and `MCP-Protocol-Version` the
 * `_meta` version when the body names one (a missing `_meta` is the envelope's error, -32602).
 */
export function headerProblem(m: RpcMessage & { method: string }, headers: Headers): JsonRpcError | undefined {
  const method = headerValue(headers.get("mcp-method"))
  if (method === undefined) return mismatch("the Mcp-Method header is required")
  if (method !== m.method) return mismatch(`Mcp-Method ${shown(method)} does not match the body's method ${shown(m.method)}`)
  const name = nameOf(m)
  if (typeof name === "string") {
    const raw = headerValue(headers.get("mcp-name"))
    if (raw === undefined) return mismatch(`the Mcp-Name header is required for ${m.method}`)
    // a name that is not plain ASCII comes as `=?base64?…?=`: decoded by the rules of every other Mcp-Param value
    const header = decodeParamValue(raw)
    if (header === undefined) return mismatch(`the Mcp-Name header carries an invalid Base64 value (${JSON.stringify(raw.slice(0, 80))})`)
    if (header !== name) return mismatch(`Mcp-Name ${shown(header)} does not match the body's ${m.method === "resources/read" ? "uri" : "name"}`)
  }
  const version = metaOf(m)?.[PROTOCOL_VERSION_KEY]
  if (typeof version === "string") {
    const header = headers.get("mcp-protocol-version")?.trim()
    if (header === undefined) return mismatch("the MCP-Protocol-Version header is required")
    if (header !== version) return mismatch(`MCP-Protocol-Version ${shown(header)} does not match _meta version ${shown(version)}`)
  }
  return undefined
}
