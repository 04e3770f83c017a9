/**
 * @module config/toolsets
 * Cross-key checks of `toolsets` and `toolset` that zod cannot express alone: a toolset names only
 * configured servers (or `docker`, the Toolkit gateway), and the selected toolset exists.
 */
import type { MissingServer } from "./server-refs.ts"
import { suggest } from "./suggest.ts"
import type { Config } from "./schema.ts"

/** The Toolkit gateway's server name (app/toolkit-gateway.ts); a toolset may name it. */
const GATEWAY = "docker"

/** One line per problem: key path, where it came from, what is wrong. `missing` collects the server names not defined (a reload tells a rename from them). */
export function checkToolsets(config: Config, sourceOf: (path: readonly PropertyKey[]) => string, leftOut: ReadonlySet<string> = new Set(), missing: MissingServer[] = []): string[] {
  const problems: string[] = []
  const servers = Object.keys(config.servers)
  for (const [name, ts] of Object.entries(config.toolsets)) {
    for (const [i, s] of (ts.servers ?? []).entries()) {
      // a server whose entry is invalid (left out): a warning (config/invalid-servers)
      if (Object.hasOwn(config.servers, s) || s === GATEWAY || leftOut.has(s)) continue
      const hint = suggest(s, servers)
      const problem = `toolsets.${name}.servers.${i} (${sourceOf(["toolsets", name, "servers", i])}): "${s}" is not a configured server${hint ? `; did you mean "${hint}"?` : ""}`
      problems.push(problem)
      missing.push({ key: `toolsets.${name}.servers`, name: s, problem })
    }
  }
  if (config.toolset !== undefined && !Object.hasOwn(config.toolsets, config.toolset)) problems.push(unknownToolset(config.toolset, Object.keys(config.toolsets), sourceOf(["toolset"])))
  return problems
}

/** "unknown toolset "x" (flag --toolset); toolsets: a, b" — also the HTTP 404 text for /mcp/t/x. */
export function unknownToolset(name: string, known: readonly string[], source?: string): string {
  const list = known.length ? `toolsets in the config: ${[...known].sort().join(", ")}` : "the config defines no toolsets"
  return `unknown toolset "${name}"${source ? ` (${source})` : ""}; ${list}`
}
