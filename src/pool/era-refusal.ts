/**
 * @module pool/era-refusal
 * Answers by which a server refuses a request of an established session for its era, not for the
 * request: it was never run, so the request is safe to send once more on a new session. Two kinds:
 *
 * - `-32022` UnsupportedProtocolVersion on a 2026-07-28 session (the server answered
 *   `server/discover`, then refused the revision: a dual-era server whose modern path is off, a
 *   gateway in front of a legacy server). The spec: "the client SHOULD retry with a version both
 *   support" (its `data.supported`): the 2025-11-25 era (`initialize` negotiates the version) when it
 *   names one of that era or nothing usable; none when it names only revisions we do not speak.
 * - "not initialized" (pool/uninitialized) from a remote: the HTTP session we initialized is gone
 *   on the server's side (it restarted, or another instance behind the URL answered); or, on a
 *   2026-07-28 session pinned by config, the server wants `initialize`: it speaks 2025-11-25.
 *
 * Only the words and the verdict live here; pool/session acts on them.
 */
import { cutText } from "../core/index.ts"
import { MODERN_PROTOCOL_VERSION } from "./era.ts"
import type { RpcError } from "./rpc.ts"

/** Most versions of a `data.supported` list quoted. */
const MAX_QUOTED = 5

/** The server's own words, short (a hostile one may send a megabyte). */
export function saidOf(e: RpcError): string {
  return e.message.length > 200 ? cutText(e.message, 200) + "…" : e.message
}

/** The version strings of `data.supported` (a -32022's list), at most a few, each short. */
export function supportedOf(e: RpcError): string[] {
  const s = (e.data as { supported?: unknown } | undefined)?.supported
  if (!Array.isArray(s)) return []
  return s
    .filter((v): v is string => typeof v === "string")
    .slice(0, MAX_QUOTED)
    .map((v) => (v.length > 40 ? cutText(v, 40) + "…" : v))
}

/** A dated revision before 2026-07-28: one `initialize` negotiates. */
function isLegacyVersion(v: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(v) && v < MODERN_PROTOCOL_VERSION
}

/**
 * What a -32022 on a 2026-07-28 session leaves to try: `legacy` (it names a 2025-era version, or
 * no list we can read: `initialize` negotiates), or `none` (it names only revisions we do not speak).
 */
export function fallbackAfterUnsupported(e: RpcError): "legacy" | "none" {
  const s = supportedOf(e)
  if (s.length === 0 || s.some(isLegacyVersion)) return "legacy"
  return "none"
}

/** "its process" for a stdio server, the URL (no credentials, no query) for a remote one. */
export function whereOf(spec: object): string {
  if (!("url" in spec) || typeof spec.url !== "string") return "its process"
  try {
    const u = new URL(spec.url)
    return `${u.protocol}//${u.host}${u.pathname}`
  } catch {
    return "its url"
  }
}

/** -32022 on a 2026-07-28 session: what it said, in words. */
export function unsupportedWords(name: string, where: string, method: string, e: RpcError): string {
  const s = supportedOf(e)
  const supports = s.length > 0 ? `; it supports ${s.map((v) => `"${v}"`).join(", ")}` : "; it named no version it supports"
  return `server ${name} (${where}) answered server/discover as a ${MODERN_PROTOCOL_VERSION} server, then refused ${method} with -32022 unsupported protocol version ("${saidOf(e)}")${supports}`
}
