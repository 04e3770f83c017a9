/**
 * @module mcp/wire-2025
 * What the face's protocol layer needs to know of the two wire eras (facts of the MCP revisions
 * 2025-11-25 and 2026-07-28): the versions a legacy client may ask for, the methods only the modern
 * revision has (a legacy connection answers them Method not found and drops such notifications),
 * and the wire-only material a 2026-07-28 message carries (the reserved `_meta` envelope keys and
 * the multi-round-trip retry fields), lifted out before a handler sees the params.
 */

import { isRecord as isObj } from "../core/index.ts"
import { ACCEPTED_PROTOCOL_VERSIONS } from "../pool/index.ts"

/** Legacy revisions a client may negotiate at `initialize`, newest first: the ones we accept from a server (pool/handshake). */
export const LEGACY_VERSIONS: readonly string[] = ACCEPTED_PROTOCOL_VERSIONS
/** The revision a legacy `initialize` gets when it asks for one we do not speak. */
export const LATEST_LEGACY_VERSION = LEGACY_VERSIONS[0]!

/** Request methods of 2026-07-28 that the 2025 revisions do not have. */
const MODERN_ONLY_REQUESTS = new Set(["server/discover", "subscriptions/listen"])
/** Notification methods of 2026-07-28 that the 2025 revisions do not have. */
const MODERN_ONLY_NOTIFICATIONS = new Set(["notifications/subscriptions/acknowledged"])

export function isModernOnlyRequest(method: string): boolean {
  return MODERN_ONLY_REQUESTS.has(method)
}

export function isModernOnlyNotification(method: string): boolean {
  return MODERN_ONLY_NOTIFICATIONS.has(method)
}

/** The per-request `_meta` envelope keys of 2026-07-28 (reserved on every message). */
const ENVELOPE_KEYS = ["io.modelcontextprotocol/protocolVersion", "io.modelcontextprotocol/clientInfo", "io.modelcontextprotocol/clientCapabilities", "io.modelcontextprotocol/logLevel"]
/** Multi-round-trip retry fields (reserved on client requests only). */
const RETRY_KEYS = ["inputResponses", "requestState"]

type Obj = Record<string, unknown>

export interface Lifted {
  envelope?: Obj
  inputResponses?: unknown
  requestState?: unknown
}

/**
 * `params` without the wire-only material (a copy only when there is some), and that material.
 * Requests lose the envelope keys of `_meta` (an emptied `_meta` goes) and the retry fields;
 * notifications only the envelope keys.
 */
export function liftWireOnly(params: unknown, kind: "request" | "notification"): { params: unknown; lifted: Lifted } {
  if (!isObj(params)) return { params, lifted: {} }
  const meta = params._meta
  const envelopeKeys = isObj(meta) ? ENVELOPE_KEYS.filter((k) => k in meta) : []
  const retryKeys = kind === "request" ? RETRY_KEYS.filter((k) => k in params) : []
  if (envelopeKeys.length === 0 && retryKeys.length === 0) return { params, lifted: {} }
  const lifted: Lifted = {}
  const next: Obj = { ...params }
  if (envelopeKeys.length > 0 && isObj(meta)) {
    const envelope: Obj = {}
    const rest: Obj = { ...meta }
    for (const k of envelopeKeys) {
      envelope[k] = meta[k]
      delete rest[k]
    }
    lifted.envelope = envelope
    if (Object.keys(rest).length > 0) next._meta = rest
    else delete next._meta
  }
  for (const k of retryKeys) {
    if (k === "inputResponses") lifted.inputResponses = next[k]
    else lifted.requestState = next[k]
    delete next[k]
  }
  return { params: next, lifted }
}
