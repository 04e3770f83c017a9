/**
 * @module http/listen
 * Parses `http.listen` (`[HOST:]PORT`, IPv6 in brackets) and enforces loopback-only binding unless
 * `http.allowNonLoopback` is set. The config loader runs the same checks at load (exit 2); this is
 * the last guard for callers that bypass it.
 */
import { NON_LOOPBACK_REMEDY, parseListenAddress, type ListenAddress } from "../config/index.ts"
import { ConfigError } from "../core/index.ts"

export type { ListenAddress }

export function parseListen(value: string, opts: { allowNonLoopback?: boolean } = {}): ListenAddress {
  const addr = parseListenAddress(value)
  if ("problem" in addr) throw new ConfigError([`http.listen: ${addr.problem}`])
  if (!addr.loopback && !opts.allowNonLoopback) {
    throw new ConfigError([`http.listen: ${addr.host} is not a loopback address; the HTTP endpoint binds 127.0.0.1 by default`], { remedy: NON_LOOPBACK_REMEDY })
  }
  return addr
}
