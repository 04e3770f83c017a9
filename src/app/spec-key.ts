/**
 * @module app/spec-key
 * Key of a server's persisted tool list: its name plus a short hash of its definition, so a changed
 * command, URL or environment never serves the previous server's tools from the cache.
 */
import type { Proxy } from "../proxy/index.ts"

export function specKey(server: string, proxy: Proxy | undefined): string {
  const def = proxy?.pool.get?.(server)?.def
  if (!def) return server
  const h = new Bun.CryptoHasher("sha256").update(JSON.stringify(def.spec)).digest("hex").slice(0, 12)
  return `${server}@${h}`
}
