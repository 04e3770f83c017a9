/**
 * @module docker/names
 * Validation of every user- or model-supplied value before it reaches a `docker mcp` argv.
 * Names can never start with `-`, contain `,` `=` whitespace or NUL; invalid input is a typed error.
 */
import { PROFILE_ID_RE, TOOLKIT_SERVER_RE, ToolkitError } from "../core/index.ts"
import { LEGACY_CATALOG_RE, OCI_REF_RE } from "./catalog-ref.ts"

/** Server and profile names: the rules live in core/names.ts (config validates profiles with them too). */
export { PROFILE_ID_RE, TOOLKIT_SERVER_RE }
/** Config keys; nested keys use dots (`auth.username`). */
export const CONFIG_KEY_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/
/**
 * Legacy catalog names or OCI references (`mcp/docker-mcp-catalog:latest`, `localhost:5000/x/y:v1`,
 * `docker.io/x/y@sha256:…`): either era's kind. Which one the detected era takes is checked by
 * `checkCatalog` (docker/catalog-ref), which the argv builders use.
 */
export const CATALOG_REF_RE = new RegExp(`${LEGACY_CATALOG_RE.source}|${OCI_REF_RE.source}`)
/** Tool names (SEP-986), first char not `-`. */
export const TOOL_NAME_RE = /^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,127}$/
/** Search queries are never put in argv, only bounded in size. */
export const MAX_QUERY_LENGTH = 200
/** Config values travel as one `--set=` token or inside YAML; bounded in size. */
export const MAX_CONFIG_VALUE_BYTES = 64 * 1024

export type NameKind = "server" | "profile" | "config key" | "catalog" | "tool"

const RULES: Record<NameKind, RegExp> = {
  server: TOOLKIT_SERVER_RE,
  profile: PROFILE_ID_RE,
  "config key": CONFIG_KEY_RE,
  catalog: CATALOG_REF_RE,
  tool: TOOL_NAME_RE,
}

/** RULES in words, for the refusal (what is allowed, not only the pattern). */
const WORDS: Record<NameKind, string> = {
  server: "1-64 of A-Z a-z 0-9 . _ - starting with a letter or digit",
  profile: "1-64 of A-Z a-z 0-9 . _ - starting with a letter or digit",
  "config key": "1-128 of A-Z a-z 0-9 _ . - starting with a letter, digit or _",
  catalog: "a legacy catalog name such as `docker-mcp` or an OCI reference such as `mcp/docker-mcp-catalog:latest`, `localhost:5000/team/catalog:v1` or `…@sha256:<64 hex>`",
  tool: "1-128 of A-Z a-z 0-9 _ . - not starting with -",
}

function show(value: unknown): string {
  const s = typeof value === "string" ? value : String(value)
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s)
}

/** Throws `ToolkitError(INVALID_NAME)` unless `value` matches the rule for `kind`. */
export function validateName(kind: NameKind, value: unknown): string {
  if (typeof value !== "string" || !RULES[kind].test(value)) {
    throw new ToolkitError("INVALID_NAME", `Invalid ${kind} name ${show(value)}`, {
      remedy: `A ${kind} name is ${WORDS[kind]} (pattern ${RULES[kind].source}).`,
      details: { kind },
    })
  }
  return value
}

export function isValidName(kind: NameKind, value: unknown): boolean {
  return typeof value === "string" && RULES[kind].test(value)
}

/** JSON-encodes a config value for `--set` / YAML and bounds its size. */
export function encodeConfigValue(value: unknown): string {
  const json = JSON.stringify(value)
  if (json === undefined) throw new ToolkitError("INVALID_VALUE", "Config value must be JSON-serializable", { remedy: "Pass a string, number, boolean, array or object." })
  if (json.includes("\u0000")) throw new ToolkitError("INVALID_VALUE", "Config value must not contain NUL", { remedy: "Remove the NUL character." })
  if (Buffer.byteLength(json) > MAX_CONFIG_VALUE_BYTES) {
    throw new ToolkitError("INVALID_VALUE", `Config value is larger than ${MAX_CONFIG_VALUE_BYTES} bytes`, { remedy: "Use a smaller value." })
  }
  return json
}
