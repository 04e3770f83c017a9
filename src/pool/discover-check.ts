/**
 * @module pool/discover-check
 * What is wrong with a `server/discover` answer that claims 2026-07-28 but that the SDK's schema
 * refuses: before, the connect failed with the SDK's "the server did not offer pinned protocol
 * version 2026-07-28 via server/discover" (it did offer it), or, after the era probe, with the SDK's
 * internal "connect({ prior }): unrecognized prior". Words only; the connect fails either way.
 */
import { cutText } from "../core/index.ts"

/** The capabilities the spec defines as objects when present. */
const OBJECT_CAPABILITIES = ["tools", "resources", "prompts", "logging", "completions", "experimental", "extensions"]

const shown = (v: unknown): string => cutText(JSON.stringify(v) ?? String(v), 60)

/** The first thing wrong with `r` as a DiscoverResult, in words ("capabilities.tools is \"yes\", not an object"), else undefined. */
export function discoverProblem(r: unknown): string | undefined {
  if (typeof r !== "object" || r === null || Array.isArray(r)) return `it is ${shown(r)}, not an object`
  const d = r as { supportedVersions?: unknown; capabilities?: unknown }
  if (!Array.isArray(d.supportedVersions)) return `supportedVersions is ${shown(d.supportedVersions)}, not a list of versions`
  const odd = d.supportedVersions.find((v) => typeof v !== "string")
  if (odd !== undefined) return `supportedVersions holds ${shown(odd)}, not a version string`
  if (typeof d.capabilities !== "object" || d.capabilities === null || Array.isArray(d.capabilities)) return `capabilities is ${shown(d.capabilities)}, not an object`
  const caps = d.capabilities as Record<string, unknown>
  for (const k of OBJECT_CAPABILITIES) {
    const v = caps[k]
    if (v !== undefined && (typeof v !== "object" || v === null || Array.isArray(v))) return `capabilities.${k} is ${shown(v)}, not an object`
  }
  return undefined
}

/** The SDK's words for a DiscoverResult its schema refused (pinned connect, or an adopted probe answer). */
export function isRefusedDiscover(message: string): boolean {
  return /did not offer pinned protocol version|unrecognized prior/.test(message)
}
