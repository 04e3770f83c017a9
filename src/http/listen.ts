/**
 * @module http/listen
 * Parses `http.listen` (`[HOST:]PORT`, IPv6 in brackets) and enforces loopback-only binding unless
 * `http.allowNonLoopback` is set.
 */
import { ConfigError } from "../core/index.ts"
import { isLoopbackHost } from "./security.ts"

export interface ListenAddress {
  /** Host for Bun.serve (IPv6 without brackets). */
  host: string
  port: number
  loopback: boolean
}

export function parseListen(value: string, opts: { allowNonLoopback?: boolean } = {}): ListenAddress {
  const v = value.trim()
  const m = /^(?:(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]*):)?(\d{1,5})$/.exec(v)
  const port = m ? Number(m[2]) : NaN
  if (!m || port > 65535) {
    throw new ConfigError([`http.listen: expected [HOST:]PORT such as 8787 or 127.0.0.1:8787, got ${JSON.stringify(value)}`])
  }
  const raw = m[1] || "127.0.0.1"
  const host = raw.startsWith("[") ? raw.slice(1, -1) : raw
  const loopback = isLoopbackHost(host)
  if (!loopback && !opts.allowNonLoopback) {
    throw new ConfigError([`http.listen: ${host} is not a loopback address; the HTTP endpoint binds 127.0.0.1 by default`], {
      remedy: "Set http.allowNonLoopback: true (and add the host name to http.allowedHosts) to serve other machines, behind TLS.",
    })
  }
  return { host, port, loopback }
}
