/**
 * @module config/name-case
 * Server names that differ only in case (`GitHub` and `github`) are one name to much of what uses
 * them: clients that fold tool names (`GitHub__x` / `github__x`), a case-insensitive file system
 * (macOS, Windows) holding per-server files, a person reading a list. The later entry is an error
 * naming both keys, in `servers` or `mcpServers`: it is left out (config/invalid-servers), the
 * first one in the file is served.
 */

/** One problem per name that folds to an earlier one (that entry, and what is wrong with it). */
export function caseCollisions(entries: ReadonlyArray<{ map: string; name: string }>, sourceOf: (path: readonly PropertyKey[]) => string): { map: string; name: string; problem: string }[] {
  const first = new Map<string, { map: string; name: string }>()
  const out: { map: string; name: string; problem: string }[] = []
  for (const e of entries) {
    const folded = e.name.toLowerCase()
    const earlier = first.get(folded)
    if (!earlier) {
      first.set(folded, e)
      continue
    }
    // the same name in servers and mcpServers: config/load's own error ("defined in both")
    if (earlier.name === e.name) continue
    out.push({
      ...e,
      problem:
        `differs from ${earlier.map}.${earlier.name} (${sourceOf([earlier.map, earlier.name])}) only in case; ` +
        `server names must differ in more than case (clients that fold tool names, and case-insensitive file systems, take them for one server): rename one of them, or keep one`,
    })
  }
  return out
}
