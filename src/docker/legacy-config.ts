/**
 * @module docker/legacy-config
 * Legacy `config set` = read config.yaml, change one key, write the whole file back with
 * `config write`. Server keys are canonicalized like the CLI does (`.` → `_`); dotted keys nest.
 */
import { parse, stringify } from "yaml"
import { ToolkitError } from "../core/index.ts"
import { encodeConfigValue, validateName } from "./names.ts"

/** Returns the new config.yaml text with `server.key = value`. */
export function legacyConfigSet(currentYaml: string, server: string, key: string, value: unknown): string {
  validateName("server", server)
  validateName("config key", key)
  encodeConfigValue(value)
  let doc: unknown
  try {
    doc = currentYaml.trim() === "" ? {} : parse(currentYaml)
  } catch (e) {
    throw new ToolkitError("OUTPUT_UNPARSEABLE", `Cannot parse the current config.yaml: ${(e as Error).message.split("\n")[0]}`, {
      remedy: "Fix ~/.docker/mcp/config.yaml by hand (or `docker mcp config reset`); nothing was written.",
    })
  }
  const root: Record<string, unknown> = doc && typeof doc === "object" && !Array.isArray(doc) ? (doc as Record<string, unknown>) : {}
  const canonical = server.replaceAll(".", "_")
  let node = (root[canonical] && typeof root[canonical] === "object" ? root[canonical] : (root[canonical] = {})) as Record<string, unknown>
  const parts = key.split(".")
  if (parts.some((p) => p === "" || p === "__proto__" || p === "constructor" || p === "prototype")) {
    throw new ToolkitError("INVALID_NAME", `Invalid config key name ${JSON.stringify(key)}`, { remedy: "Use plain dotted keys such as `auth.username`." })
  }
  for (const p of parts.slice(0, -1)) {
    const next = node[p]
    node = (next && typeof next === "object" && !Array.isArray(next) ? next : (node[p] = {})) as Record<string, unknown>
  }
  node[parts[parts.length - 1] as string] = value
  return stringify(root)
}
