/**
 * @module proxy/client-meta
 * The client's own request `_meta` as it goes on to the downstream server (tools/call, prompts/get,
 * resources/read, completion/complete): trace context (W3C `traceparent`/`tracestate`/`baggage`,
 * the OpenTelemetry MCP conventions), app keys, whatever the client put there. Before, it was dropped
 * at the proxy: a server reached directly got it, the same server behind us never did.
 *
 * Left out, because they are this hop's and we set our own: `progressToken` (we map progress to a
 * token of ours) and every key whose prefix the MCP spec reserves for itself (a label
 * `modelcontextprotocol` or `mcp` before the `/`: the 2026-07-28 envelope
 * `io.modelcontextprotocol/protocolVersion`, `…/clientCapabilities`, `…/logLevel`, `…/related-task`…).
 * A `_meta` over `MAX_CLIENT_META_CHARS` of JSON is not forwarded at all (the caller logs it).
 * The values are passed as they are, as arguments are: never logged.
 */

/** Characters of JSON of a client's `_meta` passed on; a larger one is dropped whole (a debug line says so). */
export const MAX_CLIENT_META_CHARS = 64 * 1024

/** Why a client's `_meta` was not forwarded (for the caller's debug line), or the keys to send. */
export type ForwardedMeta = { meta: Record<string, unknown> } | { dropped: { chars: number; limit: number } } | undefined

/**
 * What of `meta` (the request's `_meta` as the client sent it: any JSON value) goes downstream:
 * undefined when nothing does (absent, not an object, only keys of ours). The client's object
 * itself when none of its keys is ours (no copy).
 */
export function forwardedMeta(meta: unknown): ForwardedMeta {
  if (typeof meta !== "object" || meta === null || Array.isArray(meta)) return undefined
  const keys = Object.keys(meta)
  let kept = 0
  for (const k of keys) if (!isHopKey(k)) kept++
  if (kept === 0) return undefined
  // Object.fromEntries defines each key: an own "__proto__" (JSON.parse makes one) stays a plain key
  const out = kept === keys.length ? (meta as Record<string, unknown>) : Object.fromEntries(Object.entries(meta).filter(([k]) => !isHopKey(k)))
  let chars: number
  try {
    chars = JSON.stringify(out)?.length ?? 0
  } catch {
    return undefined
  }
  return chars <= MAX_CLIENT_META_CHARS ? { meta: out } : { dropped: { chars, limit: MAX_CLIENT_META_CHARS } }
}

/** A `_meta` key that belongs to this hop: the progress token, or a prefix the MCP spec reserves. */
export function isHopKey(key: string): boolean {
  if (key === "progressToken") return true
  const slash = key.indexOf("/")
  if (slash <= 0) return false
  for (const label of key.slice(0, slash).split(".")) if (label === "modelcontextprotocol" || label === "mcp") return true
  return false
}
