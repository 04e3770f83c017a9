/**
 * @module config/listen
 * `http.listen` (`[HOST:]PORT`, IPv6 in brackets) parsed and checked at config load, so a bad
 * port or a non-loopback host without `http.allowNonLoopback` stops start-up with exit 2 and names
 * the key and its source, like every other key. The HTTP server reuses the same parser.
 */
import { isLoopbackHostname } from "../core/index.ts"

/** localhost, 127.0.0.0/8 or ::1: the one loopback rule (core/web-url), OAuth URLs use it too. */
export const isLoopbackHost = isLoopbackHostname

export interface ListenAddress {
  /** Host for Bun.serve (IPv6 without brackets). */
  host: string
  port: number
  loopback: boolean
}

export const LISTEN_EXPECTED = "expected [HOST:]PORT such as 8787 or 127.0.0.1:8787 (port 0-65535)"

/** The address, or the reason it is not one. */
export function parseListenAddress(value: string): ListenAddress | { problem: string } {
  const v = value.trim()
  const m = /^(?:(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]*):)?(\d{1,5})$/.exec(v)
  const port = m ? Number(m[2]) : NaN
  if (!m || !(port <= 65535)) return { problem: `${LISTEN_EXPECTED}, got ${JSON.stringify(value)}` }
  const raw = m[1] || "127.0.0.1"
  const host = raw.startsWith("[") ? raw.slice(1, -1) : raw
  return { host, port, loopback: isLoopbackHost(host) }
}

export const NON_LOOPBACK_REMEDY = "Set http.allowNonLoopback: true (and add the host name to http.allowedHosts) to serve other machines, behind TLS."

/** Problems of the http section that zod cannot see alone (they combine keys). */
export function checkListen(
  http: { listen?: string | undefined; allowNonLoopback: boolean; allowUnauthenticated: boolean },
  sourceOf: (path: readonly PropertyKey[]) => string,
): string[] {
  if (http.listen === undefined) return []
  const src = sourceOf(["http", "listen"])
  const addr = parseListenAddress(http.listen)
  if ("problem" in addr) return [`http.listen (${src}): ${addr.problem}`]
  if (!addr.loopback && !http.allowNonLoopback) {
    return [`http.listen (${src}): ${addr.host} is not a loopback address; set http.allowNonLoopback: true to serve other machines (the default binds 127.0.0.1)`]
  }
  if (!addr.loopback && http.allowUnauthenticated) {
    return [`http.allowUnauthenticated (${sourceOf(["http", "allowUnauthenticated"])}): only accepted with a loopback http.listen, got ${addr.host}`]
  }
  return []
}
