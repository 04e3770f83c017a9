/**
 * @module mcp/modern-lane
 * The 2026-07-28 ("modern") era of our stdio face, beside the legacy one on the same connection.
 * A modern client sends no `initialize`: it probes with `server/discover` and puts a `_meta` envelope
 * (protocol version, client capabilities) on every request. This module checks that envelope,
 * answers `server/discover` and the methods the revision removed, and marks the rest for the
 * SDK face, whose answers it completes with `resultType` (and `ttlMs`/`cacheScope` on list/read
 * results). Nothing here runs for a legacy message: the fast lane tells them apart by one key.
 */
import { NAME, VERSION, type Logger } from "../core/index.ts"
import type { ClientLink } from "../proxy/index.ts"

const META = "io.modelcontextprotocol/"
export const PROTOCOL_VERSION_KEY = `${META}protocolVersion`
const CAPABILITIES_KEY = `${META}clientCapabilities`
export const MODERN_VERSION = "2026-07-28"
/** What `server/discover` advertises: the modern revision, then the legacy ones `initialize` negotiates. */
const SUPPORTED_VERSIONS = [MODERN_VERSION, "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05", "2024-10-07"]

/** Methods the 2026-07-28 revision removed: a modern request for one is "method not found". */
const REMOVED = new Set(["initialize", "ping", "logging/setLevel", "resources/subscribe", "resources/unsubscribe"])
/** Results that carry cache hints in the modern era. */
const CACHEABLE = new Set(["tools/list", "prompts/list", "resources/list", "resources/templates/list", "resources/read"])

/**
 * What we can honestly promise about our own lists and reads: they change with downstreams, plugins
 * and config at any time, and list_changed is how clients learn of it, so nothing may be reused.
 */
const CACHE_HINT = { ttlMs: 0, cacheScope: "private" } as const

/** Capabilities toward a modern client: no `resources.subscribe` (removed), no logging/setLevel. */
export const MODERN_CAPABILITIES = {
  tools: { listChanged: true },
  prompts: { listChanged: true },
  resources: { listChanged: true },
  logging: {},
  completions: {},
}

export type JsonRpcError = { code: number; message: string; data?: unknown }

export type Verdict =
  /** Answer at once with this error. */
  | { error: JsonRpcError }
  /** Answer at once with this result. */
  | { result: Record<string, unknown> }
  /** Serve it (tools/call in the lane, the rest through the SDK face), then `complete` the result. */
  | { serve: true }

/** Is this message (params' `_meta`) a modern request? One property read: the legacy path pays nothing more. */
export function isModern(method: unknown, meta: Record<string, unknown> | undefined): boolean {
  return (meta !== undefined && meta[PROTOCOL_VERSION_KEY] !== undefined) || method === "server/discover"
}

/** Checks a modern request's envelope and decides what to do with it. */
export function judge(method: string, meta: Record<string, unknown> | undefined, instructions?: string): Verdict {
  const version = meta?.[PROTOCOL_VERSION_KEY]
  const caps = meta?.[CAPABILITIES_KEY]
  if (typeof version !== "string") return { error: { code: -32602, message: `Invalid params: _meta["${PROTOCOL_VERSION_KEY}"] is required` } }
  if (version !== MODERN_VERSION) {
    return { error: { code: -32022, message: `Unsupported protocol version: ${version}`, data: { supported: [MODERN_VERSION], requested: version } } }
  }
  if (typeof caps !== "object" || caps === null || Array.isArray(caps)) {
    return { error: { code: -32602, message: `Invalid params: _meta["${CAPABILITIES_KEY}"] is required` } }
  }
  if (REMOVED.has(method)) return { error: { code: -32601, message: `Method not found: ${method} (removed in protocol revision ${MODERN_VERSION})` } }
  if (method === "server/discover") return { result: discoverResult(instructions) }
  return { serve: true }
}

export function discoverResult(instructions?: string): Record<string, unknown> {
  return {
    supportedVersions: SUPPORTED_VERSIONS,
    capabilities: MODERN_CAPABILITIES,
    ...(instructions ? { instructions } : {}),
    ...CACHE_HINT,
    resultType: "complete",
    _meta: { [`${META}serverInfo`]: { name: NAME, version: VERSION, title: "MCP Orchestrator" } },
  }
}

/** A result of `method` as a modern client expects it. */
export function complete(method: string, result: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...result, resultType: "complete" }
  if (CACHEABLE.has(method)) {
    out.ttlMs = CACHE_HINT.ttlMs
    out.cacheScope = CACHE_HINT.cacheScope
  }
  return out
}

/**
 * The face's link as a modern client sees it: the revision forbids server→client requests, and
 * relaying a downstream's request as an MRTR `input_required` is not built yet, so the client
 * declares nothing here and every such request is declined (with a log line saying why).
 */
export function modernLink(log: Logger): ClientLink {
  return {
    capabilities: () => {
      log.info("server→client request toward a 2026-07-28 client declined: that era has no server→client requests and mcp-orchestrator does not relay them as input_required yet")
      return undefined
    },
    protocolVersion: () => MODERN_VERSION,
    request: (method) => Promise.reject(new Error(`${method} cannot be sent to a 2026-07-28 client`)),
    // unsolicited notifications (resources/updated…) are not part of that era either
    notify: () => Promise.resolve(),
  }
}
