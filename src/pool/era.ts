/**
 * @module pool/era
 * MCP protocol eras toward a downstream: "legacy" (`initialize`, ≤ 2025-11-25) and "modern"
 * (2026-07-28: no handshake, a `_meta` envelope on every request, `server/discover`). What counts as
 * evidence of a modern server, and the envelope we put on modern requests.
 */
import { NAME, VERSION, type ParamHeader } from "../core/index.ts"
import { RpcError } from "./rpc.ts"
import { peerInfo, RELAY_CAPABILITIES } from "./handshake.ts"

export type Era = "legacy" | "modern"
/** How the era was decided: config pin, the on-disk verdict, or detected on this connection. */
export type EraSource = "pinned" | "cached" | "probed"
export type ProtocolSetting = "auto" | "legacy" | "modern"

export interface EraInfo {
  era: Era
  via: EraSource
}

export const MODERN_PROTOCOL_VERSION = "2026-07-28"
/** How long `server/discover` may take before a silent server counts as legacy (spec: "a short timeout"). */
export const PROBE_TIMEOUT_MS = 1500

const META = "io.modelcontextprotocol/"
/** Spec error codes only a modern server sends: HeaderMismatch, MissingRequiredClientCapability, UnsupportedProtocolVersion. */
export const MODERN_CODES: ReadonlySet<number> = new Set([-32020, -32021, -32022])

/**
 * The `_meta` every modern request carries. No client capabilities by default but MCP Apps (as told
 * to legacy servers at `initialize`, handshake's RELAY_CAPABILITIES: a server lists its App tools to
 * such a client only); a request made for a client (tools/call, prompts/get, resources/read)
 * declares that client's (see `ModernCallOptions`).
 */
export const MODERN_ENVELOPE: Readonly<Record<string, unknown>> = Object.freeze({
  [`${META}protocolVersion`]: MODERN_PROTOCOL_VERSION,
  [`${META}clientCapabilities`]: { extensions: RELAY_CAPABILITIES.extensions },
  [`${META}clientInfo`]: { name: NAME, version: VERSION },
})

export function isModernVersion(v: unknown): boolean {
  return typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) && v >= MODERN_PROTOCOL_VERSION
}

/** Versions a server named in an error (`data.supported`, as -32022 carries and the spec asks of modern-only servers). */
function supportedIn(e: RpcError): string[] {
  const s = (e.data as { supported?: unknown } | undefined)?.supported
  return Array.isArray(s) ? s.filter((v): v is string => typeof v === "string") : []
}

/**
 * An error answer that proves a modern server: it names a modern version we speak in `data.supported`,
 * or it is one of the modern-only spec codes. Never one code alone for "legacy": anything else is not evidence.
 */
export function isModernRejection(e: unknown): boolean {
  if (!(e instanceof RpcError)) return false
  const supported = supportedIn(e)
  if (supported.length > 0) return supported.includes(MODERN_PROTOCOL_VERSION)
  return MODERN_CODES.has(e.rpcCode)
}

/** A `DiscoverResult`: what a modern server answers to `server/discover`. */
export interface DiscoverResult {
  supportedVersions: string[]
  capabilities: Record<string, unknown>
  instructions?: string
  _meta?: Record<string, unknown>
  [k: string]: unknown
}

export function isDiscoverResult(r: unknown): r is DiscoverResult {
  const d = r as Partial<DiscoverResult> | undefined
  return typeof d === "object" && d !== null && Array.isArray(d.supportedVersions) && typeof d.capabilities === "object" && d.capabilities !== null
}

export function serverInfoOf(d: DiscoverResult): { name: string; version: string } {
  return peerInfo(d._meta?.[`${META}serverInfo`])
}

export const LOG_LEVEL_META = `${META}logLevel`
export const CLIENT_CAPABILITIES_META = `${META}clientCapabilities`

/** Per-request settings of a call toward a modern server, made on behalf of one client. */
export interface ModernCallOptions {
  /**
   * What the client behind the call can answer (elicitation, sampling, roots), declared in the
   * envelope: a modern server asks only for what the request's capabilities name.
   */
  clientCapabilities?: Record<string, unknown>
  /** The log level this request asks for (`_meta` logLevel; without one a modern server sends no logs). */
  logLevel?: string
  /** An `input_required` result (MRTR) is returned as it is, for the proxy to relay, instead of failing the call. */
  inputRequired?: boolean
  /** A tools/call's `x-mcp-header` arguments, from the tool's listed definition: sent in `Mcp-Param-*` headers over HTTP. */
  paramHeaders?: readonly ParamHeader[]
}

/**
 * Params with the modern envelope merged into their `_meta` (the caller's keys, e.g. progressToken,
 * kept), the log level when one is set (a modern server sends log messages only when asked per
 * request) and the capabilities of the client the request is made for.
 */
export function withEnvelope(params: Record<string, unknown> | undefined, logLevel?: string, clientCapabilities?: Record<string, unknown>): Record<string, unknown> {
  const meta = params?._meta as Record<string, unknown> | undefined
  let env: Record<string, unknown> = MODERN_ENVELOPE
  if (logLevel !== undefined || clientCapabilities !== undefined) {
    env = { ...MODERN_ENVELOPE }
    if (logLevel !== undefined) env[LOG_LEVEL_META] = logLevel
    if (clientCapabilities !== undefined) env[CLIENT_CAPABILITIES_META] = clientCapabilities
  }
  return { ...params, _meta: meta ? { ...meta, ...env } : env }
}
