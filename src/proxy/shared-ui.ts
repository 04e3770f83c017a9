/**
 * @module proxy/shared-ui
 * MCP Apps views (`ui://…` resources) of two servers under one URI. App servers name their views
 * after the App (`ui://chart/view.html`), so two servers running one App (or two Apps of one
 * framework) list the same URI. Behind us they are one server to the host: a read of that URI
 * could only be refused as contended, and neither view showed. A `ui://` URI that more than one
 * server lists (in resources/list, or as a tool's `_meta.ui.resourceUri`) is shown per server,
 * `ui://<server>@<rest>` (the server name percent-encoded), in the tools' `_meta.ui.resourceUri`
 * (model and app-only lists) and in resources/list; a read of that form goes to that server with
 * the URI it listed. A `ui://` URI only one server has is never renamed. The servers are taken in
 * name order, so the lists stay the same whatever order the servers answered in.
 */
import type { Resource, Tool } from "./types.ts"

const UI = "ui://"

/** The `ui://` URI a tool's `_meta.ui.resourceUri` names, if any. */
export function toolUiUri(t: Tool | undefined): string | undefined {
  const ui = (t?._meta as { ui?: unknown } | undefined)?.ui
  const uri = typeof ui === "object" && ui !== null ? (ui as { resourceUri?: unknown }).resourceUri : undefined
  return typeof uri === "string" && uri.startsWith(UI) ? uri : undefined
}

/** `ui://` URIs → the servers (name order) that list them, kept only when more than one does. */
export function sharedUiUris(lists: Iterable<{ server: string; tools?: readonly Tool[] | undefined; resources?: readonly Resource[] | undefined }>): Map<string, string[]> {
  const holders = new Map<string, Set<string>>()
  const add = (uri: string | undefined, server: string): void => {
    if (uri === undefined || !uri.startsWith(UI)) return
    ;(holders.get(uri) ?? holders.set(uri, new Set()).get(uri)!).add(server)
  }
  for (const l of lists) {
    for (const t of l.tools ?? []) add(toolUiUri(t), l.server)
    for (const r of l.resources ?? []) add(typeof r?.uri === "string" ? r.uri : undefined, l.server)
  }
  const shared = new Map<string, string[]>()
  for (const [uri, servers] of [...holders].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (servers.size > 1) shared.set(uri, [...servers].sort())
  }
  return shared
}

/** The per-server form of a shared `ui://` URI. */
export function perServerUri(server: string, uri: string): string {
  return `${UI}${encodeURIComponent(server)}@${uri.slice(UI.length)}`
}

/** The server and its own URI that a per-server form stands for, when `isServer` knows the server named in it. */
export function fromPerServerUri(uri: string, isServer: (name: string) => boolean): { server: string; uri: string } | undefined {
  if (!uri.startsWith(UI)) return undefined
  const at = uri.indexOf("@", UI.length)
  const slash = uri.indexOf("/", UI.length)
  if (at < 0 || (slash >= 0 && slash < at)) return undefined
  let server: string
  try {
    server = decodeURIComponent(uri.slice(UI.length, at))
  } catch {
    return undefined
  }
  return isServer(server) ? { server, uri: `${UI}${uri.slice(at + 1)}` } : undefined
}

/** The shared URIs `server` holds, as one key (a memo of its rewritten tools is good while it is the same). */
export function sharedKey(shared: ReadonlyMap<string, readonly string[]>, server: string): string {
  let key = ""
  for (const [uri, servers] of shared) if (servers.includes(server)) key += `${uri}\u0000`
  return key
}

/** `tools` with each shared `_meta.ui.resourceUri` in its per-server form (the same array when none is shared). */
export function withServerUis(tools: Tool[], server: string, shared: ReadonlyMap<string, readonly string[]>): Tool[] {
  if (shared.size === 0) return tools
  let changed = false
  const out = tools.map((t) => {
    const uri = toolUiUri(t)
    if (uri === undefined || !shared.has(uri)) return t
    changed = true
    const meta = t._meta as { ui: Record<string, unknown> }
    return { ...t, _meta: { ...meta, ui: { ...meta.ui, resourceUri: perServerUri(server, uri) } } }
  })
  return changed ? out : tools
}
