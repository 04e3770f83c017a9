/**
 * @module core/names
 * Name rules shared by every layer. Validated before a name reaches argv, a file path or a route.
 */

/** Docker MCP catalog server / profile / catalog names. */
export const SERVER_NAME_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/
/** Names of downstream servers in our config (also used as tool prefixes). */
export const CONFIG_SERVER_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/
/** Tool names as exposed to clients (what Cursor and most clients accept). */
export const EXPOSED_TOOL_NAME_RE = /^[a-zA-Z0-9_-]{1,64}$/
/** Tool names as a downstream may send them (SEP-986). */
export const DOWNSTREAM_TOOL_NAME_RE = /^[A-Za-z0-9_.-]{1,128}$/

export function isServerName(s: string): boolean {
  return SERVER_NAME_RE.test(s)
}
