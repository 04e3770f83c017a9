/**
 * @module manage/near-names
 * The server a model may have meant by a name the Toolkit does not know: the same name in other
 * case first (`Filesystem`, `FILESYSTEM` for `filesystem`: Toolkit names are case-sensitive), else
 * names holding it or held by it, else the catalog search's best hits. Used by every Toolkit tool
 * that answers UNKNOWN_SERVER, so each says "did you mean" the same way.
 */
import { ToolkitError } from "../core/index.ts"
import { searchCatalog, type CatalogServer } from "../docker/index.ts"

/** At most three names from `candidates` (or a catalog's servers, searched) `name` may have meant. */
export function nearNames(name: string, candidates: readonly string[], catalog?: readonly CatalogServer[]): string[] {
  const lower = name.toLowerCase()
  const sameCase = candidates.filter((n) => n !== name && n.toLowerCase() === lower)
  const near = sameCase.length ? sameCase : candidates.filter((n) => n !== name && (n.toLowerCase().includes(lower) || lower.includes(n.toLowerCase())))
  const searched = near.length || !catalog ? [] : searchCatalog(catalog, name, 3).map((s) => s.name)
  return [...new Set([...near, ...searched])].filter((n) => n !== name).slice(0, 3)
}

/**
 * The names meant, looked for among `first` (the enabled servers: the one whose configuration was
 * meant), else among `then` (the catalog's names; its servers searched when given).
 */
export function nearNamesFirst(name: string, first: readonly string[], then: readonly string[], catalog?: readonly CatalogServer[]): string[] {
  const near = nearNames(name, first)
  return near.length ? near : nearNames(name, then, catalog)
}

/** `Did you mean "a" or "b"?` (`did you mean …` when `lower`); "" for no names. */
export function didYouMean(names: readonly string[], lower = false): string {
  if (!names.length) return ""
  return `${lower ? "d" : "D"}id you mean ${names.map((n) => `"${n}"`).join(" or ")}?`
}

/**
 * `e` with "did you mean" in its remedy when it is an UNKNOWN_SERVER error that does not say so yet
 * and `names` holds a guess; any other error unchanged.
 */
export function withNearNames(e: unknown, names: readonly string[] | undefined, use: string): unknown {
  if (!(e instanceof ToolkitError) || e.code !== "UNKNOWN_SERVER" || !names?.length || e.details?.suggestions) return e
  const guess = `${didYouMean(names)} (server names are case-sensitive) ${use.replace("{}", names[0] as string)}`
  return new ToolkitError(e.code, e.message, { remedy: e.remedy ? `${guess} ${e.remedy}` : guess, details: { ...e.details, suggestions: [...names] }, ...(e.cause !== undefined ? { cause: e.cause } : {}) })
}
