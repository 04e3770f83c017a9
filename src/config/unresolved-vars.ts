/**
 * @module config/unresolved-vars
 * `${…}` variables are resolved in server entries only (config/interpolate). Written in any other
 * setting of the file (`cache.dir: ${HOME}/cache`, `http.token: ${env:TOKEN}`), the text was taken
 * as written, silently: a directory literally named `${HOME}` under the editor's working directory,
 * or a bearer token that is the text `${env:TOKEN}` (accepted: long enough) while clients send the
 * variable's value. Each is a config error naming the key, its file:line and the environment
 * variable that sets it instead. The value itself is never quoted (it may hold a secret).
 */
import { isRecord } from "../core/index.ts"
import { envBindings } from "./env.ts"

/** Top-level keys whose strings are resolved (server maps) or never read (VS Code's inputs). */
const RESOLVED = new Set(["servers", "mcpServers", "inputs"])

/** One problem per string of the file's own values, outside server entries, that holds `${`. */
export function unresolvedVarProblems(fileValues: Record<string, unknown>, sourceOf: (path: readonly PropertyKey[]) => string): string[] {
  const out: string[] = []
  const visit = (v: unknown, path: (string | number)[]): void => {
    if (typeof v === "string") {
      if (!v.includes("${")) return
      const binding = envBindings().find((b) => b.path.join(".") === path.filter((p) => typeof p === "string").join("."))
      const instead = binding ? `write the value, or leave it out here and set ${binding.env} in the environment` : "write the value"
      out.push(`${path.join(".")} (${sourceOf(path)}): \${…} variables are resolved in server entries only (command, args, env, url, headers, cwd, envFile), so this would be taken as written; ${instead}`)
    } else if (Array.isArray(v)) v.forEach((x, i) => visit(x, [...path, i]))
    else if (isRecord(v)) for (const [k, x] of Object.entries(v)) visit(x, [...path, k])
  }
  for (const [k, v] of Object.entries(fileValues)) if (!RESOLVED.has(k)) visit(v, [k])
  return out
}
