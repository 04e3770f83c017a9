/**
 * @module core/names
 * Name rules shared by every layer. Validated before a name reaches argv, a file path or a route.
 */

/** Docker MCP catalog server / profile / catalog names. */
export const SERVER_NAME_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/
/** Names of downstream servers in our config (also used as tool prefixes). */
export const CONFIG_SERVER_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/
/**
 * A name that CONFIG_SERVER_NAME_RE takes, made from one it refuses, for the error to offer: letters
 * without their accents ("café" → "cafe"), each run of other characters (spaces, dots, slashes,
 * `@`) one `-`, no leading or trailing `-` or `_`, at most 64 characters. Undefined when nothing
 * usable is left ("日本", "...").
 */
export function suggestServerName(name: string): string | undefined {
  const plain = name.normalize("NFKD").replace(/\p{M}+/gu, "")
  const s = plain
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/^[-_]+/, "")
    .slice(0, 64)
    .replace(/[-_]+$/, "")
  return s !== "" && s !== name && CONFIG_SERVER_NAME_RE.test(s) ? s : undefined
}

/**
 * Toolkit server names as `docker mcp` takes them. Docker's own catalog uses lowercase names plus a
 * few legacy ones such as `SQLite` and `youtube_transcript`, so letters of both cases are accepted;
 * first char alphanumeric (never `-`: it would read as an option).
 */
export const TOOLKIT_SERVER_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/
/** Toolkit profile ids (`default`, `dev-tools`): checked at config load and again before argv. */
export const PROFILE_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/
/** PROFILE_ID_RE in words, for config errors. */
export const PROFILE_ID_RULE = "profile names are 1-64 of A-Z a-z 0-9 . _ - and start with a letter or digit"
/** Tool names as exposed to clients (what Cursor and most clients accept). */
export const EXPOSED_TOOL_NAME_RE = /^[a-zA-Z0-9_-]{1,64}$/
/** Tool names as a downstream may send them (SEP-986). */
export const DOWNSTREAM_TOOL_NAME_RE = /^[A-Za-z0-9_.-]{1,128}$/

export function isServerName(s: string): boolean {
  return SERVER_NAME_RE.test(s)
}
