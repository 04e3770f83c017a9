/**
 * @module app/spec-key
 * Key of a server's persisted tool list: its name plus a short hash of its definition, so a changed
 * command, URL or environment never serves the previous server's tools from the cache. With
 * `proxy.pinTools: block`, the tools the pins withhold (changed definitions waiting for `pins
 * approve`) are part of it: a list stored without a tool that has been approved (or reset) since is
 * not the list a start must answer with.
 */
import type { Proxy } from "../proxy/index.ts"

export function specKey(server: string, proxy: Proxy | undefined, withheld?: unknown): string {
  const def = proxy?.pool.get?.(server)?.def
  if (!def) return server
  // tools the pins withhold (proxy.pinTools: block) when the list was stored: an approval since is another list
  const h = new Bun.CryptoHasher("sha256").update(JSON.stringify(withheld === undefined ? def.spec : [def.spec, withheld])).digest("hex").slice(0, 12)
  return `${server}@${h}`
}
