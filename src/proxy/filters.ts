/**
 * @module proxy/filters
 * Tool filters (`servers.<name>.tools`, `toolkit.tools`, `toolsets.<name>.tools`): allow/deny globs
 * (config/tool-glob: `*`, `?`, `[a-z]`, `{a,b}`), deny wins. A filter answers why it hides a name, so a refused call can name the
 * exact config key and glob that hid the tool.
 */
import { globToRegExp, type ToolFilter } from "../config/index.ts"

/** undefined = the name passes; else why it is hidden, e.g. `servers.x.tools.deny ("y*")`. */
export type NameCheck = (name: string) => string | undefined

/** The globs' syntax is config/tool-glob's (checked at load, compiled here). */
export { globToRegExp }

/** The check of `filter` found at config key `key` (e.g. "servers.x.tools"); undefined when it hides nothing. */
export function compileFilter(filter: ToolFilter | undefined, key: string): NameCheck | undefined {
  if (!filter || (filter.allow === undefined && !filter.deny?.length)) return undefined
  const deny = (filter.deny ?? []).map((g) => [g, globToRegExp(g)] as const)
  const allow = filter.allow?.map((g) => globToRegExp(g))
  return (name) => {
    for (const [g, re] of deny) if (re.test(name)) return `${key}.deny (${JSON.stringify(g)})`
    if (allow && !allow.some((re) => re.test(name))) return `${key}.allow (${allow.length ? `matches none of ${JSON.stringify(filter.allow)}` : "empty"})`
    return undefined
  }
}

/** Both checks in turn (the first that hides the name answers). */
export function bothChecks(a: NameCheck | undefined, b: NameCheck | undefined): NameCheck | undefined {
  if (!a) return b
  if (!b) return a
  return (name) => a(name) ?? b(name)
}
