/**
 * @module app/spec-key
 * Key of a server's persisted tool list: its name plus a short hash of its definition, so a changed
 * command, URL or environment never serves the previous server's tools from the cache. With
 * `proxy.pinTools: block`, the tools the pins withhold (changed definitions waiting for `pins
 * approve`) are part of it: a list stored without a tool that has been approved (or reset) since is
 * not the list a start must answer with.
 */
import type { ToolPins } from "../catalog/index.ts"
import type { Proxy } from "../proxy/index.ts"

export function specKey(server: string, proxy: Proxy | undefined, withheld?: unknown): string {
  const def = proxy?.pool.get?.(server)?.def
  if (!def) return server
  // the Toolkit gateway: its enabled servers too (a profiles-era launch names only the profile)
  const listKey = (def as { listKey?: unknown }).listKey
  return definitionKey(server, listKey === undefined ? def.spec : { spec: def.spec, listKey }, withheld)
}

/** The key of a server defined by `spec` (as configured: serve's pool holds the same object), `doctor` storing what it listed included. */
export function definitionKey(server: string, spec: unknown, withheld?: unknown): string {
  // tools the pins withhold (proxy.pinTools: block) when the list was stored: an approval since is another list
  const h = new Bun.CryptoHasher("sha256").update(JSON.stringify(withheld === undefined ? spec : [spec, withheld])).digest("hex").slice(0, 12)
  return `${server}@${h}`
}

/** block mode: `server`'s tools withheld now (a change waiting for approval), or undefined when none is (the plain definition key). */
export function withheldTools(pins: ToolPins, server: string): unknown {
  if (pins.mode !== "block") return undefined
  const held = pins
    .list()
    .filter((p) => p.server === server && p.pending !== undefined)
    .map((p) => [p.tool, p.hash, p.pending])
    .sort((a, b) => (a[0]! < b[0]! ? -1 : 1))
  return held.length ? held : undefined
}
